package zonegate.tunnel.sim;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BiPredicate;
import zonegate.node.TurnServer;
import zonegate.turn.server.RelayConfig;
import zonegate.turn.server.RelayServer;
import zonegate.turn.server.RelayTransmit;
import zonegate.wireguard.PrivateKey;

/**
 * An in-memory internet with a manual clock for the tunnel layer's state machines: {@link SimHost}s (the
 * ICE-mode gateway with its simulated site, plain client nodes), each with one socket and optionally
 * behind a {@link Nat}; real sans-IO TURN {@link RelayServer}s; per-hop latency, seeded loss and a
 * blackhole. A scripted {@link ControlPlane} tells both sides who talks to whom. Everything is driven from
 * the test thread in time order, so a run is reproducible from its seed.
 */
final class TunnelSim {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    /** The wall clock at {@code nowNs == 0} (Unix seconds). */
    static final long EPOCH_SECONDS = 1_700_000_000L;
    static final String TURN_USER = "user";
    static final String TURN_PASSWORD = "password";

    private record Delivery(long atNs, long seq, InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    /** A relay: its listen address and its sans-IO server. */
    record Relay(InetSocketAddress listen, RelayServer server) {
        TurnServer turnServer() {
            return new TurnServer(listen, TURN_USER, TURN_PASSWORD);
        }
    }

    final SplittableRandom random;
    final List<SimHost> hosts = new ArrayList<>();
    final Map<InetAddress, Relay> relays = new HashMap<>();
    final ControlPlane controlPlane = new ControlPlane(this);
    final InstantSource wallClock = () -> Instant.ofEpochSecond(EPOCH_SECONDS).plusNanos(nowNs());
    long nowNs = 1_000 * S;
    long latencyNs = 10 * MS;
    double lossRate;
    /** Every datagram is lost while set. */
    boolean blackhole;
    /** A firewall: datagrams for which this holds of (sender's own address, destination) are lost. */
    BiPredicate<InetSocketAddress, InetSocketAddress> blocked = (from, to) -> false;
    private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>(
            (a, b) -> a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.seq, b.seq));
    private long seq;
    private int addresses;

    TunnelSim(long seed) {
        this.random = new SplittableRandom(seed);
    }

    long nowNs() {
        return nowNs;
    }

    /** The wall clock now, in Unix seconds. */
    long wallSeconds() {
        return wallClock.instant().getEpochSecond();
    }

