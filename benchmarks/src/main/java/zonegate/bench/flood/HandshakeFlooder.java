package zonegate.bench.flood;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;
import zonegate.wireguard.Action;
import zonegate.wireguard.Device;
import zonegate.wireguard.PeerConfig;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.PublicKey;
import zonegate.wireguard.Tunnel;
import zonegate.wireguard.TunnelResult;
import zonegate.wireguard.WireGuardConfig;
import zonegate.wireguard.internal.crypto.Blake2s;
import zonegate.wireguard.internal.crypto.HandshakeAead;
import zonegate.wireguard.internal.noise.LocalIdentity;
import zonegate.wireguard.internal.noise.Messages;
import zonegate.wireguard.internal.noise.PeerIdentity;

/**
 * Floods a WireGuard gateway with handshake initiations that carry a valid mac1 (computed from the
 * gateway's public key by a real initiator, for a static key the gateway does not know), for
 * {@code handshake-flood.sh}. Not a JMH benchmark and never part of the image.
 *
 * <ul>
 *   <li>{@code ports}: the same initiation, mac2 zero, round-robin from {@code --sockets} sockets, each
 *       its own source port.
 *   <li>{@code cookie}: from one socket; once the gateway is under load and answers with a cookie
 *       reply, the reply is decrypted (XChaCha20-Poly1305 under {@code HASH("cookie--" || gateway
 *       key)}, with our mac1 as associated data) and every later copy carries a valid mac2.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar zonegate.bench.flood.HandshakeFlooder \
 *     --gateway 198.18.4.1:51820 --public-key BASE64 [--mode ports|cookie] [--rate 200000] [--seconds 20] [--sockets 256]
 * </pre>
 * Each socket sends runs of up to 64 copies per syscall (UDP segmentation offload, {@link GsoSocket}).
 * Paced every 0.1 ms (never more than 10 ms of backlog is caught up); prints the achieved rate
 * once a second and {@code flood mode=M sent=N seconds=S rate=R cookie_after_s=C} at the end.
 */
public final class HandshakeFlooder {
    private static final long MS = 1_000_000L;

    private final GsoSocket[] sockets;
    private final byte[] initiation;
    private final byte[] cookieKey;
    private final HandshakeAead aead = new HandshakeAead();
    private double cookieAfterSeconds = -1;

    private HandshakeFlooder(GsoSocket[] sockets, byte[] initiation, byte[] cookieKey) {
        this.sockets = sockets;
        this.initiation = initiation;
        this.cookieKey = cookieKey;
    }

    public static void main(String[] args) throws Exception {
        String gateway = option(args, "--gateway", null);
        String publicKey = option(args, "--public-key", null);
        if (gateway == null || publicKey == null) {
            System.err.println("usage: HandshakeFlooder --gateway HOST:PORT --public-key BASE64 [--mode ports|cookie]"
                    + " [--rate 200000] [--seconds 20] [--sockets 256]");
            System.exit(2);
        }
        String mode = option(args, "--mode", "ports");
        int rate = Integer.parseInt(option(args, "--rate", "200000"));
        double seconds = Double.parseDouble(option(args, "--seconds", "20"));
        int sockets = mode.equals("cookie") ? 1 : Integer.parseInt(option(args, "--sockets", "256"));
        int colon = gateway.lastIndexOf(':');
        InetSocketAddress target = new InetSocketAddress(InetAddress.getByName(gateway.substring(0, colon)),
                Integer.parseInt(gateway.substring(colon + 1)));

        SecureRandom secure = new SecureRandom();
        byte[] raw = new byte[32];
        secure.nextBytes(raw);
        PublicKey gatewayKey = PublicKey.parse(publicKey);
        byte[] initiation = initiation(PrivateKey.ofOwned(raw.clone()), gatewayKey, secure);
        GsoSocket[] open = new GsoSocket[sockets];
        for (int i = 0; i < sockets; i++) {
            open[i] = new GsoSocket(target, initiation);
        }
        byte[] cookieKey = mode.equals("cookie")
                ? new PeerIdentity(new LocalIdentity(raw), gatewayKey.toBytes(), null).cookieKey : null;
        HandshakeFlooder flooder = new HandshakeFlooder(open, initiation, cookieKey);
        long startNs = System.nanoTime();
        long sent = flooder.flood(rate, (long) (seconds * 1e9), startNs);
        double elapsed = (System.nanoTime() - startNs) / 1e9;
        System.out.printf("flood mode=%s sent=%d seconds=%.1f rate=%.0f cookie_after_s=%.2f%n", mode, sent, elapsed,
                sent / elapsed, flooder.cookieAfterSeconds);
    }

