package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.node.SimNet.MS;
import static zonegate.node.SimNet.S;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.ice.Candidate;
import zonegate.ice.CandidateType;

/**
 * The sampled relay vanishing after nomination, with two relays: A (sampled, carrying the nominated
 * relayed pair) and B (alive). A connection relayed through A fails with {@code RELAY_GONE} and the
 * simulated control plane makes it again with new credentials on both sides, as the portal will; the
 * new connection samples B. A direct connection keeps its pair and samples B for later. A that goes
 * silent instead (not removed) is found by ICE consent first; the connection made again leaves it out.
 */
@ExtendWith(NoErrorLogs.class)
class RelayMigrationTest {
    /**
     * From the removal of A to both ends CONNECTED again. Measured here: 840 ms in each case (10 ms per
     * hop): the control plane's re-upsert, relayed checks paced by the ICE agents, a channel binding, one
     * WireGuard handshake. 2 s leaves room for that and fails on any timeout waited for: a lost first
     * handshake (retried after 5 s), the 10 s without candidates, the 16.5 s ICE timeout.
     */
    private static final long RECONNECT_BOUND_NS = 2 * S;

    private record Setup(SimNet net, SimNet.Relay a, SimNet.Relay b, Host client, Host gateway) {
    }

    /**
     * Both ends connected while A is the only relay (so A is sampled), then B added and allocated on both.
     * With symmetric NATs on both sides the gateway's relayed candidate carries the nominated pair (the
     * client reaches it from its socket); behind a firewall that lets it reach only the relays' TURN port,
     * the client's relayed candidate has to.
     */
    private static Setup connectedThroughAThenB(long seed, Nat.Type nat, boolean clientOnlyReachesTurnPorts) {
        SimNet net = new SimNet(seed);
        SimNet.Relay a = net.relay("198.51.100.2");
        SimNet.Relay b = net.relay("198.51.100.3");
        Host[] h = net.pair(nat, nat, a);
        if (clientOnlyReachesTurnPorts) {
            net.blocked = (from, to) -> from.equals(h[0].socket) && to.getPort() != 3478;
        }
        net.connect(h[0], h[1]);
        net.runFor(5 * S);
        assertThat(h[0].node.state("gateway")).isEqualTo(ConnectionState.CONNECTED);
        net.useRelays(h[0], b);
        net.useRelays(h[1], b);
        net.runFor(200 * MS);
        return new Setup(net, a, b, h[0], h[1]);
    }

    private static boolean relayedThrough(Host h, String peer, SimNet.Relay relay) {
        var pair = h.node.nominatedPair(peer);
        return pair != null && pair.localRelayed() && pair.localAddress().getAddress().equals(relay.listen().getAddress());
    }

    private static long channelDataTo(Host h, int from, SimNet.Relay relay) {
        return h.sent.subList(from, h.sent.size()).stream().filter(t -> t.destination().equals(relay.listen())
                && (t.payload().get(t.payload().position()) & 0xC0) == 0x40).count();
    }

    /** Runs until both ends are connected, in 10 ms steps, for at most 10 s; the time it took. */
    private static long untilConnected(SimNet net, Host client, Host gateway) {
        long start = net.nowNs;
        while (net.nowNs - start < 10 * S && !(client.node.state("gateway") == ConnectionState.CONNECTED
                && gateway.node.state("client") == ConnectionState.CONNECTED)) {
            net.runFor(10 * MS);
        }
        return net.nowNs - start;
    }

    private static void exchangeData(SimNet net, Host client, Host gateway, int base) {
        for (int i = 0; i < 5; i++) {
            client.sendPacket("gateway", Packets.ipv4(base + i, 1000));
            gateway.sendPacket("client", Packets.ipv4(base + 50 + i, 500));
        }
        net.runFor(200 * MS);
        assertThat(gateway.tun).extracting(Packets::seq).endsWith(base, base + 1, base + 2, base + 3, base + 4);
        assertThat(client.tun).extracting(Packets::seq).endsWith(base + 50, base + 51, base + 52, base + 53, base + 54);
    }

    @Test
    void aConnectionRelayedThroughTheGatewaysAllocationMovesToTheOtherRelayWhenItVanishes() {
        Setup s = connectedThroughAThenB(40, Nat.Type.SYMMETRIC, false);
        assertThat(relayedThrough(s.gateway(), "client", s.a())).as("gateway relayed through A").isTrue();

        assertMovesToB(s);
    }

    @Test
    void aConnectionRelayedThroughTheClientsAllocationMovesToTheOtherRelayWhenItVanishes() {
        Setup s = connectedThroughAThenB(42, Nat.Type.SYMMETRIC, true);
        assertThat(relayedThrough(s.client(), "gateway", s.a())).as("client relayed through A").isTrue();

        assertMovesToB(s);
    }