    static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }

    static SecureRandom seededSecureRandom(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static PrivateKey key(SplittableRandom random) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return PrivateKey.ofOwned(raw);
    }

    /** A host's socket (public, or private behind a new NAT of {@code natType}) and its NAT. */
    record Placement(InetSocketAddress socket, Nat nat) {
    }

    Placement place(Nat.Type natType) {
        int index = ++addresses;
        Nat nat = natType == null ? null : new Nat(natType, InetAddress.ofLiteral("203.0.113." + (10 + index)));
        InetSocketAddress socket = natType == null ? address("203.0.113." + (10 + index), 5000)
                : address("10.0." + index + ".2", 5000);
        return new Placement(socket, nat);
    }

    /** The ICE-mode gateway {@code name}, with public address ({@code natType} null) or behind a NAT. */
    GatewayHost gateway(String name, Nat.Type natType) {
        GatewayHost g = new GatewayHost(this, name, place(natType), random.split());
        hosts.add(g);
        return g;
    }

    /** A plain client node {@code name} with the tunnel addresses 100.64.0.(10+n) and fd00:2021:1111::(10+n). */
    ClientHost client(String name, Nat.Type natType) {
        int n = (int) hosts.stream().filter(h -> h instanceof ClientHost).count();
        ClientHost c = new ClientHost(this, name, place(natType), "100.64.0." + (10 + n),
                "fd00:2021:1111::" + Integer.toHexString(0x10 + n), random.split());
        hosts.add(c);
        return c;
    }

    /**
     * Replaces {@code old} by a fresh client node (a restart: new WireGuard key, no connections) with the
     * same name, address and tunnel addresses.
     */
    ClientHost restart(ClientHost old) {
        ClientHost c = new ClientHost(this, old.name, new Placement(old.socket, old.nat), old.ipv4, old.ipv6,
                random.split());
        hosts.set(hosts.indexOf(old), c);
        return c;
    }

    /** A TURN relay at {@code ip}:3478 with the test user. */
    Relay relay(String ip) {
        InetAddress address = InetAddress.ofLiteral(ip);
        RelayConfig config = RelayConfig.of("zonegate", address, null, 50000, 50999)
                .withStaticUsers(Map.of(TURN_USER, TURN_PASSWORD));
        Relay relay = new Relay(new InetSocketAddress(address, 3478),
                new RelayServer(config, InstantSource.fixed(Instant.EPOCH), random.split(), nowNs));
        relays.put(address, relay);
        return relay;
    }

    /** Sends a datagram from a host's own socket (or a relay's address): NAT applied, loss drawn. */
    void send(InetSocketAddress from, InetSocketAddress to, ByteBuffer payload, Nat nat) {
        InetSocketAddress source = nat == null ? from : nat.outbound(from, to);
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        if (blackhole || blocked.test(from, to) || (lossRate > 0 && random.nextDouble() < lossRate)) {
            return;
        }
        inFlight.add(new Delivery(nowNs + latencyNs, seq++, source, to, bytes));
    }

    /** Runs until {@code endNs}: deliveries, timeouts and outputs in time order. */
    void runUntil(long endNs) {
        long lastNs = -1;
        int spins = 0;
        while (true) {
            drainAll();
            long next = nextEventNs();
            spins = next == lastNs ? spins + 1 : 0;
            lastNs = next;
            if (spins > 10_000) {
                throw new AssertionError("a deadline at " + next + " stays due after its timeout ran: " + hosts);
            }
            if (next > endNs) {
                nowNs = Math.max(nowNs, endNs);
                drainAll();
                return;
            }
            nowNs = Math.max(nowNs, next);
            for (Delivery d; (d = inFlight.peek()) != null && d.atNs <= nowNs; ) {
                deliver(inFlight.poll());
            }
            for (SimHost h : List.copyOf(hosts)) {
                if (h.pollTimeout() <= nowNs) {
                    h.handleTimeout(nowNs);
                }
            }
            for (Relay r : relays.values()) {
                if (r.server().pollTimeout() <= nowNs) {
                    r.server().handleTimeout(nowNs);
                }
            }
        }
    }

    void runFor(long durationNs) {
        runUntil(nowNs + durationNs);
    }

    /** Moves what is queued now, without advancing the clock. */
    void settle() {
        drainAll();
    }

    private long nextEventNs() {
        long next = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().atNs;
        for (SimHost h : hosts) {
            next = Math.min(next, h.pollTimeout());
        }
        for (Relay r : relays.values()) {
            next = Math.min(next, r.server().pollTimeout());
        }
        return next;
    }

    private void drainAll() {
        for (int round = 0; ; round++) {
            if (round > 10_000) {
                throw new AssertionError("the simulation did not settle at " + nowNs);
            }
            boolean more = false;
            for (SimHost h : List.copyOf(hosts)) {
                more |= h.drain(nowNs);
            }
            for (Relay r : relays.values()) {
                for (RelayTransmit t; (t = r.server().pollTransmit()) != null; more = true) {
                    InetSocketAddress source = t.fromListenSocket() ? r.listen()
                            : new InetSocketAddress(r.listen().getAddress(), t.relayPort());
                    send(source, t.destination(), ByteBuffer.wrap(t.bytes()), null);
                }
                while (r.server().pollEvent() != null) {
                    // allocation created or ended: nothing for the simulation to do
                }
            }
            if (!more) {
                return;
            }
        }
    }

    private void deliver(Delivery d) {
        ByteBuffer datagram = ByteBuffer.wrap(d.bytes);
        Relay relay = relays.get(d.to.getAddress());
        if (relay != null) {
            if (d.to.equals(relay.listen())) {
                relay.server().handleClientDatagram(d.from, datagram, nowNs);
            } else {
                relay.server().handlePeerDatagram(d.to.getPort(), d.from, datagram, nowNs);
            }
            return;
        }
        for (SimHost h : hosts) {
            Nat nat = h.nat();
            InetSocketAddress internal = nat == null ? (h.socket().equals(d.to) ? h.socket() : null)
                    : nat.publicIp.equals(d.to.getAddress()) ? nat.inbound(d.to, d.from) : null;
            if (internal != null) {
                h.receive(d.from, datagram, nowNs);
                return;
            }
        }
    }
}
