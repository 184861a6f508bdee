package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.node.SimNet.MS;
import static zonegate.node.SimNet.S;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A client node and a server node with public addresses: ICE nominates the host pair, WireGuard runs over it. */
@ExtendWith(NoErrorLogs.class)
class DirectConnectionTest {

    @Test
    void connectsAndCarriesDataBothWays() {
        int mark = LogCapture.mark();
        SimNet net = new SimNet(1);
        Host client = net.host("client", NodeConfig.client(), null);
        Host gateway = net.host("gateway", NodeConfig.server(), null);
        net.connect(client, gateway);

        net.runFor(3 * S);

        assertThat(client.node.state("gateway")).as("client events %s", client.events)
                .isEqualTo(ConnectionState.CONNECTED);
        assertThat(gateway.node.state("client")).as("gateway events %s", gateway.events)
                .isEqualTo(ConnectionState.CONNECTED);
        for (int i = 0; i < 10; i++) {
            assertThat(client.sendPacket("gateway", Packets.ipv4(i, 1000))).isEqualTo(NodeAction.WRITE_TO_NETWORK);
            assertThat(gateway.sendPacket("client", Packets.ipv4(100 + i, 200))).isEqualTo(NodeAction.WRITE_TO_NETWORK);
        }
        net.runFor(100 * MS);

        assertThat(gateway.tun).extracting(Packets::seq).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(client.tun).extracting(Packets::seq).containsExactly(100, 101, 102, 103, 104, 105, 106, 107, 108, 109);
        assertThat(LogCapture.since(mark)).noneMatch(l -> l.startsWith("ERROR") || l.startsWith("WARN"));
    }

    @Test
    void localCandidatesAreSignalledAsOneBatchPerConnection() {
        SimNet net = new SimNet(2);
        Host client = net.host("client", NodeConfig.client(), null);
        Host gateway = net.host("gateway", NodeConfig.server(), null);
        net.connect(client, gateway);
        net.runFor(10 * MS);

        List<NodeEvent.LocalCandidates> batches = client.eventsOf(NodeEvent.LocalCandidates.class);
        assertThat(batches).singleElement().satisfies(b -> {
            assertThat(b.peerId()).isEqualTo("gateway");
            assertThat(b.added()).extracting(c -> c.address()).containsExactly(client.socket);
        });
    }

    @Test
    void nothingIsLoggedPerTickWhileConnectedOrIdle() {
        SimNet net = new SimNet(3);
        Host client = net.host("client", NodeConfig.client(), null);
        Host gateway = net.host("gateway", NodeConfig.server(), null);
        net.connect(client, gateway);
        net.runFor(3 * S);
        int mark = LogCapture.mark();

        for (int minute = 0; minute < 10; minute++) {
            client.sendPacket("gateway", Packets.ipv4(minute, 100));
            net.runFor(60 * S);
        }

        List<String> lines = LogCapture.since(mark).stream().filter(l -> !l.startsWith("TRACE")).toList();
        // Per minute at most: idle -> connected, connected -> idle, and WireGuard's rekey lines.
        assertThat(lines).as("lines %s", lines).hasSizeLessThanOrEqualTo(10 * 6);
        assertThat(lines).noneMatch(l -> l.startsWith("ERROR") || l.startsWith("WARN"));
        assertThat(client.node.state("gateway")).isNotNull();
    }

    @Test
    void oneClientToTwoGatewaysAndTwoClientsToOneGatewayKeepTheirTrafficApart() {
        SimNet net = new SimNet(4);
        Host alice = net.host("alice", NodeConfig.client(), Nat.Type.PORT_RESTRICTED);
        Host bob = net.host("bob", NodeConfig.client(), Nat.Type.FULL_CONE);
        Host gw1 = net.host("gw1", NodeConfig.server(), null);
        Host gw2 = net.host("gw2", NodeConfig.server(), null);
        net.connect(alice, gw1);
        net.connect(alice, gw2);
        net.connect(bob, gw1);
        net.runFor(3 * S);

        alice.sendPacket("gw1", Packets.ipv4(1, 100));
        alice.sendPacket("gw2", Packets.ipv4(2, 100));
        bob.sendPacket("gw1", Packets.ipv4(3, 100));
        gw1.sendPacket("alice", Packets.ipv4(4, 100));
        gw1.sendPacket("bob", Packets.ipv4(5, 100));
        gw2.sendPacket("alice", Packets.ipv4(6, 100));
        net.runFor(100 * MS);

        assertThat(gw1.tun).extracting(Packets::seq).containsExactlyInAnyOrder(1, 3);
        assertThat(gw2.tun).extracting(Packets::seq).containsExactly(2);
        assertThat(alice.tun).extracting(Packets::seq).containsExactlyInAnyOrder(4, 6);
        assertThat(bob.tun).extracting(Packets::seq).containsExactly(5);
    }
}