    /** A vanishes (removed everywhere): the end relayed through it fails once, the control plane re-creates. */
    private static void assertMovesToB(Setup s) {
        SimNet net = s.net();
        net.recreateOn = Set.of(FailureReason.RELAY_GONE);
        Host relayedEnd = relayedThrough(s.client(), "gateway", s.a()) ? s.client() : s.gateway();
        String peer = relayedEnd == s.client() ? "gateway" : "client";
        int clientSent = s.client().sent.size();
        int gatewaySent = s.gateway().sent.size();
        int mark = LogCapture.mark();

        s.client().node.updateRelays(List.of(), List.of(s.a().listen()), net.nowNs);
        s.gateway().node.updateRelays(List.of(), List.of(s.a().listen()), net.nowNs);
        long tookNs = untilConnected(net, s.client(), s.gateway());

        assertThat(tookNs).as("reconnected after %d ms", tookNs / MS).isLessThan(RECONNECT_BOUND_NS);
        assertThat(relayedEnd.events).contains(new NodeEvent.ConnectionFailed(peer, FailureReason.RELAY_GONE));
        exchangeData(net, s.client(), s.gateway(), 0);
        assertThat(channelDataTo(s.client(), clientSent, s.a()) + channelDataTo(s.gateway(), gatewaySent, s.a()))
                .as("ChannelData to A after it vanished").isZero();
        assertThat(channelDataTo(s.client(), clientSent, s.b()) + channelDataTo(s.gateway(), gatewaySent, s.b()))
                .as("ChannelData to B").isPositive();
        assertThat(relayedThrough(s.client(), "gateway", s.b()) || relayedThrough(s.gateway(), "client", s.b()))
                .as("the new pair goes through B").isTrue();
        assertThat(LogCapture.since(mark)).filteredOn(l -> l.contains("vanished")).singleElement()
                .asString().contains("peer=" + peer);
    }

    @Test
    void aRelayThatStopsAnsweringUnderARelayedConnectionIsNotSampledForTheConnectionMadeAgain() {
        // With this seed the connection made again picks A when A is not left out (then it waits up to
        // 33 s for the TURN client to find A dead, moves to B "during ICE" and connects much later).
        assertThat(reconnectAfterRelayStopsAnswering(43)).as("from the failure to CONNECTED through B, ms")
                .isLessThan(RECONNECT_BOUND_NS / MS);
    }

    /**
     * A stops answering under a connection relayed through the client's allocation on A, while traffic
     * flows (which postpones the TURN keepalive that would find A dead); the connection is lost by consent
     * and made again by the control plane. The time in ms from that failure until both ends are connected
     * again with the client relayed through B, or -1.
     */
    private static long reconnectAfterRelayStopsAnswering(long seed) {
        Setup s = connectedThroughAThenB(seed, Nat.Type.SYMMETRIC, true);
        assertThat(relayedThrough(s.client(), "gateway", s.a())).as("client relayed through A").isTrue();
        SimNet net = s.net();
        net.recreateOn = Set.of(FailureReason.RELAY_GONE, FailureReason.CONSENT_LOST);
        var relayA = s.a().listen().getAddress();
        net.blocked = net.blocked.or((from, to) -> from.getAddress().equals(relayA) || to.getAddress().equals(relayA));
        int failuresBefore = failures(s);
        int mark = LogCapture.mark();

        for (int tick = 0; tick < 600 && failures(s) == failuresBefore; tick++) {
            if (tick % 10 == 0) {
                s.client().sendPacket("gateway", Packets.ipv4(tick / 10, 100));
            }
            net.runFor(100 * MS);
        }
        long failedAtNs = net.nowNs;
        while (net.nowNs - failedAtNs < 60 * S && !(relayedThrough(s.client(), "gateway", s.b())
                && s.client().node.state("gateway") == ConnectionState.CONNECTED
                && s.gateway().node.state("client") == ConnectionState.CONNECTED)) {
            net.runFor(10 * MS);
        }
        if (!relayedThrough(s.client(), "gateway", s.b())) {
            return -1;
        }
        exchangeData(net, s.client(), s.gateway(), 100);
        assertThat(failures(s)).as("failed once").isEqualTo(failuresBefore + 1);
        assertThat(LogCapture.since(mark)).noneMatch(l -> l.contains("vanished"));
        return (net.nowNs - failedAtNs) / MS;
    }

    private static int failures(Setup s) {
        return (int) (s.client().eventsOf(NodeEvent.ConnectionFailed.class).size()
                + s.gateway().eventsOf(NodeEvent.ConnectionFailed.class).size());
    }

