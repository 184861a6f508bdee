package zonegate.ice;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * A simulated internet with a manual clock: hosts (optionally behind a {@link Nat}), a STUN server
 * that tells each host its mapped address, and a TURN relay giving each host a relayed address. The
 * agents only ever see their host socket or their relayed address; the net routes relayed transmits
 * through the relay, which forwards inbound datagrams only from IPs the owner has sent to (TURN
 * permissions). Every hop takes {@link #latencyNs}; relayed paths take one more.
 */
final class Net {
    static final long MS = 1_000_000L;
    static final long S = 1_000_000_000L;
    static final InetSocketAddress STUN_SERVER = address("198.51.100.1", 3478);
    static final InetAddress RELAY_IP = ip("198.51.100.2");

    private record Delivery(long atNs, long seq, InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    final List<Peer> peers = new ArrayList<>();
    long nowNs;
    long latencyNs = 10 * MS;
    /** While true, every datagram is lost. */
    boolean blackhole;
    /** Whether to forward LocalCandidateGathered between the two first peers (trickle). */
    boolean signalCandidates = true;
    private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>(
            (a, b) -> a.atNs != b.atNs ? Long.compare(a.atNs, b.atNs) : Long.compare(a.seq, b.seq));
    private final Set<String> relayPermissions = new HashSet<>();
    private long seq;
    private int nextRelayPort = 50000;

    static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(ip(ip), port);
    }

    static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    /** Adds a host; {@code natType} null for a host with a public address. */
    Peer peer(String name, IceConfig config, IceRole role, Nat.Type natType, int index) {
        Nat nat = natType == null ? null : new Nat(natType, ip("203.0.113." + (10 + index)));
        InetSocketAddress host = natType == null ? address("203.0.113." + (10 + index), 5000)
                : address("10.0." + index + ".2", 5000);
        Peer p = new Peer(name, config, role, host, nat, 1000 + index, nowNs);
        peers.add(p);
        return p;
    }

    /** Exchanges credentials between {@code a} and {@code b}. */
    void introduce(Peer a, Peer b) {
        a.agent.setRemoteCredentials(b.agent.localCredentials(), nowNs);
        b.agent.setRemoteCredentials(a.agent.localCredentials(), nowNs);
    }

    /** Gathers host, server-reflexive (behind a NAT) and, if asked, relayed candidates, then end-of-candidates. */
    void gather(Peer p, boolean relay) {
        p.agent.addLocalCandidate(Candidate.host(p.host), nowNs);
        InetSocketAddress mapped = p.host;
        if (p.nat != null) {
            mapped = p.nat.outbound(p.host, STUN_SERVER);
            p.agent.addLocalCandidate(Candidate.serverReflexive(mapped, p.host), nowNs);
        }
        if (relay) {
            p.relayed = new InetSocketAddress(RELAY_IP, nextRelayPort++);
            p.agent.addLocalCandidate(Candidate.relayed(p.relayed, mapped), nowNs);
        }
        p.agent.endOfLocalCandidates(nowNs);
    }

    /**
     * Two hosts with public addresses, introduced, with host candidates and both end-of-candidates,
     * run until both are connected (within 2 s).
     */
    static Net connectedPair(IceConfig clientConfig, IceRole clientRole, IceConfig gatewayConfig, IceRole gatewayRole) {
        Net net = new Net();
        Peer client = net.peer("client", clientConfig, clientRole, null, 1);
        Peer gateway = net.peer("gateway", gatewayConfig, gatewayRole, null, 2);
        net.introduce(client, gateway);
        net.gather(client, false);
        net.gather(gateway, false);
        net.drain();
        client.agent.endOfRemoteCandidates(net.nowNs);
        gateway.agent.endOfRemoteCandidates(net.nowNs);
        net.runUntil(2 * S);
        return net;
    }

    Peer client() {
        return peers.get(0);
    }

    Peer gateway() {
        return peers.get(1);
    }

    /** Sends a non-STUN datagram from {@code p}'s {@code local} to {@code to}. */
    void sendData(Peer p, InetSocketAddress local, InetSocketAddress to, String text) {
        route(p, local, to, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Runs deliveries and deadlines in time order up to {@code targetNs}, then sets the clock there. */
    void runUntil(long targetNs) {
        drain();
        int atSameInstant = 0;
        while (true) {
            long next = Long.MAX_VALUE;
            if (!inFlight.isEmpty()) {
                next = inFlight.peek().atNs;
            }
            for (Peer p : peers) {
                IceTimeout t = p.agent.pollTimeout();
                if (t != null) {
                    next = Math.min(next, t.deadlineNs());
                }
            }
            if (next > targetNs) {
                break;
            }
            atSameInstant = next <= nowNs ? atSameInstant + 1 : 0;
            if (atSameInstant > 10_000) {
                throw new AssertionError("the simulation makes no progress at " + nowNs);
            }
            nowNs = Math.max(nowNs, next);
            while (!inFlight.isEmpty() && inFlight.peek().atNs <= nowNs) {
                deliver(inFlight.poll());
            }
            for (Peer p : peers) {
                IceTimeout t = p.agent.pollTimeout();
                if (t != null && t.deadlineNs() <= nowNs) {
                    p.agent.handleTimeout(nowNs);
                }
            }
            drain();
        }
        nowNs = Math.max(nowNs, targetNs);
    }

    /** Polls every agent's transmits (routing them) and events (signalling candidates to the other peer). */
    void drain() {
        boolean more = true;
        while (more) {
            more = false;
            for (Peer p : peers) {
                for (IceTransmit t = p.agent.pollTransmit(); t != null; t = p.agent.pollTransmit()) {
                    more = true;
                    p.sent.add(new Peer.Sent(nowNs, t, Stun.kind(t.payload())));
                    byte[] bytes = new byte[t.payload().remaining()];
                    t.payload().get(t.payload().position(), bytes);
                    route(p, t.source(), t.destination(), bytes);
                }
                for (IceEvent e = p.agent.pollEvent(); e != null; e = p.agent.pollEvent()) {
                    more = true;
                    p.events.add(new Peer.Timed(nowNs, e));
                    if (signalCandidates && e instanceof IceEvent.LocalCandidateGathered(Candidate c) && peers.size() > 1) {
                        Peer other = peers.get(0) == p ? peers.get(1) : peers.get(0);
                        other.agent.addRemoteCandidate(c, nowNs);
                    }
                }
            }
        }
    }

    private void route(Peer p, InetSocketAddress local, InetSocketAddress to, byte[] bytes) {
        if (blackhole) {
            return;
        }
        if (local.equals(p.relayed)) {
            relayPermissions.add(local + ">" + to.getAddress());
            inFlight.add(new Delivery(nowNs + 2 * latencyNs, seq++, local, to, bytes));
            return;
        }
        InetSocketAddress from = p.nat == null ? local : p.nat.outbound(local, to);
        inFlight.add(new Delivery(nowNs + latencyNs, seq++, from, to, bytes));
    }

    private void deliver(Delivery d) {
        if (blackhole) {
            return;
        }
        for (Peer q : peers) {
            InetSocketAddress local = null;
            if (d.to.equals(q.relayed)) {
                local = relayPermissions.contains(q.relayed + ">" + d.from.getAddress()) ? q.relayed : null;
            } else if (q.nat != null && d.to.getAddress().equals(q.nat.publicIp)) {
                local = q.nat.inbound(d.to, d.from);
            } else if (q.nat == null && d.to.equals(q.host)) {
                local = q.host;
            }
            if (local != null) {
                ByteBuffer datagram = ByteBuffer.wrap(d.bytes);
                if (!q.agent.handleInput(local, d.from, datagram, nowNs)) {
                    q.data.add(new Peer.Data(nowNs, local, d.from, new String(d.bytes, StandardCharsets.UTF_8)));
                }
                return;
            }
        }
    }
}
