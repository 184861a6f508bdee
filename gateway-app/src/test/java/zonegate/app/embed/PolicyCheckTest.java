package zonegate.app.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import zonegate.app.spi.ClientSpec;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.PolicyProblem;
import zonegate.app.spi.ResourceSpec;
import zonegate.filter.ClientId;
import zonegate.wireguard.PresharedKey;

/** A policy built in code is checked as a configuration file is, before the gateway sees it. */
class PolicyCheckTest {
    private final TestPolicies policies = new TestPolicies(11);

    @Test
    void aPolicyOfOneClientAndOneResourceIsValid() {
        GatewayPolicy policy = policies.simple(51820, List.of(policies.client("alice", 2)));

        assertThatCode(() -> PolicyCheck.requireValid(policy)).doesNotThrowAnyException();
    }

    @Test
    void everyProblemIsListedWithThePathOfItsValue() {
        ClientSpec alice = policies.client("alice", 2);
        ClientSpec outside = new ClientSpec(ClientId.of("bob"), alice.publicKey(),
                (Inet4Address) InetAddress.ofLiteral("10.0.0.2"), policies.client("x", 3).ipv6(), Optional.empty(), 0);
        ClientSpec gatewayKey = new ClientSpec(ClientId.of("carol"), policies.gatewayKey.publicKey(),
                policies.client("y", 4).ipv4(), alice.ipv6(), Optional.empty(), 0);
        ResourceSpec overlapping = TestPolicies.cidr("tunnel", "100.64.0.0/24");
        GatewayPolicy policy = new GatewayPolicy(policies.settings(0), List.of(alice, outside, gatewayKey),
                List.of(overlapping), List.of());

        assertThatThrownBy(() -> PolicyCheck.requireValid(policy))
                .isInstanceOfSatisfying(InvalidPolicyException.class, e -> assertThat(
                        e.rejection().problems().stream().map(PolicyProblem::toString))
                        .containsExactly(
                                "policy: gateway.listenPort: 0 is not a UDP port (1..65535)",
                                "policy: clients[1].publicKey: public key already used by clients[0]",
                                "policy: clients[1].ipv4: 10.0.0.2 is outside the tunnel range 100.64.0.0/11",
                                "policy: clients[2].publicKey: is the gateway's own public key",
                                "policy: clients[2].ipv6: address fd00:2021:1111::2 already used by clients[0]",
                                "policy: resources[0].cidr: 100.64.0.0/24 overlaps the tunnel range 100.64.0.0/11"));
    }

    @Test
    void openRefusesAnInvalidPolicyBeforeTouchingTheSystem() {
        GatewayPolicy policy = policies.simple(51820, List.of(policies.client("alice", 1)));

        assertThatThrownBy(() -> EmbeddedGateway.open(policy, "zgnever0", 1))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessage("policy: clients[0].ipv4: 100.64.0.1 is the gateway's own tunnel address\n"
                        + "policy: clients[0].ipv6: fd00:2021:1111::1 is the gateway's own tunnel address");
    }

    @Test
    void aChangeOfWhatOnlyANewOpenCanChangeIsRefusedButNewClientsAreNot() {
        GatewayPolicy running = policies.simple(51820, List.of(policies.client("alice", 2)));
        GatewayPolicy moreClients = policies.simple(51820,
                List.of(policies.client("alice", 2), policies.client("bob", 3)));
        GatewayPolicy otherPort = policies.simple(51821, List.of(policies.client("alice", 2)));

        assertThatCode(() -> PolicyCheck.requireApplicable(moreClients, running.gateway(),
                running.gateway().publicKey())).doesNotThrowAnyException();
        assertThatThrownBy(() -> PolicyCheck.requireApplicable(otherPort, running.gateway(),
                running.gateway().publicKey()))
                .hasMessage("policy: gateway.listenPort: the listen port differs from the running gateway's: "
                        + "it cannot change without a new open()");
    }

    @Test
    void theGatewaysCopyOfThePolicyHasKeysOfItsOwn() {
        PresharedKey psk = PresharedKey.generate(new SecureRandom());
        ClientSpec alice = policies.client("alice", 2);
        ClientSpec withPsk = new ClientSpec(alice.id(), alice.publicKey(), alice.ipv4(), alice.ipv6(),
                Optional.of(psk), 25);
        GatewayPolicy policy = policies.simple(51820, List.of(withPsk));
        var gatewayPublicKey = policies.gatewayKey.publicKey();

        GatewayPolicy copy = PolicyKeys.withOwnKeys(policy);
        copy.destroyKeys();

        assertThat(policy.gateway().privateKey().publicKey()).isEqualTo(gatewayPublicKey);
        assertThat(policy.clients().getFirst().presharedKey().orElseThrow().sameKeyAs(psk)).isTrue();
        assertThat(copy.gateway().privateKey().publicKey()).isNotEqualTo(gatewayPublicKey);
        assertThat(copy.clients().getFirst().persistentKeepaliveSeconds()).isEqualTo(25);
        assertThat(copy.authorizations()).isEqualTo(policy.authorizations());
    }

    @Test
    void countersAreImmutableSnapshots() {
        LinkedHashMap<String, Long> drops = new LinkedHashMap<>(Map.of("filtered", 1L));
        StateCounters state = new StateCounters(1, drops, Map.of(), 0);
        drops.put("filtered", 5L);

        assertThat(state.gatewayDrops()).containsExactly(Map.entry("filtered", 1L));
        assertThatThrownBy(() -> state.gatewayDrops().put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
    }
}
