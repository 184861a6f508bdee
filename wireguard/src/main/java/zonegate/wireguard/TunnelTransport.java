package zonegate.wireguard;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import org.tinylog.Logger;
import zonegate.wireguard.internal.noise.Messages;
import zonegate.wireguard.internal.session.Session;

/**
 * One tunnel's transport data: sealing packets (and keepalives) on a session straight into the
 * caller's buffer, and opening received transport messages with the REJECT_AFTER limits, the replay
 * window and the initiator's receive-side re-key rule. No allocation once warm.
 */
final class TunnelTransport {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final Tunnel t;

    TunnelTransport(Tunnel tunnel) {
        this.t = tunnel;
    }

    /** Encrypts {@code src} on {@code s} into {@code dst}; an empty {@code src} makes a keepalive. */
    Action seal(Session s, ByteBuffer src, ByteBuffer dst, long now, TunnelResult r) {
        int len = src.remaining();
        int pad = t.wg.paddingBytes(len);
        int total = Messages.TRANSPORT_OVERHEAD_BYTES + len + pad;
        if (dst.remaining() < total) {
            return t.drop(DropReason.BUFFER_TOO_SMALL, r);
        }
        long counter = s.sendCounter++;
        int start = dst.position();
        Messages.putLe32(dst, start, Messages.TYPE_TRANSPORT);
        Messages.putLe32(dst, start + Messages.TRANSPORT_RECEIVER, s.remoteIndex);
        Messages.putLe64(dst, start + Messages.TRANSPORT_COUNTER, counter);
        dst.position(start + Messages.TRANSPORT_HEADER_BYTES);
        t.device.aead().seal(s.sendKey, counter, src, pad, dst);
        t.txPackets++;
        t.txBytes += total;
        if (len == 0) {
            t.keepalivesSent++;
        } else {
            t.timers.onDataSent(now);
        }
        t.timers.onAuthenticatedSent(now);
        if (t.initiator() && !t.handshakes.inProgress()
                && (Long.compareUnsigned(s.sendCounter, t.wg.rekeyAfterMessages()) >= 0
                        || (s.localInitiated && s.ageNs(now) >= t.wg.rekeyAfterTimeNs()))) {
            t.timers.requestHandshake();
        }
        return r.set(Action.WRITE_TO_NETWORK, total, null, t);
    }

    /** Sends the oldest queued packet, or a keepalive if the queue is empty. */
    Action sendQueuedOrKeepalive(Session s, ByteBuffer out, long now, TunnelResult r) {
        ByteBuffer packet = t.queue.peek();
        if (packet == null) {
            return seal(s, EMPTY.duplicate(), out, now, r);
        }
        Action a = seal(s, packet, out, now, r);
        if (a == Action.WRITE_TO_NETWORK) {
            t.queue.remove();
        }
        return a;
    }

    /** Decrypts a transport message already routed here by its receiver index. */
    Action receive(int receiverIndex, SocketAddress from, ByteBuffer datagram, ByteBuffer dst, long nowNs,
            TunnelResult r) {
        long now = t.advance(nowNs);
        Session s = t.keypairs.byLocalIndex(receiverIndex);
        if (s == null) {
            return t.drop(DropReason.UNKNOWN_RECEIVER, r);
        }
        int pos = datagram.position();
        long counter = Messages.le64(datagram, pos + Messages.TRANSPORT_COUNTER);
        if (s.ageNs(now) >= t.wg.rejectAfterTimeNs()
                || Long.compareUnsigned(counter, t.wg.rejectAfterMessages()) >= 0) {
            return t.drop(DropReason.SESSION_EXPIRED, r);
        }
        if (!s.replay.canAccept(counter)) {
            return t.drop(DropReason.REPLAYED, r);
        }
        int datagramBytes = datagram.remaining();
        if (dst.remaining() < datagramBytes - Messages.TRANSPORT_OVERHEAD_BYTES) {
            return t.drop(DropReason.BUFFER_TOO_SMALL, r);
        }
        int start = dst.position();
        datagram.position(pos + Messages.TRANSPORT_HEADER_BYTES);
        int n = t.device.aead().open(s.receiveKey, counter, datagram, dst);
        if (n < 0) {
            dst.position(start);
            return t.drop(DropReason.DECRYPT_FAILED, r);
        }
        s.replay.accept(counter);
        t.rxPackets++;
        t.rxBytes += datagramBytes;
        t.onEndpoint(from);
        t.timers.onAuthenticatedReceived(now);
        if (t.keypairs.confirm(s, t.releaseIndex)) {
            Logger.debug("peer={} session confirmed by initiator", t.publicKey());
            t.handshakesCompleted++;
            t.lastHandshakeNs = now;
            t.device.emit(new TunnelEvent.SessionEstablished(t.publicKey(), false, now));
        }
        Session current = t.keypairs.current();
        if (t.initiator() && current != null && current.localInitiated && !t.handshakes.inProgress()
                && current.ageNs(now) >= t.wg.rejectAfterTimeNs() - t.wg.keepaliveTimeoutNs() - t.wg.rekeyTimeoutNs()) {
            t.timers.requestHandshake();
        }
        if (n == 0) {
            t.keepalivesReceived++;
            return r.done(t);
        }
        int ipBytes = innerPacketLength(dst, start, n);
        if (ipBytes < 0) {
            dst.position(start);
            return t.drop(DropReason.BAD_INNER_PACKET, r);
        }
        t.timers.onDataReceived(now);
        dst.position(start + ipBytes);
        return r.set(Action.WRITE_TO_TUNNEL, ipBytes, null, t);
    }

    /** The IP packet's own length (the rest is padding), or -1 if it is not IPv4/IPv6 or does not fit. */
    private static int innerPacketLength(ByteBuffer b, int start, int n) {
        int version = (b.get(start) & 0xff) >>> 4;
        if (version == 4 && n >= 20) {
            int len = (b.get(start + 2) & 0xff) << 8 | (b.get(start + 3) & 0xff);
            return len >= 20 && len <= n ? len : -1;
        }
        if (version == 6 && n >= 40) {
            int len = 40 + ((b.get(start + 4) & 0xff) << 8 | (b.get(start + 5) & 0xff));
            return len <= n ? len : -1;
        }
        return -1;
    }
}
