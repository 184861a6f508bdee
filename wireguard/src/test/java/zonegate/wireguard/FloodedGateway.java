package zonegate.wireguard;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import zonegate.wireguard.internal.crypto.Blake2s;
import zonegate.wireguard.internal.crypto.HandshakeAead;
import zonegate.wireguard.internal.noise.LocalIdentity;
import zonegate.wireguard.internal.noise.Messages;
import zonegate.wireguard.internal.noise.PeerIdentity;

/**
 * Test harness: a gateway's {@link Device} behind a model of its single state thread, flooded with
 * valid-mac1 initiations while a new honest client connects. Time advances in 1 ms slices on a manual
 * clock. Each slice, {@code floodPerSecond / 1000} flood datagrams and the client's datagrams (at a
 * seeded position among them) enter a bounded receive queue ({@value #QUEUE_DATAGRAMS} datagrams,
 * like a socket buffer; arrivals beyond it are lost). The thread then works through the queue for
 * 1 ms of modelled CPU: each datagram costs what the device did with it, taken from its outcome
 * ({@link #costNs}), so a device that lets the flood reach the Diffie-Hellman falls behind, its queue
 * fills and the client's datagrams are lost, as on a real host.
 *
 * <p>The flood replays one real initiation from a known client's key (each copy costs one X25519
 * before its replayed timestamp is noticed). Many-ports mode sends it with mac2 zero from 50,000
 * ports of one address; cookie mode sends it from one address and port, and once a cookie reply
 * arrives there it decrypts the cookie, as an attacker would, and adds a valid mac2 to every copy.
 */
final class FloodedGateway {
    static final long MS = 1_000_000L;
    static final long US = 1_000L;
    static final int QUEUE_DATAGRAMS = 4096;
    /** Modelled costs on these machines: BLAKE2s MAC ~1 us, X25519 ~130 us (BouncyCastle, one core). */
    static final long MAC_NS = 1 * US;
    static final long X25519_NS = 130 * US;
    private static final long EPOCH_NS = 1_700_000_000_000_000_000L;
    private static final InetSocketAddress GATEWAY = new InetSocketAddress("203.0.113.1", 51820);
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.10", 51820);
    static final InetSocketAddress FLOODER = new InetSocketAddress("198.51.100.7", 40000);

    enum Mode { MANY_PORTS, ONE_SOURCE_WITH_COOKIE }

    record Datagram(InetSocketAddress from, byte[] bytes) {}

    final Device gateway;
    final Device client;
    private final Tunnel clientTunnel;
    private final PrivateKey flooderKey = PrivateKey.generate(new FixedSecureRandom(903));
    private final PrivateKey gatewayKey = PrivateKey.generate(new FixedSecureRandom(901));
    private final Mode mode;
    private final int floodPerMs;
    private final byte[] flood;
    private final InetSocketAddress[] floodSources;
    private final SplittableRandom rng = new SplittableRandom(905);
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private final List<Datagram> toGateway = new ArrayList<>();
    private final List<Datagram> toClient = new ArrayList<>();
    private final ByteBuffer out = ByteBuffer.allocate(2048);
    private final TunnelResult r = new TunnelResult();
    long nowNs = 10_000 * MS;
    private long busyUntilNs = nowNs;
    long floodSent;
    long lostAtQueue;
    long clientDatagramsLost;
    private boolean floodHasCookie;

