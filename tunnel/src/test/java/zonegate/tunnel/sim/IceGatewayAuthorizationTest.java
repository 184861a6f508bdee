package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.SimWorld.OFFICE_HOST;
import static zonegate.tunnel.sim.SimWorld.office;
import static zonegate.tunnel.sim.SimWorld.permanent;
import static zonegate.tunnel.sim.TunnelSim.S;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.node.CloseReason;
import zonegate.node.ConnectionState;
import zonegate.node.FailureReason;
import zonegate.node.NodeEvent;
import zonegate.tunnel.AuthorizationRef;
import zonegate.tunnel.GatewayEvent;

/**
 * How long a client may reach what, in ICE mode: an authorisation's expiry (from the wall clock), the
 * control plane's init that revokes what it does not list and updates expiries, and rejectAccess. The
 * last authorisation going ends the connection with a goodbye; one of several going does not.
 */
@ExtendWith(NoErrorLogs.class)
class IceGatewayAuthorizationTest {
    private static final Resource LAB = new Resource.CidrRange(ResourceId.of("lab"), Cidr.parse("10.30.0.0/16"));

    private static SimWorld expiringIn(long seed, long seconds) {
        SimWorld w = SimWorld.unconnected(seed, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC);
        w.net().controlPlane.connect(w.client(), w.gateway(),
                new Authorization(office(), List.of(), w.net().wallSeconds() + seconds));
        w.awaitConnected();
        return w;
    }

    private static void assertGoodbyeAndForgotten(SimWorld w) {
        assertThat(w.client().closedWith(CloseReason.GOODBYE_RECEIVED)).as("the client got a goodbye").isTrue();
        assertThat(w.client().node.state(w.gateway().name)).isNull();
        assertThat(w.gateway().state.clientCount()).isZero();
        assertThat(w.gateway().state.authorizationCount(w.client().spec.id())).isEqualTo(-1);
        assertThat(w.gateway().state.connectionState(w.client().spec.id())).isNull();
    }

    @Test
    void anAuthorizationThatExpiresEndsTheConnectionWithAGoodbyeAndTheGatewayForgetsTheClient() {
        SimWorld w = expiringIn(401, 30);
        w.net().runFor(20 * S);
        List<byte[]> before = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 1));

        w.net().runFor(10 * S);

        assertThat(before).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        assertGoodbyeAndForgotten(w);
        assertThat(w.gateway().eventsOf(GatewayEvent.AuthorizationExpired.class)).singleElement()
                .satisfies(e -> assertThat(e.resourceId()).isEqualTo(office().id()));
        assertThat(w.gateway().eventsOf(GatewayEvent.NoAuthorizationLeft.class)).hasSize(1);
    }

    @Test
    void initWithoutTheAuthorizationRevokesItWithAGoodbye() {
        SimWorld w = SimWorld.connected(402, Nat.Type.SYMMETRIC, Nat.Type.PORT_RESTRICTED, permanent(office()));

        w.gateway().init(List.of(), w.relay());
        w.net().runFor(1 * S);

        assertGoodbyeAndForgotten(w);
    }

    @Test
    void initThatKeepsTheAuthorizationWithANewExpiryKeepsTheConnectionUntilTheNewExpiry() {
        SimWorld w = expiringIn(403, 30);
        w.net().runFor(10 * S);

        w.gateway().init(List.of(new AuthorizationRef(w.client().spec.id(), office().id(),
                w.net().wallSeconds() + 60)), w.relay());
        w.net().runFor(40 * S);
        List<byte[]> pastOldExpiry = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 1));
        boolean connectedPastOldExpiry = w.bothConnected();
        w.net().runFor(21 * S);

        assertThat(connectedPastOldExpiry).isTrue();
        assertThat(pastOldExpiry).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        assertGoodbyeAndForgotten(w);
    }

    @Test
    void rejectAccessOfOneOfTwoResourcesKeepsTheConnectionAndTheOtherResource() {
        SimWorld w = SimWorld.connected(404, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(office()),
                permanent(LAB));
        List<byte[]> labBefore = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, "10.30.0.1", 7, 1));

        w.gateway().state.rejectAccess(w.client().spec.id(), LAB.id(), w.net().nowNs);
        w.net().runFor(1 * S);
        List<byte[]> labAfter = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, "10.30.0.1", 7, 2));
        List<byte[]> office = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 3));

        assertThat(labBefore).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        assertThat(labAfter).singleElement().satisfies(p -> {
            assertThat(SimPackets.icmpType(p)).isEqualTo(3);
            assertThat(SimPackets.icmpCode(p)).as("network unreachable").isZero();
        });
        assertThat(office).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        assertThat(w.client().closedWith(CloseReason.GOODBYE_RECEIVED)).isFalse();
        assertThat(w.gateway().state.connectionState(w.client().spec.id())).isEqualTo(ConnectionState.CONNECTED);
        assertThat(w.gateway().state.authorizationCount(w.client().spec.id())).isEqualTo(1);
    }

    @Test
    void oneOfTwoAuthorizationsExpiringKeepsTheConnectionAndTheOther() {
        SimWorld w = SimWorld.unconnected(405, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC);
        w.net().controlPlane.connect(w.client(), w.gateway(),
                new Authorization(office(), List.of(), w.net().wallSeconds() + 30), permanent(LAB));
        w.awaitConnected();

        w.net().runFor(31 * S);
        List<byte[]> office = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 1));
        List<byte[]> lab = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, "10.30.0.1", 7, 2));

        assertThat(office).singleElement().satisfies(p -> assertThat(SimPackets.icmpType(p)).isEqualTo(3));
        assertThat(lab).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        assertThat(w.client().closedWith(CloseReason.GOODBYE_RECEIVED)).isFalse();
        assertThat(w.gateway().eventsOf(GatewayEvent.AuthorizationExpired.class)).hasSize(1);
        assertThat(w.gateway().eventsOf(GatewayEvent.NoAuthorizationLeft.class)).isEmpty();
    }

    @Test
    void aClientIdlePastItsSessionsLifeGetsNoGoodbyeButLosesTheConnectionToUnansweredConsentChecks() {
        SimWorld w = SimWorld.connected(406, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(office()));
        w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 1));
        w.net().runFor(200 * S);

        w.gateway().state.rejectAccess(w.client().spec.id(), office().id(), w.net().nowNs);
        w.net().runFor(1 * S);
        boolean goodbye = w.client().closedWith(CloseReason.GOODBYE_RECEIVED);
        w.net().runFor(130 * S); // idle: consent lost at the first check timing out 100 s after the last answer

        assertThat(goodbye).as("no WireGuard session left to carry it").isFalse();
        assertThat(w.gateway().state.clientCount()).isZero();
        assertThat(w.client().node.state(w.gateway().name)).isNull();
        assertThat(w.client().eventsOf(NodeEvent.ConnectionFailed.class)).singleElement()
                .satisfies(f -> assertThat(f.reason()).isEqualTo(FailureReason.CONSENT_LOST));
    }
}
