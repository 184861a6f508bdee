package zonegate.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.ice.Net.S;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client (controlling, client profile) and a gateway (controlled, gateway profile), each behind a
 * simulated NAT, with host, server-reflexive and relayed candidates: they connect directly whenever
 * the NAT pair allows hole punching and through the relay otherwise, and both ends agree on the path
 * (data sent over each selected pair arrives on the other's selected pair).
 */
class NatTraversalTest {

    static List<Arguments> natPairs() {
        List<Arguments> cases = new ArrayList<>();
        Nat.Type[] types = {null, Nat.Type.FULL_CONE, Nat.Type.ADDRESS_RESTRICTED, Nat.Type.PORT_RESTRICTED,
                Nat.Type.SYMMETRIC};
        for (Nat.Type client : types) {
            for (Nat.Type gateway : types) {
                cases.add(Arguments.of(client, gateway, !direct(client, gateway)));
            }
        }
        return cases;
    }

    // Hole punching fails only when one side maps per destination (symmetric) and the other filters by
    // port (port-restricted or symmetric): the mapping the peer learned is not the one it must open.
    private static boolean direct(Nat.Type a, Nat.Type b) {
        return !((a == Nat.Type.SYMMETRIC && hardFilter(b)) || (b == Nat.Type.SYMMETRIC && hardFilter(a)));
    }

    private static boolean hardFilter(Nat.Type t) {
        return t == Nat.Type.PORT_RESTRICTED || t == Nat.Type.SYMMETRIC;
    }

    @ParameterizedTest(name = "client {0}, gateway {1}: relayed {2}")
    @MethodSource("natPairs")
    void connectsDirectlyWhereTheNatsAllowItAndThroughTheRelayOtherwise(Nat.Type clientNat, Nat.Type gatewayNat,
            boolean relayed) {
        Net net = new Net();
        Peer client = net.peer("client", IceConfig.client(), IceRole.CONTROLLING, clientNat, 1);
        Peer gateway = net.peer("gateway", IceConfig.gateway(), IceRole.CONTROLLED, gatewayNat, 2);
        net.introduce(client, gateway);
        net.gather(client, true);
        net.gather(gateway, true);
        net.drain();
        gateway.agent.endOfRemoteCandidates(net.nowNs);
        client.agent.endOfRemoteCandidates(net.nowNs);

        net.runUntil(5 * S);

        assertThat(client.agent.state()).as("client %s", client.events).isEqualTo(IceState.CONNECTED);
        assertThat(gateway.agent.state()).isEqualTo(IceState.CONNECTED);
        SelectedPair c = client.agent.selectedPair().orElseThrow();
        SelectedPair g = gateway.agent.selectedPair().orElseThrow();
        assertThat(c.relayed()).as("client path relayed").isEqualTo(relayed);
        assertThat(g.relayed() || c.localRelayed() || g.localRelayed()).isEqualTo(relayed);
        assertThat(client.eventsOf(IceEvent.PairNominated.class)).hasSize(1);
        assertThat(gateway.eventsOf(IceEvent.PairNominated.class)).hasSize(1);

        net.sendData(client, c.localAddress(), c.remoteAddress(), "to gateway");
        net.sendData(gateway, g.localAddress(), g.remoteAddress(), "to client");
        net.runUntil(net.nowNs + S);
        assertThat(gateway.data).singleElement().satisfies(d -> {
            assertThat(d.local()).isEqualTo(g.localAddress());
            assertThat(d.from()).isEqualTo(g.remoteAddress());
        });
        assertThat(client.data).singleElement().satisfies(d -> {
            assertThat(d.local()).isEqualTo(c.localAddress());
            assertThat(d.from()).isEqualTo(c.remoteAddress());
        });
    }
}
