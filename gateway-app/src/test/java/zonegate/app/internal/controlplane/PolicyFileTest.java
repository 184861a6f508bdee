package zonegate.app.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zonegate.app.spi.ClientSpec;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.PolicyProblem;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.ClientId;
import zonegate.filter.DnsPattern;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;

class PolicyFileTest {
    @Test
    void validFileYieldsEveryClientResourceAndPolicy() {
        GatewayPolicy policy = loaded(TestConfigs.parse(TestConfigs.VALID));

        assertThat(policy.clients()).extracting(c -> c.id().value()).containsExactly("alice", "bob");
        assertThat(policy.resources()).extracting(r -> r.resource()).containsExactly(
                new Resource.CidrRange(ResourceId.of("web"), Cidr.parse("192.0.2.0/24")),
                new Resource.Dns(ResourceId.of("corp"), DnsPattern.of("*.corp.example.com")),
                new Resource.Internet(ResourceId.of("internet")));
        assertThat(policy.resource(ResourceId.of("web")).orElseThrow().filters())
                .containsExactly(new Filter.Tcp(443, 443), new Filter.Icmp());
        assertThat(policy.policies()).hasSize(3);
    }

    @Test
    void omittedGatewaySettingsTakeTheDesignDefaults() {
        GatewaySettings gateway = loaded(TestConfigs.parse(TestConfigs.VALID)).gateway();

        assertThat(gateway.publicKey().toBase64()).isEqualTo(TestConfigs.GATEWAY_PUBLIC);
        assertThat(gateway.listenPort()).isEqualTo(51820);
        assertThat(gateway.tunnelIpv4()).hasToString("100.64.0.1/11");
        assertThat(gateway.tunnelIpv6()).hasToString("fd00:2021:1111::1/107");
        assertThat(gateway.mtuBytes()).isEqualTo(1280);
        assertThat(gateway.nat64Prefix()).isEqualTo(Cidr.parse("64:ff9b::/96"));
        assertThat(gateway.upstreamDns()).containsExactly(InetAddress.ofLiteral("192.0.2.53"));
        assertThat(gateway.publicEndpoint().orElseThrow()).hasToString("vpn.example.com:51820");
    }

    @Test
    void allowToGatewayIsReadAsFiltersAndEmptyByDefault() {
        String text = TestConfigs.validWith("\"publicEndpoint\": \"vpn.example.com:51820\"",
                "\"publicEndpoint\": \"vpn.example.com:51820\", \"allowToGateway\": [{ \"protocol\": \"tcp\","
                        + " \"ports\": \"22\" }, { \"protocol\": \"udp\", \"ports\": \"9000-9100\" }]");

        assertThat(loaded(TestConfigs.parse(TestConfigs.VALID)).gateway().allowToGateway()).isEmpty();
        assertThat(loaded(TestConfigs.parse(text)).gateway().allowToGateway())
                .containsExactly(new Filter.Tcp(22, 22), new Filter.Udp(9000, 9100));
    }

    @Test
    void omittedUpstreamDnsFallsBackToTheSystemResolvers() {
        String text = TestConfigs.validWith("\"upstreamDns\": [\"192.0.2.53\"],", "");

        assertThat(loaded(TestConfigs.parse(text)).gateway().upstreamDns())
                .containsExactly(InetAddress.ofLiteral("192.0.2.1"));
    }

    @Test
    void clientsCarryKeysAndTunnelAddresses() {
        GatewayPolicy policy = loaded(TestConfigs.parse(TestConfigs.VALID));
        ClientSpec bob = policy.client(ClientId.of("bob")).orElseThrow();

        assertThat(bob.publicKey().toBase64()).isEqualTo(TestConfigs.BOB_PUBLIC);
        assertThat(bob.presharedKey().orElseThrow().toBase64()).isEqualTo(TestConfigs.BOB_PSK);
        assertThat(bob.tunnelAddresses()).hasToString("100.64.0.3, fd00:2021:1111::3");
        assertThat(policy.client(ClientId.of("alice")).orElseThrow().presharedKey()).isEmpty();
    }

    @Test
    void policiesBecomePerClientAuthorizationsWithExpiry() {
        GatewayPolicy policy = loaded(TestConfigs.parse(TestConfigs.VALID));

        List<Authorization> alice = policy.authorizationsFor(ClientId.of("alice"));

        assertThat(alice).extracting(Authorization::resourceId)
                .containsExactly(ResourceId.of("web"), ResourceId.of("corp"));
        assertThat(alice.get(0).expiresAtUnixSeconds()).isEqualTo(Authorization.NEVER);
        assertThat(alice.get(0).filters()).containsExactly(new Filter.Tcp(443, 443), new Filter.Icmp());
        assertThat(alice.get(1).expiresAtUnixSeconds()).isEqualTo(1_893_456_000L);
        assertThat(policy.authorizationsFor(ClientId.of("bob")).getFirst().expiresAtUnixSeconds())
                .isEqualTo(1_893_456_000L);
    }