    FloodedGateway(Mode mode, int floodPerSecond) {
        this.mode = mode;
        this.floodPerMs = floodPerSecond / 1000;
        PrivateKey clientKey = PrivateKey.generate(new FixedSecureRandom(902));
        gateway = new Device(gatewayKey, WireGuardConfig.DEFAULT, this::wallClock, new FixedSecureRandom(911),
                new ScriptedRandom(912), nowNs);
        gateway.addPeer(PeerConfig.of(clientKey.publicKey()).withRole(PeerRole.RESPONDER_ONLY), nowNs);
        gateway.addPeer(PeerConfig.of(flooderKey.publicKey()).withRole(PeerRole.RESPONDER_ONLY), nowNs);
        client = new Device(clientKey, WireGuardConfig.DEFAULT, this::wallClock, new FixedSecureRandom(921),
                new ScriptedRandom(922), nowNs);
        clientTunnel = client.addPeer(PeerConfig.of(gatewayKey.publicKey()), nowNs);
        clientTunnel.setEndpoint(GATEWAY);
        flood = initiationFrom(flooderKey);
        floodSources = new InetSocketAddress[mode == Mode.MANY_PORTS ? 50_000 : 1];
        for (int i = 0; i < floodSources.length; i++) {
            floodSources[i] = mode == Mode.MANY_PORTS ? new InetSocketAddress(FLOODER.getAddress(), 10_000 + i) : FLOODER;
        }
    }

    private Instant wallClock() {
        return Instant.ofEpochSecond(0, EPOCH_NS + nowNs);
    }

    private byte[] initiationFrom(PrivateKey key) {
        Device d = new Device(key, WireGuardConfig.DEFAULT, this::wallClock, new FixedSecureRandom(931),
                new ScriptedRandom(932), nowNs);
        Tunnel t = d.addPeer(PeerConfig.of(gatewayKey.publicKey()), nowNs);
        t.encapsulate(ByteBuffer.wrap(SimNetwork.ipv4(1, 60)), out.clear(), nowNs, r);
        return bytesOf(out);
    }

    /** The honest client sends its first packet, which starts its handshake. */
    void clientSends() {
        if (clientTunnel.encapsulate(ByteBuffer.wrap(SimNetwork.ipv4(2, 60)), out.clear(), nowNs, r)
                == Action.WRITE_TO_NETWORK) {
            toGateway.add(new Datagram(CLIENT, bytesOf(out)));
        }
    }

