package zonegate.wireguard;

import java.time.Instant;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Test harness: devices joined by a seeded in-memory network that can lose, duplicate, delay and
 * reorder datagrams, driven by a manual clock that jumps from deadline to deadline (no sleeps).
 * Datagrams go where a host would send them: replies to the source, timer output and encapsulated
 * packets to the tunnel's endpoint. Two nodes {@code a} and {@code b} are peers of each other; more
 * can be added with {@link #addNode} and {@link #connect}.
 */
final class SimNetwork {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    private static final long EPOCH_NS = 1_700_000_000L * S;

    final SplittableRandom rng;
    long nowNs = 10 * S;
    double lossRate;
    double duplicateRate;
    long latencyNs = 20 * MS;
    long jitterNs;
    final Node a;
    final Node b;
    private final Map<InetSocketAddress, Node> nodes = new LinkedHashMap<>();
    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>();
    private long sequence;

    record InFlight(long arrivalNs, long sequence, Node to, InetSocketAddress from, byte[] bytes)
            implements Comparable<InFlight> {
        @Override
        public int compareTo(InFlight o) {
            int c = Long.compare(arrivalNs, o.arrivalNs);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    /** One host: a device; {@link #tunnel} is its tunnel to {@link #other} when made by the constructor. */
    final class Node {
        final String name;
        final PrivateKey key;
        final Device device;
        final InetSocketAddress address;
        final List<byte[]> delivered = new ArrayList<>();
        final List<Tunnel> deliveredFrom = new ArrayList<>();
        final List<TunnelEvent> events = new ArrayList<>();
        Tunnel tunnel;
        Node other;
        long datagramsSent;
        private final ByteBuffer out = ByteBuffer.allocate(2048);
        private final TunnelResult r = new TunnelResult();

        Node(String name, long seed, int lastOctet, WireGuardConfig config) {
            this.name = name;
            this.key = PrivateKey.generate(new FixedSecureRandom(seed));
            this.device = new Device(key, config, () -> Instant.ofEpochSecond(0, EPOCH_NS + nowNs), new FixedSecureRandom(seed + 1),
                    new ScriptedRandom(seed + 2), nowNs);
            this.address = new InetSocketAddress("10.0.0." + lastOctet, 51820);
            nodes.put(address, this);
        }

        /** Sends an IP packet from this side's TUN device to {@link #tunnel}. */
        Action send(byte[] ipPacket) {
            return sendTo(tunnel, ipPacket);
        }

        /** Sends an IP packet from this side's TUN device to the peer of {@code via}. */
        Action sendTo(Tunnel via, byte[] ipPacket) {
            out.clear();
            Action a = via.encapsulate(ByteBuffer.wrap(ipPacket), out, nowNs, r);
            if (a == Action.WRITE_TO_NETWORK) {
                transmit(this, via.endpoint(), out);
            }
            drainEvents();
            return a;
        }

        void receive(InFlight f) {
            out.clear();
            Action a = device.handleDatagram(f.from(), ByteBuffer.wrap(f.bytes()), out, nowNs, r);
            switch (a) {
                case WRITE_TO_NETWORK -> transmit(this, f.from(), out);
                case WRITE_TO_TUNNEL -> {
                    out.flip();
                    byte[] p = new byte[out.remaining()];
                    out.get(p);
                    delivered.add(p);
                    deliveredFrom.add(r.tunnel());
                }
                case DONE, QUEUED, DROPPED -> { }
            }
            runTimers();
        }

        void runTimers() {
            while (true) {
                out.clear();
                if (device.handleTimeout(nowNs, out, r) != Action.WRITE_TO_NETWORK) {
                    break;
                }
                transmit(this, r.tunnel().endpoint(), out);
            }
            drainEvents();
        }

        void drainEvents() {
            for (TunnelEvent e; (e = device.pollEvent()) != null; ) {
                events.add(e);
            }
        }

        long count(Class<? extends TunnelEvent> kind) {
            return events.stream().filter(kind::isInstance).count();
        }
    }

    SimNetwork(long seed, PeerRole roleOfA, PeerRole roleOfB) {
        this(seed, roleOfA, roleOfB, WireGuardConfig.DEFAULT);
    }

    SimNetwork(long seed, PeerRole roleOfA, PeerRole roleOfB, WireGuardConfig config) {
        this(seed, roleOfA, roleOfB, config, config);
    }

    SimNetwork(long seed, PeerRole roleOfA, PeerRole roleOfB, WireGuardConfig configOfA, WireGuardConfig configOfB) {
        this.rng = new SplittableRandom(seed);
        this.a = new Node("a", seed * 10 + 1, 1, configOfA);
        this.b = new Node("b", seed * 10 + 5, 2, configOfB);
        a.other = b;
        b.other = a;
        a.tunnel = a.device.addPeer(PeerConfig.of(b.key.publicKey()).withRole(roleOfA), nowNs);
        b.tunnel = b.device.addPeer(PeerConfig.of(a.key.publicKey()).withRole(roleOfB), nowNs);
        a.tunnel.setEndpoint(b.address);
    }

    /** Another host at 10.0.0.{@code lastOctet}, with no peers yet. */
    Node addNode(String name, long seed, int lastOctet, WireGuardConfig config) {
        return new Node(name, seed, lastOctet, config);
    }

    /** Makes {@code x} and {@code y} peers; {@code x} knows {@code y}'s endpoint. Returns x's tunnel. */
    Tunnel connect(Node x, PeerRole roleAtX, Node y, PeerRole roleAtY) {
        Tunnel atX = x.device.addPeer(PeerConfig.of(y.key.publicKey()).withRole(roleAtX), nowNs);
        y.device.addPeer(PeerConfig.of(x.key.publicKey()).withRole(roleAtY), nowNs);
        atX.setEndpoint(y.address);
        return atX;
    }

    void transmit(Node from, java.net.SocketAddress toAddress, ByteBuffer out) {
        out.flip();
        byte[] bytes = new byte[out.remaining()];
        out.get(bytes);
        from.datagramsSent++;
        Node to = nodes.get(toAddress);
        if (to == null || rng.nextDouble() < lossRate) {
            return;
        }
        int copies = rng.nextDouble() < duplicateRate ? 2 : 1;
        for (int i = 0; i < copies; i++) {
            long delay = latencyNs + (jitterNs > 0 ? rng.nextLong(jitterNs) : 0);
            inFlight.add(new InFlight(nowNs + delay, sequence++, to, from.address, bytes));
        }
    }

    /** Advances time to {@code targetNs}, delivering datagrams and firing timers in order. */
    void runUntil(long targetNs) {
        while (true) {
            long next = Long.MAX_VALUE;
            for (Node n : nodes.values()) {
                long deadline = n.device.nextTimerDeadlineNs();
                long scanned = Long.MAX_VALUE;
                for (Tunnel t : n.device.peers()) {
                    scanned = Math.min(scanned, t.nextTimerDeadlineNs());
                }
                if (deadline != scanned) {
                    throw new AssertionError(n.name + ": indexed deadline " + deadline + " != scanned " + scanned);
                }
                next = Math.min(next, deadline);
            }
            if (!inFlight.isEmpty()) {
                next = Math.min(next, inFlight.peek().arrivalNs());
            }
            if (next > targetNs) {
                break;
            }
            nowNs = Math.max(nowNs, next);
            while (!inFlight.isEmpty() && inFlight.peek().arrivalNs() <= nowNs) {
                InFlight f = inFlight.poll();
                f.to().receive(f);
            }
            for (Node n : nodes.values()) {
                n.runTimers();
            }
        }
        nowNs = Math.max(nowNs, targetNs);
    }

    void runFor(long durationNs) {
        runUntil(nowNs + durationNs);
    }

    /** Moves the clock without firing what came due in between (a suspended host waking up). */
    void jump(long durationNs) {
        nowNs += durationNs;
        inFlight.clear();
    }

    /** A minimal IPv4 packet of {@code lengthBytes} whose identification field carries {@code id}. */
    static byte[] ipv4(int id, int lengthBytes) {
        byte[] p = new byte[lengthBytes];
        p[0] = 0x45;
        p[2] = (byte) (lengthBytes >>> 8);
        p[3] = (byte) lengthBytes;
        p[4] = (byte) (id >>> 8);
        p[5] = (byte) id;
        p[8] = 64;
        p[9] = 17;
        return p;
    }

    static int idOf(byte[] ipPacket) {
        return (ipPacket[4] & 0xff) << 8 | (ipPacket[5] & 0xff);
    }
}
