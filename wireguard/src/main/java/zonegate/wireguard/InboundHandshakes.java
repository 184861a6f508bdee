package zonegate.wireguard;

import static zonegate.wireguard.internal.noise.Messages.*;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.tinylog.Logger;
import zonegate.wireguard.internal.cookie.CookieResponder;
import zonegate.wireguard.internal.noise.NoiseProtocol;

/**
 * The device's side of incoming handshake messages before a peer is known to own them: mac1 on every
 * message, the load estimate and, under load, mac2 with cookie replies (paper section 5.4.7); then
 * initiations go to the peer named by their decrypted static key, responses and cookie replies to the
 * owner of their receiver index. Nothing here changes a peer until the message authenticated.
 */
final class InboundHandshakes {
    private final Device device;
    private final CookieResponder cookieResponder;
    private final byte[] initiation = new byte[INITIATION_BYTES];
    private final byte[] response = new byte[RESPONSE_BYTES];
    private final byte[] cookieReply = new byte[COOKIE_REPLY_BYTES];
    private boolean forcedUnderLoad;
    private long loadBucketStartNs;
    private int handshakesThisSecond;
    private int handshakesLastSecond;
    private long cookieRepliesSent;

    InboundHandshakes(Device device, CookieResponder cookieResponder, long nowNs) {
        this.device = device;
        this.cookieResponder = cookieResponder;
        this.loadBucketStartNs = nowNs;
    }

    Action onInitiation(SocketAddress from, ByteBuffer datagram, int pos, ByteBuffer out, long now, TunnelResult r) {
        byte[] msg = copy(datagram, pos, initiation);
        countHandshake(now);
        if (!cookieResponder.checkMac1(msg, INITIATION_MAC1)) {
            return device.drop(DropReason.BAD_MAC1, r);
        }
        if (underLoad(now) && !cookieResponder.checkMac2(msg, INITIATION_MAC2, sourceBytes(from), now)) {
            return sendCookieReply(from, msg, INITIATION_MAC1, le32(msg, INITIATION_SENDER), out, now, r);
        }
        NoiseProtocol noise = device.noise();
        if (!noise.readInitiationStatic(device.local(), msg)) {
            noise.eraseResponderScratch();
            return device.drop(DropReason.HANDSHAKE_FAILED, r);
        }
        Tunnel t = device.peer(PublicKey.of(noise.peerStatic));
        if (t == null) {
            noise.eraseResponderScratch();
            Logger.debug("handshake initiation from an unknown static key {} via {}", PublicKey.of(noise.peerStatic), from);
            return device.drop(DropReason.UNKNOWN_PEER, r);
        }
        Action a = t.handshakes.consumeInitiation(msg, from, out, now, r);
        noise.eraseResponderScratch();
        t.reschedule();
        return a;
    }

    Action onResponse(SocketAddress from, ByteBuffer datagram, int pos, ByteBuffer out, long now, TunnelResult r) {
        byte[] msg = copy(datagram, pos, response);
        countHandshake(now);
        if (!cookieResponder.checkMac1(msg, RESPONSE_MAC1)) {
            return device.drop(DropReason.BAD_MAC1, r);
        }
        if (underLoad(now) && !cookieResponder.checkMac2(msg, RESPONSE_MAC2, sourceBytes(from), now)) {
            return sendCookieReply(from, msg, RESPONSE_MAC1, le32(msg, RESPONSE_SENDER), out, now, r);
        }
        Tunnel t = device.tunnelForIndex(le32(msg, RESPONSE_RECEIVER));
        if (t == null) {
            return device.drop(DropReason.UNKNOWN_RECEIVER, r);
        }
        Action a = t.handshakes.consumeResponse(msg, from, out, now, r);
        t.reschedule();
        return a;
    }

    Action onCookieReply(ByteBuffer datagram, int pos, long now, TunnelResult r) {
        byte[] msg = copy(datagram, pos, cookieReply);
        Tunnel t = device.tunnelForIndex(le32(msg, COOKIE_RECEIVER));
        if (t == null) {
            return device.drop(DropReason.UNKNOWN_RECEIVER, r);
        }
        Action a = t.handshakes.consumeCookieReply(msg, now, r);
        t.reschedule();
        return a;
    }

    void setUnderLoad(boolean underLoad) {
        this.forcedUnderLoad = underLoad;
    }

    boolean underLoad(long now) {
        rollLoadBucket(now);
        int threshold = device.config().underLoadHandshakesPerSecond();
        return forcedUnderLoad
                || (threshold > 0 && (handshakesThisSecond > threshold || handshakesLastSecond > threshold));
    }

    long cookieRepliesSent() {
        return cookieRepliesSent;
    }

    private Action sendCookieReply(SocketAddress from, byte[] msg, int mac1Off, int receiver, ByteBuffer out,
            long now, TunnelResult r) {
        if (out.remaining() < COOKIE_REPLY_BYTES) {
            return device.drop(DropReason.BUFFER_TOO_SMALL, r);
        }
        cookieResponder.writeCookieReply(msg, mac1Off, receiver, sourceBytes(from), now, cookieReply);
        out.put(cookieReply);
        cookieRepliesSent++;
        Logger.trace("under load: cookie reply to {}", from);
        return r.set(Action.WRITE_TO_NETWORK, COOKIE_REPLY_BYTES, null, null);
    }

    private void countHandshake(long now) {
        rollLoadBucket(now);
        if (handshakesThisSecond < Integer.MAX_VALUE) {
            handshakesThisSecond++;
        }
    }

    private void rollLoadBucket(long now) {
        long elapsed = now - loadBucketStartNs;
        if (elapsed >= 1_000_000_000L) {
            handshakesLastSecond = elapsed >= 2_000_000_000L ? 0 : handshakesThisSecond;
            handshakesThisSecond = 0;
            loadBucketStartNs = now;
        }
    }

    private static byte[] copy(ByteBuffer datagram, int pos, byte[] into) {
        datagram.get(pos, into, 0, into.length);
        return into;
    }

    /** The cookie's binding: IP address bytes and big-endian port, or the text of other address kinds. */
    private static byte[] sourceBytes(SocketAddress from) {
        if (from instanceof InetSocketAddress inet && inet.getAddress() != null) {
            byte[] ip = inet.getAddress().getAddress();
            byte[] out = new byte[ip.length + 2];
            System.arraycopy(ip, 0, out, 0, ip.length);
            out[ip.length] = (byte) (inet.getPort() >>> 8);
            out[ip.length + 1] = (byte) inet.getPort();
            return out;
        }
        return String.valueOf(from).getBytes(StandardCharsets.UTF_8);
    }
}
