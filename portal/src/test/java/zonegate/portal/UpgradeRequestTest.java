package zonegate.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zonegate.portal.internal.UpgradeRequest;

class UpgradeRequestTest {
    private final PortalPolicy policy = Harness.policy(List.of());

    private UpgradeRequest check(Role role, String header, Map<String, List<String>> query) {
        return UpgradeRequest.check(policy, role, header, name -> query.getOrDefault(name, List.of()));
    }

    @Test
    void relayWithOneAddressPerFamilyIsAccepted() {
        UpgradeRequest result = check(Role.RELAY, "Bearer tok-r1",
                Map.of("address", List.of("203.0.113.9:3478", "[2001:db8::9]:3478")));

        assertThat(result).isEqualTo(new UpgradeRequest.Accepted("r1", null,
                List.of("203.0.113.9:3478", "[2001:db8::9]:3478"), ""));
    }

    @Test
    void relayAddressWithoutBracketsOrPortIsABadRequest() {
        assertThat(check(Role.RELAY, "Bearer tok-r1", Map.of("address", List.of("2001:db8::9:3478"))))
                .isInstanceOf(UpgradeRequest.Refused.class)
                .extracting(r -> ((UpgradeRequest.Refused) r).closeCode()).isEqualTo(4000);
        assertThat(check(Role.RELAY, "Bearer tok-r1", Map.of("address", List.of("relay.example.com:3478"))))
                .isInstanceOf(UpgradeRequest.Refused.class);
        assertThat(check(Role.RELAY, "Bearer tok-r1", Map.of())).isInstanceOf(UpgradeRequest.Refused.class);
    }

    @Test
    void tokenOfAnotherRoleIsInvalid() {
        UpgradeRequest result = check(Role.CLIENT, "Bearer tok-gw-a", Map.of("public_key", List.of(Harness.KEY_A)));

        assertThat(result).isEqualTo(new UpgradeRequest.Refused("invalid_token", 4001, "token matches no client"));
    }

    @Test
    void headerWithoutBearerIsAMissingToken() {
        assertThat(check(Role.GATEWAY, "tok-gw-a", Map.of()))
                .extracting(r -> ((UpgradeRequest.Refused) r).reason()).isEqualTo("missing_token");
    }

    @Test
    void clientKeyMustBeAWireGuardKey() {
        UpgradeRequest result = check(Role.CLIENT, "Bearer tok-alice", Map.of("public_key", List.of("A".repeat(44))));

        assertThat(result).extracting(r -> ((UpgradeRequest.Refused) r).reason()).isEqualTo("bad_request");
    }
}
