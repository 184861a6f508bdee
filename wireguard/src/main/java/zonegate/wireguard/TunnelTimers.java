package zonegate.wireguard;

import java.nio.ByteBuffer;
import org.tinylog.Logger;
import zonegate.wireguard.internal.session.Session;

/**
 * The timers of one tunnel (paper section 6, with the reference implementations' event rules), kept
 * as absolute deadlines so {@link #nextDeadlineNs} is exact:
 *
 * <pre>
 * retransmit     initiation unanswered for REKEY_TIMEOUT + jitter      -> new initiation
 * give up        first attempt + rekey-attempt time                   -> HandshakeExpired, queue dropped
 * keepalive      data received, nothing sent for KEEPALIVE_TIMEOUT      -> empty transport message
 * new handshake  data sent, nothing received for KEEPALIVE + REKEY_TIMEOUT -> initiation (initiators)
 * persistent     nothing sent for the configured interval (off by default) -> keepalive
 * expiry         each session at REJECT_AFTER_TIME                      -> erased (SessionExpired if current)
 * erase          3 x REJECT_AFTER_TIME after the last handshake          -> all key material erased
 * </pre>
 */
final class TunnelTimers {
    static final long NONE = Long.MAX_VALUE;

    private final Tunnel t;
    private long handshakeStartedNs = NONE;
    private long retransmitAtNs = NONE;
    private boolean handshakeWanted;
    private long keepaliveAtNs = NONE;
    private long newHandshakeAtNs = NONE;
    private long persistentAtNs = NONE;
    private long eraseKeysAtNs = NONE;

    TunnelTimers(Tunnel tunnel) {
        this.t = tunnel;
    }

    long nextDeadlineNs(long lastNowNs) {
        long d = Math.min(retransmitAtNs, giveUpAtNs());
        d = Math.min(d, keepaliveAtNs);
        d = Math.min(d, persistentAtNs);
        d = Math.min(d, eraseKeysAtNs);
        d = Math.min(d, t.keypairs.earliestExpiryNs(t.wg.rejectAfterTimeNs()));
        if (t.initiator()) {
            d = Math.min(d, newHandshakeAtNs);
            if (handshakeWanted) {
                d = Math.min(d, lastNowNs);
            }
        }
        if (!t.queue.isEmpty() && t.sendableSession(lastNowNs) != null) {
            d = Math.min(d, lastNowNs);
        }
        return d;
    }

    Action update(long now, ByteBuffer out, TunnelResult r) {
        expire(now);
        if (handshakeStartedNs != NONE && now >= giveUpAtNs()) {
            giveUp(now);
        }
        if (t.initiator()) {
            if (now >= newHandshakeAtNs) {
                newHandshakeAtNs = NONE;
                if (!t.handshakes.inProgress()) {
                    Logger.debug("peer={} no reply to data for {} ms: re-keying", t.publicKey(),
                            (t.wg.keepaliveTimeoutNs() + t.wg.rekeyTimeoutNs()) / 1_000_000);
                    handshakeWanted = true;
                }
            }
            if (handshakeWanted || now >= retransmitAtNs) {
                handshakeWanted = false;
                Action a = t.handshakes.writeInitiation(out, now, r);
                if (a != Action.DROPPED) {
                    return a;
                }
                handshakeWanted = r.dropReason() == DropReason.BUFFER_TOO_SMALL;
                if (!handshakeWanted && retransmitAtNs <= now) {
                    retransmitAtNs = now + t.wg.rekeyTimeoutNs();
                }
                return a;
            }
        } else {
            handshakeWanted = false;
            newHandshakeAtNs = NONE;
        }
        Session s = t.sendableSession(now);
        if (s != null && !t.queue.isEmpty()) {
            return t.transport.sendQueuedOrKeepalive(s, out, now, r);
        }
        if (now >= keepaliveAtNs) {
            keepaliveAtNs = NONE;
            if (s != null) {
                return t.transport.sendQueuedOrKeepalive(s, out, now, r);
            }
        }
        if (now >= persistentAtNs) {
            persistentAtNs = NONE;
            if (s != null) {
                return t.transport.sendQueuedOrKeepalive(s, out, now, r);
            }
            if (t.initiator() && !t.handshakes.inProgress()) {
                return t.handshakes.writeInitiation(out, now, r);
            }
        }
        return r.done(t);
    }

