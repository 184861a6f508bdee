package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.node.SimNet.MS;
import static zonegate.node.SimNet.S;

import java.net.InetAddress;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Goodbye and the other peer-to-peer control messages, across two nodes. */
@ExtendWith(NoErrorLogs.class)
class GoodbyeTest {
    private static final UUID RESOURCE = UUID.fromString("3f0a4c6e-2b1d-4e8f-9a7b-5c6d7e8f9a0b");


    @Test
    void closeConnectionSendsAGoodbyeThatClosesThePeerAtOnce() {
        SimNet net = new SimNet(20);
        Host[] h = net.connectedPair(null, null, 3 * S);
        Host client = h[0];
        Host gateway = h[1];

        client.node.closeConnection("gateway", net.nowNs);
        net.runFor(50 * MS);

        assertThat(client.eventsOf(NodeEvent.ConnectionClosed.class))
                .containsExactly(new NodeEvent.ConnectionClosed("gateway", CloseReason.CLOSED_LOCALLY));
        assertThat(gateway.eventsOf(NodeEvent.ConnectionClosed.class))
                .containsExactly(new NodeEvent.ConnectionClosed("client", CloseReason.GOODBYE_RECEIVED));
        assertThat(gateway.eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
        assertThat(gateway.node.connectionCount()).isZero();
        assertThat(gateway.tun).as("control packets never reach the TUN device").isEmpty();
    }

    @Test
    void aRestartedGatewaySaysGoodbyeAndTheNextConnectionNeedsNoIceTimeout() {
        SimNet net = new SimNet(21);
        Host[] h = net.connectedPair(null, null, 3 * S);
        Host client = h[0];
        Host gateway = h[1];
        int mark = LogCapture.mark();

        gateway.node.closeAll(net.nowNs);
        net.runFor(50 * MS);
        assertThat(client.eventsOf(NodeEvent.ConnectionClosed.class))
                .containsExactly(new NodeEvent.ConnectionClosed("gateway", CloseReason.GOODBYE_RECEIVED));
        Host restarted = net.restart(gateway);
        net.connect(client, restarted);
        net.runFor(S); // the ICE timeouts are 15 s and more

        assertThat(client.node.state("gateway")).isEqualTo(ConnectionState.CONNECTED);
        client.sendPacket("gateway", Packets.ipv4(7, 100));
        net.runFor(50 * MS);
        assertThat(restarted.tun).extracting(Packets::seq).containsExactly(7);
        assertThat(client.eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
        assertThat(LogCapture.since(mark)).noneMatch(l -> l.startsWith("ERROR") || l.startsWith("WARN"));
    }

    @Test
    void assignedIpsAndDomainStatusArriveAsEvents() {
        SimNet net = new SimNet(22);
        Host[] h = net.connectedPair(null, null, 3 * S);
        Host client = h[0];
        Host gateway = h[1];
        var assigned = new P2pMessage.AssignedIps(RESOURCE, "app.example.com",
                List.of(InetAddress.ofLiteral("100.96.0.1"), InetAddress.ofLiteral("100.96.0.2")));
        var status = new P2pMessage.DomainStatus(RESOURCE, "app.example.com", true);

        assertThat(client.node.sendControl("gateway", assigned, net.nowNs)).isTrue();
        assertThat(gateway.node.sendControl("client", status, net.nowNs)).isTrue();
        net.runFor(50 * MS);

        assertThat(gateway.eventsOf(NodeEvent.ControlMessage.class))
                .containsExactly(new NodeEvent.ControlMessage("client", assigned));
        assertThat(client.eventsOf(NodeEvent.ControlMessage.class))
                .containsExactly(new NodeEvent.ControlMessage("gateway", status));
        assertThat(client.tun).isEmpty();
        assertThat(gateway.tun).isEmpty();
    }

    /** Found by DataPlaneModelFuzzTest: the first packet to a new DNS-resource domain waited for this forever. */
    @Test
    void aClientsControlMessageAfterItsSessionExpiredWhileIdleRekeysAndArrives() {
        SimNet net = new SimNet(23);
        Host[] h = net.connectedPair(null, null, 3 * S);
        Host client = h[0];
        Host gateway = h[1];
        net.runFor(200 * S); // no data: the session is past REJECT_AFTER_TIME, nothing re-keyed it
        var assigned = new P2pMessage.AssignedIps(RESOURCE, "db.example.com",
                List.of(InetAddress.ofLiteral("100.96.0.5"), InetAddress.ofLiteral("100.96.0.6")));

        boolean sent = client.node.sendControl("gateway", assigned, net.nowNs);
        net.runFor(100 * MS);

        assertThat(sent).as("queued for the handshake").isTrue();
        assertThat(gateway.eventsOf(NodeEvent.ControlMessage.class))
                .containsExactly(new NodeEvent.ControlMessage("client", assigned));
    }
}
