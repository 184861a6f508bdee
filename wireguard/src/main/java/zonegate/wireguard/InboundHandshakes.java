package zonegate.wireguard;

import static zonegate.wireguard.internal.noise.Messages.*;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.tinylog.Logger;
import zonegate.wireguard.internal.SourceRateLimiter;
import zonegate.wireguard.internal.cookie.CookieResponder;
import zonegate.wireguard.internal.noise.NoiseProtocol;

/**
 * The device's side of incoming handshake messages before a peer is known to own them, in order of
 * cost: mac1 on every message (a bad one is dropped and does not count as load); the load estimate;
 * under load, mac2 with cookie replies (paper section 5.4.7) and then the sender's token bucket
 * ({@link HandshakeRateLimit}); only then the Diffie-Hellman of the Noise handshake. Initiations go to
 * the peer named by their decrypted static key, responses and cookie replies to the owner of their
 * receiver index. Nothing here changes a peer until the message authenticated.
 *
 * <p>The bucket applies under load only, as in wireguard-go and Linux. Below the threshold mac2 is not
 * checked, so the source address is unproven: a bucket consulted then could be drained by anyone
 * spoofing an honest client's address at a few dozen packets per second, locking that client out
 * without ever putting the device under load. Below the threshold the DH work is bounded by the
 * threshold itself (at most {@link WireGuardConfig#underLoadHandshakesPerSecond()} messages a second
 * reach it); above it every message has proved with mac2 that its sender receives at its address, so
 * each real address gets its own bucket and a flood from one address, with or without a cookie, costs
 * the single state thread at most {@code burst + perSecond} DH operations a second. While a source's
 * bucket is spent its messages are dropped before mac2 is even computed: only mac2-proven messages
 * spend it, so that source holds a fresh cookie, and nothing it sends could reach the DH anyway (a
 * spoofer cannot spend it, so it cannot use this to silence anyone).
 *
 * <p>Cookie replies have a bucket of their own per source (wireguard-go has none): a flood from one
 * address over many ports would otherwise cost a reply (~6 us: a MAC, XChaCha20-Poly1305, 24 random
 * bytes) per datagram, enough at 200,000 a second to fill the state thread. It is separate from the
 * DH bucket because its messages are unproven: a spoofer can drain it for a victim's address, which
 * only delays the victim's next cookie, never the handshakes of a victim already holding one (120 s).
 * When its table is full the reply is sent anyway, so a spoofed flood from many addresses cannot
 * refuse newcomers their cookie.
 */
final class InboundHandshakes {
    private static final int FAMILY_IPV4 = 4;
    private static final int FAMILY_IPV6 = 6;
    private static final int FAMILY_OTHER = 1;

    private final Device device;
    private final CookieResponder cookieResponder;
    private final SourceRateLimiter limiter;
    private final SourceRateLimiter cookieLimiter;
    private final byte[] initiation = new byte[INITIATION_BYTES];
    private final byte[] response = new byte[RESPONSE_BYTES];
    private final byte[] cookieReply = new byte[COOKIE_REPLY_BYTES];
    private final byte[] sourceIpv4 = new byte[4 + 2];
    private final byte[] sourceIpv6 = new byte[16 + 2];
    private byte[] source;
    private int sourceFamily;
    private long sourcePrefix;
    private boolean forcedUnderLoad;
    private long loadBucketStartNs;
    private int handshakesThisSecond;
    private int handshakesLastSecond;
    private long cookieRepliesSent;
    private long handshakesAdmitted;

    InboundHandshakes(Device device, CookieResponder cookieResponder, SourceRateLimiter limiter,
            SourceRateLimiter cookieLimiter, long nowNs) {
        this.device = device;
        this.cookieResponder = cookieResponder;
        this.limiter = limiter;
        this.cookieLimiter = cookieLimiter;
        this.loadBucketStartNs = nowNs;
    }