    @Test
    void aDirectConnectionKeepsItsPairAndSamplesTheOtherRelayWhenItsRelayVanishes() {
        Setup s = connectedThroughAThenB(41, Nat.Type.FULL_CONE, false);
        assertThat(s.client().node.nominatedPair("gateway").relayed()).as("direct").isFalse();
        SimNet net = s.net();
        int events = s.client().events.size();
        int mark = LogCapture.mark();

        s.client().node.updateRelays(List.of(), List.of(s.a().listen()), net.nowNs);
        s.gateway().node.updateRelays(List.of(), List.of(s.a().listen()), net.nowNs);
        net.runFor(100 * MS);

        List<NodeEvent> after = s.client().events.subList(events, s.client().events.size());
        assertThat(after).noneMatch(e -> e instanceof NodeEvent.ConnectionFailed || e instanceof NodeEvent.ConnectionClosed);
        assertThat(relayed(after, true)).extracting(c -> c.address().getAddress())
                .containsOnly(s.b().listen().getAddress()).isNotEmpty();
        assertThat(relayed(after, false)).extracting(c -> c.address().getAddress())
                .containsOnly(s.a().listen().getAddress()).isNotEmpty();
        assertThat(s.client().node.state("gateway")).isEqualTo(ConnectionState.CONNECTED);
        exchangeData(net, s.client(), s.gateway(), 0);
        assertThat(LogCapture.since(mark)).noneMatch(l -> l.contains("vanished"));
    }

    private static List<Candidate> relayed(List<NodeEvent> events, boolean added) {
        return events.stream().filter(NodeEvent.LocalCandidates.class::isInstance).map(NodeEvent.LocalCandidates.class::cast)
                .flatMap(b -> (added ? b.added() : b.removed()).stream())
                .filter(c -> c.type() == CandidateType.RELAYED).toList();
    }

    @Test
    void aRelayRemovedOnTheClientOnlyLeavesAConnectionRelayedThroughTheGatewaysAllocationThere() {
        Setup s = connectedThroughAThenB(40, Nat.Type.SYMMETRIC, false);
        assertThat(relayedThrough(s.gateway(), "client", s.a())).as("gateway relayed through A").isTrue();
        SimNet net = s.net();
        int clientEvents = s.client().events.size();
        int gatewaySent = s.gateway().sent.size();
        int mark = LogCapture.mark();

        s.client().node.updateRelays(List.of(), List.of(s.a().listen()), net.nowNs);
        net.runFor(100 * MS);
        exchangeData(net, s.client(), s.gateway(), 0);
        net.runFor(60 * S);
        exchangeData(net, s.client(), s.gateway(), 10);

        // The client reaches the gateway's relayed address on A from its socket: its own allocation there
        // is not on the path, and what comes from that relayed address is not taken for late traffic of the removed relay.
        List<NodeEvent> after = s.client().events.subList(clientEvents, s.client().events.size());
        assertThat(after).noneMatch(e -> e instanceof NodeEvent.ConnectionFailed || e instanceof NodeEvent.ConnectionClosed);
        assertThat(relayed(after, true)).extracting(c -> c.address().getAddress()).containsOnly(s.b().listen().getAddress())
                .isNotEmpty();
        assertThat(channelDataTo(s.gateway(), gatewaySent, s.a())).as("the gateway's ChannelData to A").isPositive();
        assertThat(LogCapture.since(mark)).noneMatch(l -> l.contains("vanished"));
    }

    @Test
    void aRelayRemovedOnTheClientOnlyMovesAConnectionRelayedThroughTheClientsAllocationToTheOtherRelay() {
        Setup s = connectedThroughAThenB(42, Nat.Type.SYMMETRIC, true);
        assertThat(relayedThrough(s.client(), "gateway", s.a())).as("client relayed through A").isTrue();
        SimNet net = s.net();
        net.recreateOn = Set.of(FailureReason.RELAY_GONE);
        int clientSent = s.client().sent.size();

        s.client().node.updateRelays(List.of(), List.of(s.a().listen()), net.nowNs);
        long tookNs = untilConnected(net, s.client(), s.gateway());

        assertThat(tookNs).as("reconnected after %d ms", tookNs / MS).isLessThan(RECONNECT_BOUND_NS);
        exchangeData(net, s.client(), s.gateway(), 0);
        assertThat(channelDataTo(s.client(), clientSent, s.a())).as("the client's ChannelData to A").isZero();
        assertThat(s.client().events).doesNotContain(new NodeEvent.NoRelays());
    }

    @Test
    void aRelayGivenAgainWithRenewedCredentialsIsAllocatedUnderThemAndTheConnectionComesBack() {
        Setup s = connectedThroughAThenB(40, Nat.Type.SYMMETRIC, false);
        SimNet net = s.net();
        net.recreateOn = Set.of(FailureReason.RELAY_GONE);
        assertThat(relayedThrough(s.gateway(), "client", s.a())).as("gateway relayed through A").isTrue();

        s.gateway().node.updateRelays(List.of(new TurnServer(s.a().listen(), SimNet.RENEWED_TURN_USER,
                SimNet.TURN_PASSWORD)), List.of(), net.nowNs);
        long tookNs = untilConnected(net, s.client(), s.gateway());

        assertThat(tookNs).as("reconnected after %d ms", tookNs / MS).isLessThan(RECONNECT_BOUND_NS);
        exchangeData(net, s.client(), s.gateway(), 0);
        assertThat(s.a().server().allocations()).extracting(a -> a.username()).contains(SimNet.RENEWED_TURN_USER);
        assertThat(s.gateway().events).doesNotContain(new NodeEvent.NoRelays());
    }
}
