package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.node.SimNet.MS;
import static zonegate.node.SimNet.S;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.ice.CandidateType;

/** Connections through real (sans-IO) TURN relays, and what happens when relays vanish or restart. */
@ExtendWith(NoErrorLogs.class)
class RelayedConnectionTest {

    private static void exchangeData(SimNet net, Host client, Host gateway) {
        for (int i = 0; i < 5; i++) {
            client.sendPacket("gateway", Packets.ipv4(i, 1000));
            gateway.sendPacket("client", Packets.ipv4(50 + i, 500));
        }
        net.runFor(200 * MS);
        assertThat(gateway.tun).extracting(Packets::seq).endsWith(0, 1, 2, 3, 4);
        assertThat(client.tun).extracting(Packets::seq).endsWith(50, 51, 52, 53, 54);
    }

    private static boolean relayedSent(Host h) {
        return h.sent.stream().anyMatch(t -> t.destination().getPort() == 3478
                && (t.payload().get(t.payload().position()) & 0xC0) == 0x40);
    }

    @Test
    void symmetricNatsOnBothSidesConnectThroughTheRelayAndCarryDataBothWays() {
        int mark = LogCapture.mark();
        SimNet net = new SimNet(30);
        SimNet.Relay relay = net.relay("198.51.100.2");

        Host[] h = net.connectedPair(Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, 5 * S, relay);

        Host client = h[0];
        Host gateway = h[1];
        assertThat(client.eventsOf(NodeEvent.LocalCandidates.class).stream().flatMap(b -> b.added().stream()))
                .extracting(c -> c.type()).contains(CandidateType.HOST, CandidateType.SERVER_REFLEXIVE,
                        CandidateType.RELAYED);
        exchangeData(net, client, gateway);
        assertThat(relayedSent(client) || relayedSent(gateway)).as("ChannelData through the relay").isTrue();
        assertThat(LogCapture.since(mark)).noneMatch(l -> l.startsWith("ERROR") || l.startsWith("WARN"));
    }

