package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.node.SimNet.MS;
import static zonegate.node.SimNet.S;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A client node and a server node behind every pair of NAT types (none, full cone, address-restricted,
 * port-restricted, symmetric), sharing one real relay, over a link with 5 % loss: every pair connects,
 * directly where hole punching works and through the relay otherwise, and carries data both ways.
 */
@ExtendWith(NoErrorLogs.class)
class NatMatrixTest {

    static List<Arguments> natPairs() {
        Nat.Type[] types = {null, Nat.Type.FULL_CONE, Nat.Type.ADDRESS_RESTRICTED, Nat.Type.PORT_RESTRICTED,
                Nat.Type.SYMMETRIC};
        List<Arguments> cases = new ArrayList<>();
        for (Nat.Type client : types) {
            for (Nat.Type gateway : types) {
                cases.add(Arguments.of(client, gateway, relayedOnly(client, gateway)));
            }
        }
        return cases;
    }

    // Hole punching fails only when one side maps per destination (symmetric) and the other filters by port.
    private static boolean relayedOnly(Nat.Type a, Nat.Type b) {
        return (a == Nat.Type.SYMMETRIC && portFiltering(b)) || (b == Nat.Type.SYMMETRIC && portFiltering(a));
    }

    private static boolean portFiltering(Nat.Type t) {
        return t == Nat.Type.PORT_RESTRICTED || t == Nat.Type.SYMMETRIC;
    }

    @ParameterizedTest(name = "client {0}, gateway {1}: relayed {2}")
    @MethodSource("natPairs")
    void connectsAndCarriesDataBothWays(Nat.Type clientNat, Nat.Type gatewayNat, boolean relayed) {
        SimNet net = new SimNet(70);
        net.lossRate = 0.05;
        SimNet.Relay relay = net.relay("198.51.100.2");

        Host[] h = net.connectedPair(clientNat, gatewayNat, 10 * S, relay);

        Host client = h[0];
        Host gateway = h[1];
        net.lossRate = 0;
        int before = client.sent.size();
        for (int i = 0; i < 5; i++) {
            client.sendPacket("gateway", Packets.ipv4(i, 600));
            gateway.sendPacket("client", Packets.ipv4(10 + i, 600));
        }
        net.runFor(200 * MS);
        assertThat(gateway.tun).extracting(Packets::seq).endsWith(0, 1, 2, 3, 4);
        assertThat(client.tun).extracting(Packets::seq).endsWith(10, 11, 12, 13, 14);
        // Through our allocation (to the relay's listen port) or to the peer's relayed address (a relay port).
        boolean throughRelay = client.sent.subList(before, client.sent.size()).stream()
                .anyMatch(t -> t.destination().getAddress().equals(relay.listen().getAddress()));
        assertThat(throughRelay).as("relayed").isEqualTo(relayed);
    }
}
