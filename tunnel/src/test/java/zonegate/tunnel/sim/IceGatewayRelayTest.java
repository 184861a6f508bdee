package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.SimWorld.OFFICE_HOST;
import static zonegate.tunnel.sim.SimWorld.office;
import static zonegate.tunnel.sim.SimWorld.permanent;
import static zonegate.tunnel.sim.TunnelSim.MS;
import static zonegate.tunnel.sim.TunnelSim.S;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.filter.Authorization;
import zonegate.ice.CandidateType;
import zonegate.tunnel.AuthorizationRef;
import zonegate.tunnel.GatewayEvent;

/**
 * The gateway's relays as the control plane changes them: removing the relay under a relayed connection
 * loses the connection (RELAY_GONE) but not the client's authorisations, and the connection made again
 * goes through the relay left; removing the last relay is reported.
 */
@ExtendWith(NoErrorLogs.class)
class IceGatewayRelayTest {

    @Test
    void removingTheRelayUnderTheConnectionLosesItAndTheConnectionMadeAgainUsesTheOtherRelay() {
        TunnelSim net = new TunnelSim(1501);
        TunnelSim.Relay a = net.relay("198.51.100.2");
        TunnelSim.Relay b = net.relay("198.51.100.3");
        GatewayHost gateway = net.gateway("gateway", Nat.Type.SYMMETRIC);
        gateway.init(a, b);
        ClientHost client = net.client("alice", Nat.Type.SYMMETRIC);
        client.useRelays(a, b);
        net.runFor(200 * MS);
        net.controlPlane.connect(client, gateway, permanent(office()));
        SimWorld w = new SimWorld(net, a, gateway, client);
        w.awaitConnected();
        var remote = client.node.nominatedPair(gateway.name).remote();
        assertThat(remote.type()).as("the client reaches the gateway's relayed address").isEqualTo(CandidateType.RELAYED);
        TunnelSim.Relay used = remote.address().getAddress().equals(a.listen().getAddress()) ? a : b;
        TunnelSim.Relay other = used == a ? b : a;

        gateway.init(List.of(new AuthorizationRef(client.spec.id(), office().id(),
                Authorization.NEVER)), other);
        net.runFor(1 * S);

        assertThat(gateway.eventsOf(GatewayEvent.ConnectionLost.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("RELAY_GONE"));
        assertThat(gateway.state.authorizationCount(client.spec.id())).isEqualTo(1);

        net.controlPlane.connect(client, gateway, permanent(office()));
        w.awaitClientConnected();
        List<byte[]> pong = w.roundTrip(SimPackets.echoRequest(client.ipv4, OFFICE_HOST, 7, 1));

        assertThat(pong).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        var pair = client.node.nominatedPair(gateway.name);
        assertThat(pair.relayed()).isTrue();
        assertThat(List.of(pair.local().address().getAddress(), pair.remote().address().getAddress()))
                .doesNotContain(used.listen().getAddress());
    }

    @Test
    void removingTheLastRelayIsReported() {
        SimWorld w = SimWorld.connected(1502, Nat.Type.FULL_CONE, null, permanent(office()));

        w.gateway().init(List.of(new AuthorizationRef(w.client().spec.id(), office().id(),
                Authorization.NEVER)));
        w.net().runFor(500 * MS);
        List<byte[]> pong = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 1));

        assertThat(w.gateway().eventsOf(GatewayEvent.NoRelays.class)).hasSize(1);
        assertThat(pong).as("a direct path needs no relay").singleElement()
                .satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
    }
}
