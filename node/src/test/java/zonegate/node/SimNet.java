package zonegate.node;

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
import zonegate.ice.Candidate;
import zonegate.ice.IceCredentials;
import zonegate.turn.server.RelayConfig;
import zonegate.turn.server.RelayServer;
import zonegate.turn.server.RelayTransmit;
import zonegate.wireguard.PrivateKey;

/**
 * An in-memory internet with a manual clock: hosts running a {@link Node}, each with one socket and
 * optionally behind a {@link Nat}; real {@link RelayServer}s; per-hop latency and seeded loss. The
 * control plane is simulated too: {@link #connect} gives both nodes their connection and the net
 * forwards each node's local candidates to the other side (trickle), unless told not to.
 */
final class SimNet {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final String TURN_USER = "user";
    static final String TURN_PASSWORD = "password";
    /** A second user of every relay: credentials a control plane renewed. */
    static final String RENEWED_TURN_USER = "renewed";

    private record Delivery(long atNs, long seq, InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    /** A relay: its listen address and its sans-IO server. */
    record Relay(InetSocketAddress listen, RelayServer server) {
    }

    /** The other side of a connection, as the control plane knows it. */
    record Link(Host host, String peerId, ConnectionParams params) {
    }

    final SplittableRandom random;
    final List<Host> hosts = new ArrayList<>();
    final Map<InetAddress, Relay> relays = new HashMap<>();
    final Map<String, Link> links = new HashMap<>();
    long nowNs = 1_000 * S;
    long latencyNs = 10 * MS;
    double lossRate;
    boolean signalCandidates = true;
    /** The control plane re-creates a connection (new ICE credentials on both sides) that failed for these reasons. */
    java.util.Set<FailureReason> recreateOn = java.util.Set.of();
    boolean blackhole;
    /** A firewall: datagrams for which this holds of (sender's own address, destination) are lost. */
    java.util.function.BiPredicate<InetSocketAddress, InetSocketAddress> blocked = (from, to) -> false;
    /** Datagrams for which this holds are lost. */
    java.util.function.Predicate<byte[]> dropIf = bytes -> false;
    private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>(
            (a, b) -> a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.seq, b.seq));
    private long seq;

