package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.SimWorld.OFFICE_HOST;
import static zonegate.tunnel.sim.SimWorld.office;
import static zonegate.tunnel.sim.SimWorld.permanent;
import static zonegate.tunnel.sim.TunnelSim.MS;
import static zonegate.tunnel.sim.TunnelSim.S;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.tunnel.GatewayDropReason;
import zonegate.tunnel.GatewayEvent;

/**
 * The control plane making a live connection again: with new ICE credentials while the old one is up, and
 * for a client that restarted with a new WireGuard key; and the gateway never buffering for a client whose
 * connection is down.
 */
@ExtendWith(NoErrorLogs.class)
class IceGatewayReconnectVariantsTest {

    @Test
    void newIceCredentialsReplaceALiveConnectionAndTrafficFlowsOnTheNewOne() {
        SimWorld w = SimWorld.connected(1001, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(office()));
        w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 0));

        w.net().controlPlane.connect(w.client(), w.gateway(), permanent(office()));
        w.awaitClientConnected();
        List<byte[]> pong = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 1));

        assertThat(pong).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        assertThat(w.gateway().state.authorizationCount(w.client().spec.id())).isEqualTo(1);
        assertThat(w.gateway().eventsOf(GatewayEvent.ConnectionLost.class)).as("a replacement is no loss").isEmpty();
        assertThat(w.gateway().eventsOf(GatewayEvent.ClientConnected.class)).hasSize(2);
    }

    @Test
    void aClientRestartedWithANewKeyIsReconnectedAndNoLossIsReportedForItsNewConnection() {
        SimWorld w = SimWorld.connected(1002, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(office()));
        w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 0));

        ClientHost restarted = w.net().restart(w.client());
        restarted.useRelays(w.relay());
        w.net().runFor(200 * MS);
        w.net().controlPlane.connect(restarted, w.gateway(), permanent(office()));
        SimWorld r = new SimWorld(w.net(), w.relay(), w.gateway(), restarted);
        r.awaitClientConnected();
        List<byte[]> pong = r.roundTrip(SimPackets.echoRequest(restarted.ipv4, OFFICE_HOST, 7, 1));
        w.net().runFor(1 * S);

        assertThat(pong).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        assertThat(w.gateway().state.clientCount()).isEqualTo(1);
        assertThat(r.bothConnected()).isTrue();
        assertThat(w.gateway().eventsOf(GatewayEvent.ConnectionLost.class)).as("the new connection is up").isEmpty();
    }

    @Test
    void packetsFromTheSiteForAClientWhoseConnectionIsDownAreDroppedAndCountedNeverBuffered() {
        SimWorld w = SimWorld.connected(1003, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(office()));
        w.roundTrip(SimPackets.udp(w.client().ipv4, 40000, OFFICE_HOST, 5000, new byte[] {1}));
        w.net().blackhole = true;
        for (int i = 0; i < 120 && w.gateway().state.connectionState(w.client().spec.id()) != null; i++) {
            w.net().runFor(1 * S);
        }

        w.gateway().state.handleDeviceInput(ByteBuffer.wrap(SimPackets.udp(OFFICE_HOST, 5000,
                w.client().ipv4, 40000, new byte[] {2})), w.net().nowNs);
        w.net().settle();

        assertThat(w.gateway().state.connectionState(w.client().spec.id())).isNull();
        assertThat(w.gateway().state.dropCount(GatewayDropReason.NO_SESSION)).isEqualTo(1);
    }
}
