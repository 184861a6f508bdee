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
import zonegate.node.CloseReason;
import zonegate.tunnel.AuthorizationRef;
import zonegate.tunnel.AuthorizationResult;
import zonegate.tunnel.GatewayEvent;

/**
 * How clients come and go on an ICE-mode gateway: a client's goodbye, the gateway's graceful shutdown, the
 * last resource rejected, and one client's revocation leaving another alone.
 */
@ExtendWith(NoErrorLogs.class)
class IceGatewayLifecycleTest {

    @Test
    void aClientThatSaysGoodbyeIsForgottenAndCanBeAuthorisedAfresh() {
        SimWorld w = SimWorld.connected(801, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(office()));

        w.client().node.closeConnection(w.gateway().name, w.net().nowNs);
        w.net().runFor(1 * S);
        int forgottenCount = w.gateway().state.clientCount();
        w.net().controlPlane.connect(w.client(), w.gateway(), permanent(office()));
        w.awaitConnected();
        List<byte[]> pong = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 1));

        assertThat(forgottenCount).isZero();
        assertThat(w.gateway().eventsOf(GatewayEvent.ConnectionLost.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("GOODBYE_RECEIVED"));
        assertThat(w.net().controlPlane.results).containsOnly(AuthorizationResult.CREATED);
        assertThat(pong).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
    }

    @Test
    void closeAllSaysGoodbyeToEveryConnectedClient() {
        SimWorld w = SimWorld.connected(802, Nat.Type.PORT_RESTRICTED, Nat.Type.SYMMETRIC, permanent(office()));

        w.gateway().state.closeAll(w.net().nowNs);
        w.net().runFor(500 * MS);

        assertThat(w.client().closedWith(CloseReason.GOODBYE_RECEIVED)).isTrue();
        assertThat(w.gateway().state.connectionState(w.client().spec.id())).isNull();
    }

    @Test
    void rejectingTheLastResourceEndsTheConnectionWithAGoodbye() {
        SimWorld w = SimWorld.connected(803, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(office()));

        w.gateway().state.rejectAccess(w.client().spec.id(), office().id(), w.net().nowNs);
        w.net().runFor(500 * MS);

        assertThat(w.client().closedWith(CloseReason.GOODBYE_RECEIVED)).isTrue();
        assertThat(w.gateway().state.clientCount()).isZero();
    }

    @Test
    void revokingOneClientLeavesAnotherConnectedAndReachingItsResource() {
        SimWorld w = SimWorld.connected(804, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(office()));
        ClientHost bob = w.net().client("bob", Nat.Type.SYMMETRIC);
        bob.useRelays(w.relay());
        w.net().runFor(200 * MS);
        w.net().controlPlane.connect(bob, w.gateway(), permanent(office()));
        SimWorld b = new SimWorld(w.net(), w.relay(), w.gateway(), bob);
        b.awaitConnected();

        w.gateway().init(List.of(new AuthorizationRef(bob.spec.id(), office().id(),
                Authorization.NEVER)), w.relay());
        w.net().runFor(500 * MS);
        List<byte[]> bobPong = b.roundTrip(SimPackets.echoRequest(bob.ipv4, OFFICE_HOST, 9, 1));
        List<byte[]> bobToAlice = b.roundTrip(SimPackets.echoRequest(bob.ipv4, w.client().ipv4, 9, 2));

        assertThat(w.client().closedWith(CloseReason.GOODBYE_RECEIVED)).isTrue();
        assertThat(bob.closedWith(CloseReason.GOODBYE_RECEIVED)).isFalse();
        assertThat(w.gateway().state.clientCount()).isEqualTo(1);
        assertThat(bobPong).singleElement().satisfies(p -> {
            assertThat(SimPackets.isEchoReply(p)).isTrue();
            assertThat(SimPackets.destination(p)).isEqualTo(bob.ipv4);
        });
        assertThat(bobToAlice).singleElement().satisfies(p -> assertThat(SimPackets.icmpType(p)).isEqualTo(3));
        assertThat(w.gateway().site.received).noneMatch(p -> SimPackets.destination(p).equals(w.client().ipv4));
    }
}