    SimNet(long seed) {
        this.random = new SplittableRandom(seed);
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

    /** A host with a public address ({@code natType} null) or behind a NAT of that type. */
    Host host(String name, NodeConfig config, Nat.Type natType) {
        int index = hosts.size() + 1;
        Nat nat = natType == null ? null : new Nat(natType, InetAddress.ofLiteral("203.0.113." + (10 + index)));
        InetSocketAddress socket = natType == null ? address("203.0.113." + (10 + index), 5000)
                : address("10.0." + index + ".2", 5000);
        Host h = new Host(this, name, config, socket, nat, random.split());
        hosts.add(h);
        return h;
    }

    /** Replaces {@code old}'s node by a fresh one (a restart: new key, no state), same address. */
    Host restart(Host old) {
        Host h = new Host(this, old.name, old.config, old.socket, old.nat, random.split());
        hosts.set(hosts.indexOf(old), h);
        links.entrySet().removeIf(e -> e.getValue().host() == old || e.getKey().startsWith(old.name + "/"));
        return h;
    }

    /** A client node "client" and a server node "gateway" behind the given NATs, both using {@code use} as relays. */
    Host[] pair(Nat.Type clientNat, Nat.Type gatewayNat, Relay... use) {
        Host client = host("client", NodeConfig.client(), clientNat);
        Host gateway = host("gateway", NodeConfig.server(), gatewayNat);
        if (use.length > 0) {
            useRelays(client, use);
            useRelays(gateway, use);
            runFor(200 * MS);
        }
        return new Host[] {client, gateway};
    }

    /** {@link #pair}, connected by the control plane and run for {@code durationNs}, after which both ends are connected. */
    Host[] connectedPair(Nat.Type clientNat, Nat.Type gatewayNat, long durationNs, Relay... use) {
        Host[] h = pair(clientNat, gatewayNat, use);
        connect(h[0], h[1]);
        runFor(durationNs);
        if (h[0].node.state("gateway") != ConnectionState.CONNECTED
                || h[1].node.state("client") != ConnectionState.CONNECTED) {
            throw new AssertionError("not connected: " + h[0].events + " / " + h[1].events);
        }
        return h;
    }

    /** Tells {@code host}'s node to use these relays. */
    void useRelays(Host host, Relay... use) {
        List<TurnServer> servers = new ArrayList<>();
        for (Relay r : use) {
            servers.add(new TurnServer(r.listen(), TURN_USER, TURN_PASSWORD));
        }
        host.node.updateRelays(servers, List.of(), nowNs);
    }

    /** A TURN relay at {@code ip}:3478 with the test user. */
    Relay relay(String ip) {
        InetAddress address = InetAddress.ofLiteral(ip);
        RelayConfig config = RelayConfig.of("zonegate", address, null, 50000, 50999)
                .withStaticUsers(Map.of(TURN_USER, TURN_PASSWORD, RENEWED_TURN_USER, TURN_PASSWORD));
        Relay relay = new Relay(new InetSocketAddress(address, 3478),
                new RelayServer(config, InstantSource.fixed(Instant.EPOCH), random.split(), nowNs));
        relays.put(address, relay);
        return relay;
    }

    /** The control plane: a connection from {@code client} to {@code server}, both sides told at once. */
    void connect(Host client, Host server) {
        IceCredentials clientIce = IceCredentials.random(random);
        IceCredentials serverIce = IceCredentials.random(random);
        links.put(client.name + "/" + server.name, new Link(server, client.name,
                new ConnectionParams(server.node.publicKey(), null, clientIce, serverIce)));
        links.put(server.name + "/" + client.name, new Link(client, server.name,
                new ConnectionParams(client.node.publicKey(), null, serverIce, clientIce)));
        upsertAgain(client, server);
    }

    /** The control plane repeats both upserts with the same parameters (candidates are signalled again). */
    void upsertAgain(Host client, Host server) {
        client.node.upsertConnection(server.name, links.get(client.name + "/" + server.name).params(), nowNs);
        server.node.upsertConnection(client.name, links.get(server.name + "/" + client.name).params(), nowNs);
    }

    /** Forwards local candidates to the other side, as the control plane would. */
    void signal(Host from, NodeEvent.LocalCandidates batch) {
        Link to = links.get(from.name + "/" + batch.peerId());
        if (!signalCandidates || to == null) {
            return;
        }
        for (Candidate c : batch.added()) {
            to.host().node.addRemoteCandidate(to.peerId(), c, nowNs);
        }
        for (Candidate c : batch.removed()) {
            to.host().node.removeRemoteCandidate(to.peerId(), c, nowNs);
        }
    }

    /**
     * The control plane learns that {@code from}'s connection failed. For a reason in {@link #recreateOn}
     * it makes the connection again on both sides with new ICE credentials, as the portal will: the side
     * that did not fail has its connection replaced. A failure of a connection already replaced (the other
     * side reported first) is ignored.
     */
    void onFailed(Host from, NodeEvent.ConnectionFailed failed) {
        Link other = links.get(from.name + "/" + failed.peerId());
        if (!recreateOn.contains(failed.reason()) || other == null
                || from.node.state(failed.peerId()) != null) {
            return;
        }
        boolean client = from.config.role() == NodeRole.CLIENT;
        connect(client ? from : other.host(), client ? other.host() : from);
    }

    /** Sends a datagram from a host's internal socket (or a relay's address); NAT applied, loss drawn. */
    void send(InetSocketAddress from, InetSocketAddress to, ByteBuffer payload, Nat nat) {
        InetSocketAddress source = nat == null ? from : nat.outbound(from, to);
        byte[] bytes = new byte[payload.remaining()];
        payload.duplicate().get(bytes);
        if (blackhole || blocked.test(from, to) || dropIf.test(bytes) || (lossRate > 0 && random.nextDouble() < lossRate)) {
            return;
        }
        inFlight.add(new Delivery(nowNs + latencyNs, seq++, source, to, bytes));
    }

    /** Runs until {@code endNs}: deliveries, timeouts and outputs in time order. */
    void runUntil(long endNs) {
        while (true) {
            drainAll();
            long next = nextEventNs();
            if (next > endNs) {
                nowNs = Math.max(nowNs, endNs);
                drainAll();
                return;
            }
            nowNs = Math.max(nowNs, next);
            for (Delivery d; (d = inFlight.peek()) != null && d.atNs <= nowNs; ) {
                deliver(inFlight.poll());
            }
            for (Host h : List.copyOf(hosts)) {
                NodeTimeout t = h.node.pollTimeout();
                if (t != null && t.deadlineNs() <= nowNs) {
                    h.node.handleTimeout(nowNs);
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

    private long nextEventNs() {
        long next = inFlight.isEmpty() ? Long.MAX_VALUE : inFlight.peek().atNs;
        for (Host h : hosts) {
            NodeTimeout t = h.node.pollTimeout();
            if (t != null) {
                next = Math.min(next, t.deadlineNs());
            }
        }
        for (Relay r : relays.values()) {
            next = Math.min(next, r.server().pollTimeout());
        }
        return next;
    }

    private void drainAll() {
        boolean more = true;
        while (more) {
            more = false;
            for (Host h : List.copyOf(hosts)) {
                more |= h.drain();
            }
            for (Relay r : relays.values()) {
                for (RelayTransmit t; (t = r.server().pollTransmit()) != null; ) {
                    InetSocketAddress source = t.fromListenSocket() ? r.listen()
                            : new InetSocketAddress(r.listen().getAddress(), t.relayPort());
                    send(source, t.destination(), ByteBuffer.wrap(t.bytes()), null);
                }
                while (r.server().pollEvent() != null) {
                    // allocation created or ended: nothing for the simulation to do
                }
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
        for (Host h : hosts) {
            InetSocketAddress internal = h.nat == null ? (h.socket.equals(d.to) ? h.socket : null)
                    : h.nat.publicIp.equals(d.to.getAddress()) ? h.nat.inbound(d.to, d.from) : null;
            if (internal != null) {
                h.receive(d.from, datagram);
                return;
            }
        }
    }

    static PrivateKey key(SplittableRandom random) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return PrivateKey.ofOwned(raw);
    }
}
