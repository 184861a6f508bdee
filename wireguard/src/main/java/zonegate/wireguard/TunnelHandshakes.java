package zonegate.wireguard;

import static zonegate.wireguard.internal.noise.Messages.*;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.tinylog.Logger;
import zonegate.wireguard.internal.cookie.CookieInitiator;
import zonegate.wireguard.internal.noise.InitiatorState;
import zonegate.wireguard.internal.noise.NoiseProtocol;
import zonegate.wireguard.internal.noise.Tai64n;
import zonegate.wireguard.internal.session.Session;

/**
 * One tunnel's side of the handshake: writing initiations, consuming initiations (responder) and
 * responses (initiator), cookie replies, the TAI64N replay check and the initiation rate limit.
 * Every consume method authenticates first and changes state only after, so forged messages are
 * dropped without effect.
 */
final class TunnelHandshakes {
    private final Tunnel t;
    private final InitiatorState initiator = new InitiatorState();
    private final CookieInitiator cookies;
    private final byte[] lastTimestamp = new byte[TIMESTAMP_BYTES];
    private final byte[] timestamp = new byte[TIMESTAMP_BYTES];
    private final byte[] sendKey = new byte[32];
    private final byte[] receiveKey = new byte[32];
    private boolean hasTimestamp;
    private long lastInitiationConsumedNs;
    private boolean consumedAny;
    private int localIndex;
    private boolean hasLocalIndex;

    TunnelHandshakes(Tunnel tunnel) {
        this.t = tunnel;
        this.cookies = new CookieInitiator(tunnel.wg.cookieRefreshTimeNs());
    }

    boolean inProgress() {
        return initiator.active();
    }

    /** Whether {@code index} is the sender index of our outstanding initiation. */
    boolean ownsIndex(int index) {
        return hasLocalIndex && localIndex == index;
    }

    /** Writes a fresh initiation (new ephemeral, new index) into {@code out}. */
    Action writeInitiation(ByteBuffer out, long now, TunnelResult r) {
        if (out.remaining() < INITIATION_BYTES) {
            return t.drop(DropReason.BUFFER_TOO_SMALL, r);
        }
        releaseIndex();
        long index = t.device.allocateIndex(t);
        if (index < 0) {
            return t.drop(DropReason.TOO_MANY_SESSIONS, r);
        }
        localIndex = (int) index;
        hasLocalIndex = true;
        byte[] msg = new byte[INITIATION_BYTES];
        Tai64n.write(t.device.wallClock().instant(), timestamp, 0);
        NoiseProtocol noise = t.device.noise();
        if (!noise.writeInitiation(t.device.local(), t.identity, initiator, localIndex, timestamp, msg)) {
            releaseIndex();
            return t.drop(DropReason.HANDSHAKE_FAILED, r);
        }
        cookies.stamp(msg, INITIATION_MAC1, t.identity, now);
        out.put(msg);
        t.handshakesSent++;
        t.device.countHandshake(HandshakeCounter.INITIATIONS_SENT);
        t.timers.onHandshakeInitiated(now);
        t.timers.onAuthenticatedSent(now);
        Logger.debug("peer={} sending handshake initiation (index {})", t.publicKey(), Integer.toUnsignedString(localIndex));
        return t.device.written(r, INITIATION_BYTES, t);
    }

