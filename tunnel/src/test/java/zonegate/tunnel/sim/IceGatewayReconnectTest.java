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
import zonegate.ice.CandidateType;
import zonegate.node.NodeEvent;
import zonegate.tunnel.AuthorizationResult;
import zonegate.tunnel.GatewayEvent;

/**
 * Connections that break and come back in ICE mode: a failed connection keeps the client's authorisations
 * so the control plane can make it again with new ICE credentials; candidates gathered while the control
 * plane is away are held, merged, and flushed when it returns.
 */
@ExtendWith(NoErrorLogs.class)
class IceGatewayReconnectTest {

    @Test
    void aFailedConnectionKeepsTheAuthorizationsAndANewConnectionReachesTheResourceAgain() {
        SimWorld w = SimWorld.connected(601, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(office()));
        var first = w.net().controlPlane.session(w.client(), w.gateway());

        w.net().blackhole = true;
        for (int i = 0; i < 120 && w.gateway().state.connectionState(w.client().spec.id()) != null; i++) {
            w.net().runFor(1 * S);
        }
        w.net().blackhole = false;
        w.net().runFor(1 * S);

        assertThat(w.gateway().eventsOf(GatewayEvent.ConnectionLost.class)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("CONSENT_LOST"));
        assertThat(w.gateway().state.connectionState(w.client().spec.id())).isNull();
        assertThat(w.gateway().state.clientCount()).isEqualTo(1);
        assertThat(w.gateway().state.authorizationCount(w.client().spec.id())).isEqualTo(1);

        w.net().runFor(130 * S); // the idle client loses consent 100 s after the last answer, at the latest 127 s
        assertThat(w.client().eventsOf(NodeEvent.ConnectionFailed.class)).hasSize(1);
        var second = w.net().controlPlane.connect(w.client(), w.gateway(), permanent(office()));
        w.awaitConnected();
        List<byte[]> pong = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 1));

        assertThat(second.clientIce()).isNotEqualTo(first.clientIce());
        assertThat(w.net().controlPlane.results).containsExactly(AuthorizationResult.CREATED, AuthorizationResult.CREATED);
        assertThat(w.gateway().state.authorizationCount(w.client().spec.id())).as("no duplicate").isEqualTo(1);
        assertThat(w.gateway().state.clientCount()).isEqualTo(1);
        assertThat(pong).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        assertThat(w.gateway().eventsOf(GatewayEvent.ClientConnected.class)).hasSize(2);
    }

    @Test
    void candidatesGatheredWhileTheControlPlaneIsDisconnectedAreHeldMergedAndFlushedOnReconnect() {
        TunnelSim net = new TunnelSim(701);
        TunnelSim.Relay a = net.relay("198.51.100.2");
        TunnelSim.Relay b = net.relay("198.51.100.3");
        GatewayHost gateway = net.gateway("gateway", Nat.Type.SYMMETRIC);
        gateway.init();
        ClientHost client = net.client("alice", Nat.Type.SYMMETRIC);
        client.useRelays(b);
        net.runFor(200 * MS);
        net.controlPlane.connect(client, gateway, permanent(office()));
        net.runFor(200 * MS);
        SimWorld w = new SimWorld(net, b, gateway, client);
        int signalled = gateway.eventsOf(GatewayEvent.CandidatesChanged.class).size();

        gateway.state.updateRelays(List.of(a.turnServer(), b.turnServer()), List.of(), net.nowNs);
        net.controlPlane.disconnect(gateway);
        net.runFor(1 * S);
        net.blocked = (from, to) -> from.getAddress().equals(a.listen().getAddress())
                || to.getAddress().equals(a.listen().getAddress());
        net.runFor(40 * S);
        boolean connectedWhileDisconnected = w.bothConnected();
        int signalledWhileDisconnected = gateway.eventsOf(GatewayEvent.CandidatesChanged.class).size() - signalled;
        net.controlPlane.reconnect(gateway);
        net.settle();
        List<GatewayEvent.CandidatesChanged> flushed = gateway.eventsOf(GatewayEvent.CandidatesChanged.class)
                .subList(signalled, gateway.eventsOf(GatewayEvent.CandidatesChanged.class).size());
        w.awaitConnected();

        assertThat(connectedWhileDisconnected).isFalse();
        assertThat(signalledWhileDisconnected).isZero();
        int portToA = gateway.nat.mappedPort(gateway.socket, a.listen());
        int portToB = gateway.nat.mappedPort(gateway.socket, b.listen());
        assertThat(portToA).isPositive();
        assertThat(flushed).singleElement().satisfies(e -> {
            assertThat(e.clientId()).isEqualTo(client.spec.id());
            assertThat(e.removed()).as("never signalled, so not withdrawn").isEmpty();
            // The server-reflexive address learned from the silent relay a is our NAT's mapping: it stays.
            assertThat(e.added()).extracting(c -> c.address().getPort()).contains(portToA, portToB);
            assertThat(e.added()).noneMatch(c -> c.address().getAddress().equals(a.listen().getAddress()))
                    .anyMatch(c -> c.type() == CandidateType.RELAYED
                            && c.address().getAddress().equals(b.listen().getAddress()));
        });
        assertThat(w.relayed()).isTrue();
        List<byte[]> pong = w.roundTrip(SimPackets.echoRequest(client.ipv4, OFFICE_HOST, 7, 1));
        assertThat(pong).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
    }
}