    /** A real first initiation from {@code key} to the gateway: valid mac1, mac2 zero. */
    private static byte[] initiation(PrivateKey key, PublicKey gatewayKey, SecureRandom secure) {
        long now = System.nanoTime();
        Device device = new Device(key, WireGuardConfig.DEFAULT, InstantSource.system(), secure, new SplittableRandom(),
                now);
        Tunnel tunnel = device.addPeer(PeerConfig.of(gatewayKey), now);
        byte[] packet = new byte[20];
        packet[0] = 0x45;
        packet[3] = 20;
        ByteBuffer out = ByteBuffer.allocate(256);
        if (tunnel.encapsulate(ByteBuffer.wrap(packet), out, now, new TunnelResult()) != Action.WRITE_TO_NETWORK) {
            throw new IllegalStateException("no initiation written");
        }
        return Arrays.copyOf(out.array(), out.position());
    }

    /** Sends at {@code rate} per second, in runs of up to 64 per socket, catching up at most 10 ms. */
    private long flood(int rate, long durationNs, long startNs) {
        long sent = 0;
        long scheduled = 0;
        long reportedAt = startNs;
        long reportedSent = 0;
        long polledAt = startNs;
        for (int next = 0; ; ) {
            long now = System.nanoTime();
            if (now - startNs >= durationNs) {
                return sent;
            }
            long due = (now - startNs) * rate / 1_000_000_000L;
            scheduled = Math.max(scheduled, due - rate / 100);
            while (scheduled < due) {
                int run = (int) Math.min(GsoSocket.MAX_COPIES, due - scheduled);
                sent += sockets[next].send(run);
                scheduled += run;
                next = next + 1 == sockets.length ? 0 : next + 1;
            }
            if (cookieKey != null && now - polledAt >= MS) {
                takeCookie(now - startNs);
                polledAt = now;
            }
            if (now - reportedAt >= 1_000 * MS) {
                System.out.printf("t=%.0fs rate=%.0f/s%n", (now - startNs) / 1e9,
                        (sent - reportedSent) * 1e9 / (now - reportedAt));
                reportedAt = now;
                reportedSent = sent;
            }
            // Caught up: sleep instead of spinning, so the flooder takes from the shared vCPUs only
            // what its sends cost (a run of 64 is one syscall), as an attacker on another host would.
            LockSupport.parkNanos(100_000);
        }
    }

    /** Takes a cookie reply, if one came, and puts a valid mac2 on every later copy. */
    private void takeCookie(long elapsedNs) {
        byte[] reply = sockets[0].receive();
        byte[] mac1 = Arrays.copyOfRange(initiation, Messages.INITIATION_MAC1, Messages.INITIATION_MAC1 + 16);
        byte[] cookie = new byte[16];
        if (reply == null || reply.length != Messages.COOKIE_REPLY_BYTES || reply[0] != Messages.TYPE_COOKIE_REPLY
                || !aead.xopen(cookieKey, reply, Messages.COOKIE_NONCE, reply, Messages.COOKIE_ENCRYPTED, 32, mac1,
                cookie, 0)) {
            return;
        }
        byte[] withMac2 = initiation.clone();
        Blake2s.mac(cookie, withMac2, 0, Messages.INITIATION_MAC2, withMac2, Messages.INITIATION_MAC2);
        sockets[0].set(withMac2);
        if (cookieAfterSeconds < 0) {
            cookieAfterSeconds = elapsedNs / 1e9;
            System.out.printf("cookie after %.2f s: mac2 on every copy from now%n", cookieAfterSeconds);
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