    Action onInitiation(SocketAddress from, ByteBuffer datagram, int pos, ByteBuffer out, long now, TunnelResult r) {
        byte[] msg = copy(datagram, pos, initiation);
        Action refused = admit(from, msg, INITIATION_MAC1, le32(msg, INITIATION_SENDER), out, now, r);
        if (refused != null) {
            return refused;
        }
        device.countHandshake(HandshakeCounter.INITIATIONS_RECEIVED);
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
        Action refused = admit(from, msg, RESPONSE_MAC1, le32(msg, RESPONSE_SENDER), out, now, r);
        if (refused != null) {
            return refused;
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

    long handshakesAdmitted() {
        return handshakesAdmitted;
    }

    int rateLimitedSources() {
        return limiter.size();
    }

    /**
     * mac1, the load count, and under load: a source whose bucket is spent is dropped at once; then
     * mac2 (else a cookie reply, within the source's cookie-reply bucket) and a token from the
     * source's bucket. Returns null when the message may go on to the Diffie-Hellman, else the action
     * taken instead.
     */
    private Action admit(SocketAddress from, byte[] msg, int mac1Off, int sender, ByteBuffer out, long now,
            TunnelResult r) {
        if (!cookieResponder.checkMac1(msg, mac1Off)) {
            return device.drop(DropReason.BAD_MAC1, r);
        }
        countHandshake(now);
        if (underLoad(now)) {
            readSource(from);
            if (limiter.spent(sourceFamily, sourcePrefix, now)) {
                // Only mac2-proven messages spend this bucket, so the source holds a fresh cookie and
                // needs no reply; whatever its mac2, the message could not reach the DH now.
                return device.drop(DropReason.SOURCE_RATE_LIMITED, r);
            }
            if (!cookieResponder.checkMac2(msg, mac1Off + 16, source, now)) {
                return cookieLimiter.admit(sourceFamily, sourcePrefix, now) == SourceRateLimiter.Verdict.LIMITED
                        ? device.drop(DropReason.COOKIE_REPLY_LIMITED, r)
                        : sendCookieReply(from, msg, mac1Off, sender, out, now, r);
            }
            switch (limiter.admit(sourceFamily, sourcePrefix, now)) {
                case ADMITTED -> { }
                case LIMITED -> {
                    return device.drop(DropReason.SOURCE_RATE_LIMITED, r);
                }
                case TABLE_FULL -> {
                    return device.drop(DropReason.SOURCE_TABLE_FULL, r);
                }
            }
        }
        handshakesAdmitted++;
        return null;
    }

    private Action sendCookieReply(SocketAddress from, byte[] msg, int mac1Off, int receiver, ByteBuffer out,
            long now, TunnelResult r) {
        if (out.remaining() < COOKIE_REPLY_BYTES) {
            return device.drop(DropReason.BUFFER_TOO_SMALL, r);
        }
        cookieResponder.writeCookieReply(msg, mac1Off, receiver, source, now, cookieReply);
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

    /**
     * Sets {@link #source} to the cookie's binding (IP address bytes, big-endian port; the text of other
     * address kinds) and the bucket's key: the IPv4 address, or the /64 of an IPv6 address.
     */
    private void readSource(SocketAddress from) {
        if (from instanceof InetSocketAddress inet && inet.getAddress() != null) {
            byte[] ip = inet.getAddress().getAddress();
            source = ip.length == 4 ? sourceIpv4 : sourceIpv6;
            System.arraycopy(ip, 0, source, 0, ip.length);
            source[ip.length] = (byte) (inet.getPort() >>> 8);
            source[ip.length + 1] = (byte) inet.getPort();
            sourceFamily = ip.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6;
            long top = 0;
            for (int i = 0; i < Math.min(ip.length, 8); i++) {
                top = top << 8 | (ip[i] & 0xff);
            }
            sourcePrefix = top;
            return;
        }
        source = String.valueOf(from).getBytes(StandardCharsets.UTF_8);
        sourceFamily = FAMILY_OTHER;
        sourcePrefix = Arrays.hashCode(source);
    }
}
