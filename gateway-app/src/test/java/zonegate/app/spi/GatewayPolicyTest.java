package zonegate.app.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.ClientId;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.PublicKey;

class GatewayPolicyTest {
    private static final ResourceId WEB = ResourceId.of("web");
    private static final ResourceId ALL = ResourceId.of("internet");
    private static final ClientId ALICE = ClientId.of("alice");
    private static final ClientId BOB = ClientId.of("bob");

    @Test
    void authorizationsCarryTheResourceItsFiltersAndTheGrantsExpiry() {
        GatewayPolicy policy = policy(List.of(new AccessPolicy(ALICE, WEB, 1_900_000_000L),
                new AccessPolicy(ALICE, ALL, Authorization.NEVER), new AccessPolicy(BOB, ALL, Authorization.NEVER)));

        assertThat(policy.authorizationsFor(ALICE)).containsExactly(
                new Authorization(new Resource.CidrRange(WEB, Cidr.parse("192.0.2.0/24")),
                        List.of(new Filter.Tcp(443, 443)), 1_900_000_000L),
                Authorization.permanent(new Resource.Internet(ALL), List.of()));
    }

    @Test
    void everyClientAppearsInTheMapEvenWithoutGrants() {
        GatewayPolicy policy = policy(List.of(new AccessPolicy(BOB, WEB, Authorization.NEVER)));

        assertThat(policy.authorizations()).containsOnlyKeys(ALICE, BOB);
        assertThat(policy.authorizations().get(ALICE)).isEmpty();
        assertThat(policy.authorizations().get(BOB)).hasSize(1);
    }

    @Test
    void grantForAnUnlistedResourceIsAProgrammingError() {
        assertThatThrownBy(() -> policy(List.of(new AccessPolicy(ALICE, ResourceId.of("db"), Authorization.NEVER))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void problemReadsLikeACompilerMessage() {
        assertThat(new PolicyProblem("gateway.json", 14, 9, "clients[1].publicKey", "bad key"))
                .hasToString("gateway.json:14:9: clients[1].publicKey: bad key");
        assertThat(new PolicyProblem("gateway.json", 0, 0, "", "no such file"))
                .hasToString("gateway.json: no such file");
    }

    @Test
    void settingsNeverPrintThePrivateKey() {
        PrivateKey key = PrivateKey.parse("mP1CUEIa+sQtgzFLKF1Mjx/vYiqsURhESq+Or2LHi00=");

        assertThat(settings(key).toString()).doesNotContain(key.toBase64());
    }

    @Test
    void interfaceAddressKnowsItsRange() {
        InterfaceAddress address = new InterfaceAddress(InetAddress.ofLiteral("100.64.0.1"), 11);

        assertThat(address.range()).isEqualTo(Cidr.parse("100.64.0.0/11"));
        assertThat(address.contains(InetAddress.ofLiteral("100.95.255.254"))).isTrue();
        assertThat(address.contains(InetAddress.ofLiteral("100.96.0.1"))).isFalse();
    }

    @Test
    void ipv6EndpointIsBracketed() {
        assertThat(new PublicEndpoint("2001:db8::1", 51820)).hasToString("[2001:db8::1]:51820");
    }

    private static GatewayPolicy policy(List<AccessPolicy> grants) {
        PrivateKey gatewayKey = PrivateKey.parse("mP1CUEIa+sQtgzFLKF1Mjx/vYiqsURhESq+Or2LHi00=");
        List<ClientSpec> clients = List.of(
                client(ALICE, "u+gT43/iu6n5mXCGY8QoHH7kQbA8ih6sf3a2FlNAXkQ=", "100.64.0.2", "fd00:2021:1111::2"),
                client(BOB, "1hpdVbF9szC+HZcl0ZSxiWUCk7nX5JHHmrT6v5wQZlU=", "100.64.0.3", "fd00:2021:1111::3"));
        List<ResourceSpec> resources = List.of(
                new ResourceSpec(new Resource.CidrRange(WEB, Cidr.parse("192.0.2.0/24")), "Web",
                        List.of(new Filter.Tcp(443, 443))),
                new ResourceSpec(new Resource.Internet(ALL), "Internet", List.of()));
        return new GatewayPolicy(settings(gatewayKey), clients, resources, grants);
    }

    private static GatewaySettings settings(PrivateKey key) {
        return new GatewaySettings(key, 51820, new InterfaceAddress(InetAddress.ofLiteral("100.64.0.1"), 11),
                new InterfaceAddress(InetAddress.ofLiteral("fd00:2021:1111::1"), 107), 1280,
                List.of(InetAddress.ofLiteral("192.0.2.53")), Cidr.parse("64:ff9b::/96"), Optional.empty(), List.of());
    }

    private static ClientSpec client(ClientId id, String publicKey, String ipv4, String ipv6) {
        return new ClientSpec(id, PublicKey.parse(publicKey), (Inet4Address) InetAddress.ofLiteral(ipv4),
                (Inet6Address) InetAddress.ofLiteral(ipv6), Optional.empty(), 0);
    }
}