    /** Continues an initiation whose static key named this peer; writes the response. */
    Action consumeInitiation(byte[] msg, SocketAddress from, ByteBuffer out, long nowNs, TunnelResult r) {
        long now = t.advance(nowNs);
        NoiseProtocol noise = t.device.noise();
        if (!noise.readInitiationTimestamp(t.identity, msg)) {
            return t.drop(DropReason.HANDSHAKE_FAILED, r);
        }
        if (hasTimestamp && !Tai64n.isAfter(noise.timestamp, lastTimestamp)) {
            Logger.trace("peer={} initiation with an old timestamp: replay dropped", t.publicKey());
            return t.drop(DropReason.REPLAYED_TIMESTAMP, r);
        }
        if (consumedAny && now - lastInitiationConsumedNs < t.wg.minInitiationIntervalNs()) {
            return t.drop(DropReason.RATE_LIMITED, r);
        }
        if (out.remaining() < RESPONSE_BYTES) {
            return t.drop(DropReason.BUFFER_TOO_SMALL, r);
        }
        long index = t.device.allocateIndex(t);
        if (index < 0) {
            return t.drop(DropReason.TOO_MANY_SESSIONS, r);
        }
        byte[] resp = new byte[RESPONSE_BYTES];
        int initiatorIndex = le32(msg, INITIATION_SENDER);
        if (!noise.writeResponse(t.identity, (int) index, initiatorIndex, resp, sendKey, receiveKey)) {
            t.device.releaseIndex((int) index);
            wipeKeys();
            return t.drop(DropReason.HANDSHAKE_FAILED, r);
        }
        System.arraycopy(noise.timestamp, 0, lastTimestamp, 0, TIMESTAMP_BYTES);
        hasTimestamp = true;
        lastInitiationConsumedNs = now;
        consumedAny = true;
        Session s = new Session((int) index, initiatorIndex, false, now, sendKey, receiveKey);
        wipeKeys();
        noise.eraseResponderScratch();
        t.keypairs.installResponded(s, t.releaseIndex);
        cookies.stamp(resp, RESPONSE_MAC1, t.identity, now);
        out.put(resp);
        t.onEndpoint(from);
        t.timers.onSessionDerived(now);
        t.timers.onAuthenticatedReceived(now);
        t.timers.onAuthenticatedSent(now);
        t.device.countHandshake(HandshakeCounter.INITIATIONS_ANSWERED);
        Logger.debug("peer={} answered handshake initiation", t.publicKey());
        return t.device.written(r, RESPONSE_BYTES, t);
    }

    /** Consumes the response to our initiation; writes the first queued packet or a keepalive. */
    Action consumeResponse(byte[] msg, SocketAddress from, ByteBuffer out, long nowNs, TunnelResult r) {
        long now = t.advance(nowNs);
        if (!initiator.active() || !ownsIndex(le32(msg, RESPONSE_RECEIVER))) {
            return t.drop(DropReason.UNKNOWN_RECEIVER, r);
        }
        if (!t.device.noise().readResponse(t.device.local(), t.identity, initiator, msg, sendKey, receiveKey)) {
            return t.drop(DropReason.HANDSHAKE_FAILED, r);
        }
        Session s = new Session(localIndex, le32(msg, RESPONSE_SENDER), true, now, sendKey, receiveKey);
        wipeKeys();
        initiator.erase();
        hasLocalIndex = false;
        t.keypairs.installInitiated(s, t.releaseIndex);
        t.handshakesCompleted++;
        t.device.countHandshake(HandshakeCounter.RESPONSES_ACCEPTED);
        t.lastHandshakeNs = now;
        t.onEndpoint(from);
        t.timers.onHandshakeComplete(now);
        t.timers.onAuthenticatedReceived(now);
        Logger.debug("peer={} handshake complete (we initiated)", t.publicKey());
        t.device.emit(new TunnelEvent.SessionEstablished(t.publicKey(), true, now));
        return t.transport.sendQueuedOrKeepalive(s, out, now, r);
    }

    /** Takes the cookie from a cookie reply addressed to one of our indices. */
    Action consumeCookieReply(byte[] msg, long nowNs, TunnelResult r) {
        long now = t.advance(nowNs);
        if (!cookies.consume(msg, t.identity, t.device.handshakeAead(), now)) {
            return t.drop(DropReason.HANDSHAKE_FAILED, r);
        }
        t.device.countHandshake(HandshakeCounter.COOKIE_REPLIES_ACCEPTED);
        Logger.debug("peer={} got a cookie reply: the peer is under load", t.publicKey());
        return r.done(t);
    }

    /** Drops an outstanding initiation and its index. */
    void abandon() {
        initiator.erase();
        releaseIndex();
    }

    private void releaseIndex() {
        if (hasLocalIndex) {
            t.device.releaseIndex(localIndex);
            hasLocalIndex = false;
        }
    }

    private void wipeKeys() {
        Arrays.fill(sendKey, (byte) 0);
        Arrays.fill(receiveKey, (byte) 0);
    }
}
