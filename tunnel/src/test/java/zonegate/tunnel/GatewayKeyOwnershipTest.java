package zonegate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zonegate.tunnel.GatewayHarness.Client;
import zonegate.wireguard.PresharedKey;

/** The gateway keeps its own copies of preshared keys, so a control plane may destroy the ones it handed in. */
class GatewayKeyOwnershipTest {
    private final GatewayHarness h = new GatewayHarness(11);
    private final PresharedKey psk = PresharedKey.generate(GatewayHarness.seeded(5));

    @Test
    void aClientConnectsWithItsPresharedKeyAfterTheCallerDestroyedTheSpecsCopy() {
        Client alice = h.addClient("alice", psk);
        h.gateway.applyPolicy(List.of(alice.spec), Map.of(), h.nowNs);
        alice.spec.presharedKey().destroy();

        alice.send(Packets.udp(alice.ipv4, 1, GatewayHarness.GATEWAY_V4, 53, new byte[1]));

        assertThat(h.gateway.clientStatus(alice.spec.id()).handshakesCompleted()).isOne();
        assertThat(h.tun).hasSize(1);
    }

    @Test
    void reapplyingTheSameKeyAfterTheCallerDestroyedTheFirstCopyIsNoChange() {
        Client alice = h.addClient("alice", psk);
        h.gateway.applyPolicy(List.of(alice.spec), Map.of(), h.nowNs);
        alice.spec.presharedKey().destroy();
        alice.send(Packets.udp(alice.ipv4, 1, GatewayHarness.GATEWAY_V4, 53, new byte[1]));
        ClientSpec reloaded = new ClientSpec(alice.spec.id(), alice.spec.publicKey(), psk.copy(),
                alice.spec.addresses());

        PolicyResult result = h.gateway.applyPolicy(List.of(reloaded), Map.of(), h.nowNs);
        alice.send(Packets.udp(alice.ipv4, 1, GatewayHarness.GATEWAY_V4, 53, new byte[1]));

        assertThat(result.unchanged()).isOne();
        assertThat(h.tun).hasSize(2);
        assertThat(h.gateway.clientStatus(alice.spec.id()).handshakesCompleted()).isOne();
    }
}