    @Test
    void detailsOfARelayedConnectionNameItsPathRelayHandshakeAndBytesButNoCredentials() {
        SimNet net = new SimNet(30);
        SimNet.Relay relay = net.relay("198.51.100.2");
        Host[] h = net.connectedPair(Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, 5 * S, relay);
        exchangeData(net, h[0], h[1]);

        ConnectionDetails details = h[1].node.connectionDetails("client");
        List<RelayDetails> relays = h[1].node.relayDetails();

        assertThat(details.peerId()).isEqualTo("client");
        assertThat(details.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(details.pair().relayed()).isTrue();
        assertThat(details.endpoint()).isEqualTo(details.pair().remoteAddress());
        assertThat(details.lastHandshakeNs()).isBetween(0L, net.nowNs);
        assertThat(details.rxBytes()).isPositive();
        assertThat(details.txBytes()).isPositive();
        assertThat(relays).extracting(RelayDetails::server).containsExactly(relay.listen());
        assertThat(relays.getFirst().relayedAddresses()).isNotEmpty();
        assertThat(relays.getFirst().srttNs()).isPositive();
        assertThat(relays.toString() + details).doesNotContain(SimNet.TURN_PASSWORD);
        assertThat(h[1].node.connectionDetails("nobody")).isNull();
    }

    @Test
    void relayedDataIsFramedAsChannelDataInTheCallersBufferNotQueued() {
        SimNet net = new SimNet(30);
        SimNet.Relay relay = net.relay("198.51.100.2");
        Host[] h = net.connectedPair(Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, 5 * S, relay);
        Host relayedEnd = h[0].node.nominatedPair("gateway").localRelayed() ? h[0] : h[1];
        String peer = relayedEnd == h[0] ? "gateway" : "client";
        assertThat(relayedEnd.node.nominatedPair(peer).localRelayed()).isTrue();
        net.runFor(100 * MS);

        NodeAction a = relayedEnd.node.encapsulate(peer, java.nio.ByteBuffer.wrap(Packets.ipv4(7, 1000)),
                relayedEnd.out.clear().position(16), net.nowNs, relayedEnd.result);

        assertThat(a).isEqualTo(NodeAction.WRITE_TO_NETWORK);
        assertThat(relayedEnd.result.destination()).isEqualTo(relay.listen());
        assertThat(relayedEnd.result.source()).isEqualTo(relayedEnd.socket);
        java.nio.ByteBuffer out = relayedEnd.out;
        int n = relayedEnd.result.lengthBytes();
        assertThat(out.position()).isEqualTo(16 + n);
        assertThat(out.get(16) & 0xF0).as("channel 0x4000-0x4FFF").isEqualTo(0x40);
        assertThat(out.getShort(18) & 0xFFFF).as("ChannelData length").isEqualTo(n - 4);
        assertThat(out.get(20)).as("a WireGuard transport message").isEqualTo((byte) 4);
        assertThat(relayedEnd.node.pollTransmit()).isNull();
    }

    @Test
    void fullConeNatsConnectDirectlyWithRelaysPresent() {
        SimNet net = new SimNet(31);
        SimNet.Relay relay = net.relay("198.51.100.2");
        Host[] h = net.connectedPair(Nat.Type.FULL_CONE, Nat.Type.PORT_RESTRICTED, 5 * S, relay);
        Host client = h[0];
        Host gateway = h[1];

        int before = client.sent.size();
        exchangeData(net, client, gateway);
        assertThat(client.sent.subList(before, client.sent.size())).noneMatch(t -> t.destination().getPort() == 3478);
    }

    @Test
    void theSampledRelayVanishingDuringIceIsLoggedOnceAndAnotherRelayIsUsed() {
        SimNet net = new SimNet(32);
        SimNet.Relay a = net.relay("198.51.100.2");
        SimNet.Relay b = net.relay("198.51.100.3");
        Host[] h = net.pair(Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, a, b);
        Host client = h[0];
        Host gateway = h[1];
        net.signalCandidates = false;
        net.connect(client, gateway);
        net.runFor(10 * MS);
        int mark = LogCapture.mark();

        client.node.updateRelays(List.of(), List.of(a.listen()), net.nowNs);
        client.node.updateRelays(List.of(), List.of(b.listen()), net.nowNs);
        net.useRelays(client, b);
        net.runFor(200 * MS);
        net.signalCandidates = true;
        net.upsertAgain(client, gateway);
        net.runFor(20 * S);

        assertThat(LogCapture.since(mark)).filteredOn(l -> l.contains("vanished during ICE")).hasSize(1);
        assertThat(client.node.state("gateway")).isIn(ConnectionState.CONNECTED, ConnectionState.IDLE);
        exchangeData(net, client, gateway);
    }

    @Test
    void theOnlyRelayGivenAgainWithNewCredentialsIsReplacedWithoutSayingNoRelaysLeft() {
        SimNet net = new SimNet(34);
        SimNet.Relay relay = net.relay("198.51.100.2");
        Host[] h = net.connectedPair(Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, 5 * S, relay);
        Host client = h[0];

        client.node.updateRelays(List.of(new TurnServer(relay.listen(), SimNet.TURN_USER, SimNet.TURN_PASSWORD)),
                List.of(relay.listen()), net.nowNs);
        net.runFor(100 * MS);

        assertThat(client.events).doesNotContain(new NodeEvent.NoRelays());
    }

    @Test
    void aRelayedConnectionWhoseRelayIsRemovedFailsSoTheControlPlaneMakesANewOne() {
        SimNet net = new SimNet(33);
        SimNet.Relay relay = net.relay("198.51.100.2");
        Host[] h = net.connectedPair(Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, 5 * S, relay);
        Host client = h[0];
        Host gateway = h[1];

        client.node.updateRelays(List.of(), List.of(relay.listen()), net.nowNs);
        gateway.node.updateRelays(List.of(), List.of(relay.listen()), net.nowNs);
        net.runFor(100 * MS);

        assertThat(client.events).contains(new NodeEvent.NoRelays());
        boolean clientRelayed = client.eventsOf(NodeEvent.ConnectionFailed.class).contains(
                new NodeEvent.ConnectionFailed("gateway", FailureReason.RELAY_GONE));
        boolean gatewayRelayed = gateway.eventsOf(NodeEvent.ConnectionFailed.class).contains(
                new NodeEvent.ConnectionFailed("client", FailureReason.RELAY_GONE));
        assertThat(clientRelayed || gatewayRelayed).isTrue();
    }

    @Test
    void datagramsFromARemovedRelayAreDroppedSilently() {
        SimNet net = new SimNet(34);
        SimNet.Relay relay = net.relay("198.51.100.2");
        Host client = net.host("client", NodeConfig.client(), null);
        net.useRelays(client, relay);
        net.runFor(200 * MS);
        client.node.updateRelays(List.of(), List.of(relay.listen()), net.nowNs);
        int mark = LogCapture.mark();

        client.receive(relay.listen(), java.nio.ByteBuffer.wrap(new byte[] {0x40, 0, 0, 4, 1, 2, 3, 4}));

        assertThat(client.node.count(NodeCounter.FROM_DISCARDED_RELAY)).isEqualTo(1);
        assertThat(LogCapture.since(mark)).allMatch(l -> l.startsWith("TRACE"));
    }

    @Test
    void aRestartedRelayIsAllocatedAgainAndItsNewAddressSignalled() {
        SimNet net = new SimNet(35);
        SimNet.Relay relay = net.relay("198.51.100.2");
        Host client = net.connectedPair(null, null, 3 * S, relay)[0];
        long relayedBefore = relayedAdded(client);

        net.relay("198.51.100.2"); // a fresh server at the same address: every allocation is gone
        net.runFor(12 * 60 * S);

        assertThat(relayedAdded(client)).isGreaterThan(relayedBefore);
        assertThat(client.eventsOf(NodeEvent.LocalCandidates.class).stream().flatMap(b -> b.removed().stream()))
                .extracting(c -> c.type()).contains(CandidateType.RELAYED);
        assertThat(client.node.state("gateway")).isNotNull();
    }

    @Test
    void aNewConnectionRightAfterARelayPartitionEndsIsRelayedWithoutWaitingForTheKeepalive() {
        SimNet net = new SimNet(37);
        SimNet.Relay relay = net.relay("198.51.100.2");
        Host[] h = net.pair(Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, relay);
        int mark = LogCapture.mark();
        net.blocked = (from, to) -> to.equals(relay.listen()) || from.equals(relay.listen());
        net.runFor(40 * S); // the keepalive at 25 s goes unanswered: both allocations give the relay up at 33 s
        assertThat(LogCapture.since(mark)).filteredOn(l -> l.startsWith("WARN TURN relay unresponsive")).hasSize(2);
        net.blocked = (from, to) -> false;

        net.connect(h[0], h[1]);
        net.runFor(3 * S); // the next keepalive would only be at about 55 s

        assertThat(h[0].node.state("gateway")).isEqualTo(ConnectionState.CONNECTED);
        assertThat(h[1].node.state("client")).isEqualTo(ConnectionState.CONNECTED);
        exchangeData(net, h[0], h[1]);
    }

    @Test
    void aDirectConnectionBetweenNatsOutlivesTheRelayThatTaughtItsAddressesFallingSilent() {
        SimNet net = new SimNet(38);
        SimNet.Relay relay = net.relay("198.51.100.2");
        Host[] h = net.connectedPair(Nat.Type.PORT_RESTRICTED, Nat.Type.PORT_RESTRICTED, 5 * S, relay);
        assertThat(h[0].node.nominatedPair("gateway").remote().type()).isEqualTo(CandidateType.SERVER_REFLEXIVE);
        int mark = LogCapture.mark();

        net.blocked = (from, to) -> to.equals(relay.listen()) || from.equals(relay.listen());
        net.runFor(40 * S); // both allocations give the relay up (the keepalive at about 25 s goes unanswered)

        assertThat(LogCapture.since(mark)).filteredOn(l -> l.startsWith("WARN TURN relay unresponsive")).hasSize(2);
        assertThat(h[0].node.state("gateway")).isEqualTo(ConnectionState.CONNECTED);
        assertThat(h[1].node.state("client")).isEqualTo(ConnectionState.CONNECTED);
        exchangeData(net, h[0], h[1]);
    }

    private static long relayedAdded(Host h) {
        return h.eventsOf(NodeEvent.LocalCandidates.class).stream().flatMap(b -> b.added().stream())
                .filter(c -> c.type() == CandidateType.RELAYED).count();
    }

    @Test
    void nothingIsLoggedPerTickOnARelayedConnection() {
        SimNet net = new SimNet(36);
        SimNet.Relay relay = net.relay("198.51.100.2");
        Host[] h = net.connectedPair(Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, 5 * S, relay);
        int mark = LogCapture.mark();

        for (int minute = 0; minute < 10; minute++) {
            h[0].sendPacket("gateway", Packets.ipv4(minute, 100));
            net.runFor(60 * S);
        }

        List<String> lines = LogCapture.since(mark).stream().filter(l -> !l.startsWith("TRACE")).toList();
        // Per minute: idle and back for both ends, WireGuard's rekey lines; allocation and channel refreshes.
        assertThat(lines).as("lines %s", lines).hasSizeLessThanOrEqualTo(10 * 6);
        assertThat(h[1].tun).hasSize(10);
    }
}