    @Test
    void expiredPolicyIsAcceptedWithANote() {
        String text = TestConfigs.validWith("\"2030-01-01T00:00:00Z\"", "\"2020-01-01T00:00:00Z\"");

        LoadResult.Loaded result = (LoadResult.Loaded) TestConfigs.parse(text);

        assertThat(result.policy().policies()).hasSize(3);
        assertThat(result.notes()).extracting(PolicyProblem::toString).containsExactly(
                "t.json:30:59: policies[1].expiresAt: expired at 2020-01-01T00:00:00Z; the policy never matches"
                        + " (cid=alice rid=corp)");
    }

    @Test
    void privateKeyFileIsReadRelativeToTheConfigDirectory(@TempDir Path directory) throws Exception {
        TestConfigs.writeKeyFile(directory.resolve("gw.key"), TestConfigs.GATEWAY_PRIVATE + "\n", "rw-------");
        String text = TestConfigs.validWith("\"privateKey\": \"" + TestConfigs.GATEWAY_PRIVATE + "\"",
                "\"privateKeyFile\": \"gw.key\"");
        Path file = directory.resolve("gateway.json");
        Files.writeString(file, text);

        LoadResult result = PolicyFile.load(file, "gateway.json", TestConfigs.context(directory));

        assertThat(loaded(result).gateway().publicKey().toBase64()).isEqualTo(TestConfigs.GATEWAY_PUBLIC);
    }

    @Test
    void aKeyFileItsGroupOrOthersCanReadIsRefusedWithTheModeAndTheFix(@TempDir Path directory) throws Exception {
        Path key = directory.resolve("gw.key");
        TestConfigs.writeKeyFile(key, TestConfigs.GATEWAY_PRIVATE + "\n", "rw-r--r--");
        Path file = directory.resolve("gateway.json");
        Files.writeString(file, TestConfigs.validWith("\"privateKey\": \"" + TestConfigs.GATEWAY_PRIVATE + "\"",
                "\"privateKeyFile\": \"gw.key\""));

        LoadResult result = PolicyFile.load(file, "gateway.json", TestConfigs.context(directory));

        assertThat(((LoadResult.Rejected) result).rejection().describe()).isEqualTo("gateway.json:3:23: "
                + "gateway.privateKeyFile: key file " + key + " can be read or written by its group or by others "
                + "(mode 644); restrict it with: chmod 600 " + key);
    }

    @Test
    void exampleConfigurationIsValidOnceItsKeyFileIsPrivate(@TempDir Path directory) throws Exception {
        Path original = exampleFile();
        Path example = Files.copy(original, directory.resolve("gateway.json"));
        TestConfigs.writeKeyFile(directory.resolve("gateway.key"),
                Files.readString(original.resolveSibling("gateway.key")), "rw-------");

        GatewayPolicy policy = loaded(PolicyFile.load(example, "gateway.json", TestConfigs.context(example.getParent())));

        assertThat(policy.clients()).extracting(c -> c.id().value()).containsExactly("alice", "bob");
        assertThat(policy.resources()).extracting(r -> r.resource().getClass().getSimpleName())
                .containsExactly("CidrRange", "CidrRange", "Dns", "Internet");
        assertThat(policy.policies()).hasSize(5);
        assertThat(policy.policies()).anyMatch(p -> p.expiresAtUnixSeconds() != Authorization.NEVER)
                .anyMatch(p -> p.expiresAtUnixSeconds() == Authorization.NEVER);
    }

    @Test
    void missingFileIsRefusedWithoutAPosition(@TempDir Path directory) {
        LoadResult result = PolicyFile.load(directory.resolve("absent.json"), "absent.json",
                TestConfigs.context(directory));

        assertThat(((LoadResult.Rejected) result).rejection().describe()).isEqualTo("absent.json: no such file");
    }

    /** The repository's examples/gateway.json, found from the module's working directory. */
    static Path exampleFile() {
        Path here = Path.of("").toAbsolutePath();
        for (Path dir = here; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/gateway.json");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/gateway.json not found above " + here);
    }

    static GatewayPolicy loaded(LoadResult result) {
        return switch (result) {
            case LoadResult.Loaded loaded -> loaded.policy();
            case LoadResult.Rejected rejected -> throw new AssertionError("refused:\n" + rejected.rejection().describe());
        };
    }
}
