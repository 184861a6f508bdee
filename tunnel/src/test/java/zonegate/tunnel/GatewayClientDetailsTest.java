package zonegate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.GatewayHarness.S;

import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.filter.Authorization;
import zonegate.tunnel.GatewayHarness.Client;
import zonegate.wireguard.Tunnel;

/** {@link GatewayState#clientDetails}: what a status page shows of each client. */
class GatewayClientDetailsTest {
    private final GatewayHarness h = new GatewayHarness(3);

    @Test
    void aConnectedClientShowsItsEndpointHandshakeBytesAuthorisationsAndFlows() {
        Client alice = h.connectClient("alice");
        Authorization expiring = new Authorization(GatewayDataPathTest.OFFICE, List.of(),
                GatewayHarness.EPOCH_SECONDS + 3600);
        h.gateway.replaceAuthorizations(alice.spec.id(), List.of(expiring), h.nowNs);
        alice.send(Packets.echoRequest(alice.ipv4, "10.20.0.5", 7, 1));
        h.nowNs += 2 * S;

        ClientDetails details = h.gateway.clientDetails().getFirst();

        assertThat(details.id()).isEqualTo(alice.spec.id());
        assertThat(details.publicKey()).isEqualTo(alice.key.publicKey());
        assertThat(details.addresses()).isEqualTo(alice.spec.addresses());
        assertThat(details.endpoint()).isEqualTo(alice.address);
        assertThat(details.lastHandshakeNs()).isBetween(h.nowNs - 3 * S, h.nowNs - 2 * S);
        assertThat(details.rxBytes()).isPositive();
        assertThat(details.txBytes()).isPositive();
        assertThat(details.authorizations()).containsExactly(expiring);
        assertThat(details.natFlows()).isZero();
        assertThat(details.connection()).isNull();
    }

    @Test
    void aClientThatNeverConnectedHasNoEndpointNorHandshake() {
        Client bob = h.connectClient("bob");

        ClientDetails details = h.gateway.clientDetails().getFirst();

        assertThat(details.id()).isEqualTo(bob.spec.id());
        assertThat(details.endpoint()).isNull();
        assertThat(details.lastHandshakeNs()).isEqualTo(Tunnel.NEVER);
        assertThat(details.rxBytes()).isZero();
    }
}