    private void expire(long now) {
        if (t.keypairs.expire(now, t.wg.rejectAfterTimeNs(), t.releaseIndex)) {
            Logger.debug("peer={} session expired", t.publicKey());
            t.device.emit(new TunnelEvent.SessionExpired(t.publicKey(), now));
        }
        if (now >= eraseKeysAtNs) {
            Logger.debug("peer={} no handshake for 3 x REJECT_AFTER_TIME: erasing all key material", t.publicKey());
            int dropped = t.queue.size();
            t.eraseAll();
            t.drop(DropReason.HANDSHAKE_GAVE_UP, dropped);
            handshakeStartedNs = retransmitAtNs = keepaliveAtNs = newHandshakeAtNs = eraseKeysAtNs = NONE;
            handshakeWanted = false;
            t.device.emit(new TunnelEvent.KeysErased(t.publicKey(), now));
        }
    }

    private void giveUp(long now) {
        int dropped = t.queue.size();
        Logger.info("peer={} handshake did not complete after {} s; giving up ({} queued packets dropped)",
                t.publicKey(), t.rekeyAttemptTimeNs() / 1_000_000_000L, dropped);
        t.handshakes.abandon();
        t.queue.clear();
        t.drop(DropReason.HANDSHAKE_GAVE_UP, dropped);
        handshakeStartedNs = retransmitAtNs = newHandshakeAtNs = NONE;
        handshakeWanted = false;
        if (eraseKeysAtNs == NONE) {
            eraseKeysAtNs = now + 3 * t.wg.rejectAfterTimeNs();
        }
        t.device.emit(new TunnelEvent.HandshakeExpired(t.publicKey(), dropped, now));
    }

    private long giveUpAtNs() {
        return handshakeStartedNs == NONE ? NONE : handshakeStartedNs + t.rekeyAttemptTimeNs();
    }

    void requestHandshake() {
        if (t.initiator()) {
            handshakeWanted = true;
        }
    }

    void onHandshakeInitiated(long now) {
        if (handshakeStartedNs == NONE) {
            handshakeStartedNs = now;
        }
        long jitter = t.wg.rekeyTimeoutJitterMaxNs() == 0 ? 0 : t.device.random().nextLong(t.wg.rekeyTimeoutJitterMaxNs() + 1);
        retransmitAtNs = now + t.wg.rekeyTimeoutNs() + jitter;
    }

    void onHandshakeComplete(long now) {
        handshakeStartedNs = retransmitAtNs = NONE;
        handshakeWanted = false;
        onSessionDerived(now);
    }

    void onSessionDerived(long now) {
        eraseKeysAtNs = now + 3 * t.wg.rejectAfterTimeNs();
    }

    void onDataSent(long now) {
        if (t.initiator() && newHandshakeAtNs == NONE) {
            newHandshakeAtNs = now + t.wg.keepaliveTimeoutNs() + t.wg.rekeyTimeoutNs();
        }
    }

    void onDataReceived(long now) {
        if (keepaliveAtNs == NONE) {
            keepaliveAtNs = now + t.wg.keepaliveTimeoutNs();
        }
    }

    void onAuthenticatedSent(long now) {
        keepaliveAtNs = NONE;
        resetPersistent(now);
    }

    void onAuthenticatedReceived(long now) {
        newHandshakeAtNs = NONE;
        resetPersistent(now);
    }

    void onConfigChanged(long now) {
        resetPersistent(now);
        if (!t.initiator()) {
            handshakeStartedNs = retransmitAtNs = newHandshakeAtNs = NONE;
            handshakeWanted = false;
            t.handshakes.abandon();
        }
    }

    private void resetPersistent(long now) {
        long interval = t.config().persistentKeepaliveIntervalNs();
        persistentAtNs = interval > 0 ? now + interval : NONE;
    }
}
