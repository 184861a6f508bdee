package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.SimWorld.OFFICE_HOST;
import static zonegate.tunnel.sim.SimWorld.office;
import static zonegate.tunnel.sim.SimWorld.permanent;
import static zonegate.tunnel.sim.TunnelSim.S;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.node.NodeEvent;
import zonegate.tunnel.GatewayEvent;

/**
 * A relayed connection over simulated minutes: WireGuard re-keys (every 120 s), TURN refreshes,
 * permissions and channel bindings (5 and 10 minutes) and idle periods longer than a session's life all
 * pass without the client losing its way to the resource.
 */
@ExtendWith(NoErrorLogs.class)
class IceGatewayLongRunTest {

    @Test
    void aRelayedConnectionCarriesPingsForFifteenMinutes() {
        SimWorld w = SimWorld.connected(1301, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(office()));
        int replies = 0;

        for (int i = 0; i < 90; i++) {
            List<byte[]> pong = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, i));
            replies += (int) pong.stream().filter(SimPackets::isEchoReply).count();
            w.net().runFor(10 * S);
        }

        assertThat(replies).isEqualTo(90);
        assertThat(w.relayed()).isTrue();
        assertThat(w.gateway().eventsOf(GatewayEvent.ConnectionLost.class)).isEmpty();
        assertThat(w.client().eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
    }

    @Test
    void afterFourIdleMinutesThePathStillReachesTheResource() {
        SimWorld w = SimWorld.connected(1302, Nat.Type.SYMMETRIC, Nat.Type.PORT_RESTRICTED, permanent(office()));
        w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 0));

        w.net().runFor(240 * S);
        List<byte[]> first = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 1));
        w.net().runFor(1 * S);
        List<byte[]> second = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 2));

        assertThat(w.clientConnected()).isTrue();
        assertThat(second).as("after the re-handshake").singleElement()
                .satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        assertThat(first).as("queued through the re-handshake").singleElement()
                .satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        assertThat(w.gateway().eventsOf(GatewayEvent.ConnectionLost.class)).isEmpty();
    }
}