    /** Runs 1 ms slices until the client has a session or {@code limitNs} passed; returns whether it has. */
    boolean runUntilClientConnected(long limitNs) {
        long end = nowNs + limitNs;
        while (nowNs < end) {
            slice();
            for (TunnelEvent e; (e = client.pollEvent()) != null; ) {
                if (e instanceof TunnelEvent.SessionEstablished) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Runs the flood for {@code durationNs} without a client. */
    void runFor(long durationNs) {
        long end = nowNs + durationNs;
        while (nowNs < end) {
            slice();
        }
    }

    private void slice() {
        for (Datagram d : toClient) {
            if (client.handleDatagram(d.from(), ByteBuffer.wrap(d.bytes()), out.clear(), nowNs, r) == Action.WRITE_TO_NETWORK) {
                toGateway.add(new Datagram(CLIENT, bytesOf(out)));
            }
        }
        toClient.clear();
        while (client.handleTimeout(nowNs, out.clear(), r) == Action.WRITE_TO_NETWORK) {
            toGateway.add(new Datagram(CLIENT, bytesOf(out)));
        }
        int clientAt = rng.nextInt(floodPerMs + 1);
        for (int i = 0; i <= floodPerMs; i++) {
            if (i == clientAt) {
                toGateway.forEach(this::arrive);
                toGateway.clear();
            }
            if (i < floodPerMs) {
                arrive(new Datagram(floodSources[(int) (floodSent++ % floodSources.length)], flood));
            }
        }
        runGatewayThread(nowNs + MS);
        nowNs += MS;
    }

    private void arrive(Datagram d) {
        if (queue.size() >= QUEUE_DATAGRAMS) {
            lostAtQueue++;
            clientDatagramsLost += d.from().equals(CLIENT) ? 1 : 0;
            return;
        }
        queue.add(d);
    }

    private void runGatewayThread(long sliceEndNs) {
        busyUntilNs = Math.max(busyUntilNs, nowNs);
        while (gateway.handleTimeout(busyUntilNs, out.clear(), r) == Action.WRITE_TO_NETWORK) {
            toClient.add(new Datagram(GATEWAY, bytesOf(out)));
        }
        while (busyUntilNs < sliceEndNs && !queue.isEmpty()) {
            Datagram d = queue.poll();
            Action a = gateway.handleDatagram(d.from(), ByteBuffer.wrap(d.bytes()), out.clear(), busyUntilNs, r);
            busyUntilNs += costNs(a, r);
            if (a == Action.WRITE_TO_NETWORK) {
                byte[] reply = bytesOf(out);
                if (d.from().equals(CLIENT)) {
                    toClient.add(new Datagram(GATEWAY, reply));
                } else if (mode == Mode.ONE_SOURCE_WITH_COOKIE && !floodHasCookie
                        && reply.length == Messages.COOKIE_REPLY_BYTES) {
                    takeCookie(reply);
                }
            }
        }
    }

    /** What the attacker does with its cookie reply: decrypt the cookie and put a valid mac2 on the flood. */
    private void takeCookie(byte[] reply) {
        byte[] cookieKey = new PeerIdentity(new LocalIdentity(flooderKey.rawBytes()), gatewayKey.publicKey().toBytes(),
                null).cookieKey;
        byte[] mac1 = java.util.Arrays.copyOfRange(flood, Messages.INITIATION_MAC1, Messages.INITIATION_MAC1 + 16);
        byte[] cookie = new byte[16];
        if (new HandshakeAead().xopen(cookieKey, reply, Messages.COOKIE_NONCE, reply, Messages.COOKIE_ENCRYPTED, 32,
                mac1, cookie, 0)) {
            Blake2s.mac(cookie, flood, 0, Messages.INITIATION_MAC2, flood, Messages.INITIATION_MAC2);
            floodHasCookie = true;
        }
    }

    /**
     * Modelled CPU time of one datagram, from what the device did: a bad mac1 costs one MAC; a
     * cookie reply three MACs and the XChaCha20-Poly1305 seal; a response four X25519 (static DH,
     * ephemeral, two DH); a drop after the decryption of the static key one X25519; any other drop
     * (refused by a bucket, before any DH) at most the MACs of mac1 and mac2.
     */
    static long costNs(Action a, TunnelResult r) {
        return switch (a) {
            case WRITE_TO_NETWORK -> r.lengthBytes() == Messages.COOKIE_REPLY_BYTES ? 6 * MAC_NS : 4 * X25519_NS;
            case DROPPED -> switch (r.dropReason()) {
                case BAD_MAC1 -> MAC_NS;
                case REPLAYED_TIMESTAMP, UNKNOWN_PEER, HANDSHAKE_FAILED, RATE_LIMITED -> 3 * MAC_NS + X25519_NS;
                default -> 3 * MAC_NS;
            };
            case WRITE_TO_TUNNEL, DONE, QUEUED -> 5 * MAC_NS;
        };
    }

    boolean floodHasCookie() {
        return floodHasCookie;
    }

    /** A copy of the flood's initiation with the mac2 a holder of {@code from}'s cookie under {@code secret} writes. */
    byte[] floodWithMac2(byte[] secret, InetSocketAddress from) {
        byte[] ip = from.getAddress().getAddress();
        byte[] source = java.util.Arrays.copyOf(ip, ip.length + 2);
        source[ip.length] = (byte) (from.getPort() >>> 8);
        source[ip.length + 1] = (byte) from.getPort();
        byte[] cookie = new byte[16];
        Blake2s.mac(secret, source, 0, source.length, cookie, 0);
        byte[] msg = flood.clone();
        Blake2s.mac(cookie, msg, 0, Messages.INITIATION_MAC2, msg, Messages.INITIATION_MAC2);
        return msg;
    }

    private static byte[] bytesOf(ByteBuffer written) {
        written.flip();
        byte[] b = new byte[written.remaining()];
        written.get(b);
        return b;
    }
}
