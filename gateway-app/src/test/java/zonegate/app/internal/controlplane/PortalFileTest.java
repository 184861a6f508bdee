package zonegate.app.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import zonegate.controlplane.Wire;
import zonegate.portal.PortalPolicy;
import zonegate.portal.PortalServerConfig;
import zonegate.portal.Role;

class PortalFileTest {
    private static PortalLoad.Loaded loaded(String text) {
        PortalLoad result = PortalTestConfigs.parse(text);
        if (result instanceof PortalLoad.Rejected rejected) {
            throw new AssertionError(rejected.rejection().describe());
        }
        return (PortalLoad.Loaded) result;
    }

    @Test
    void validFileGivesTheServerConfigAndThePolicy() {
        PortalLoad.Loaded loaded = loaded(PortalTestConfigs.VALID);

        assertThat(loaded.server()).isEqualTo(new PortalServerConfig(new InetSocketAddress("127.0.0.1", 8443),
                Optional.empty(), false, PortalServerConfig.DEFAULT_HEARTBEAT));
        PortalPolicy policy = loaded.policy();
        assertThat(policy.sites()).containsExactly(new PortalPolicy.Site("office", "Office"));
        assertThat(policy.gateways()).containsExactly(new PortalPolicy.Gateway("gw-1", "office",
                PortalTestConfigs.GATEWAY_HASH));
        assertThat(policy.relays()).containsExactly(new PortalPolicy.Relay("relay-1", PortalTestConfigs.RELAY_HASH));
        assertThat(policy.clients()).extracting(PortalPolicy.Client::name).containsExactly("alice", "bob");
        assertThat(policy.clients().get(1).ipv6()).isEqualTo("fd00:2021:1111:0:0:0:0:3");
        assertThat(policy.resources()).containsExactly(
                new Wire.Resource("cidr", "web", "web", "10.0.0.0/24", "office", null, List.of(new Wire.Filter("tcp", 80, 80))),
                new Wire.Resource("dns", "6f1c3c7e-2b8a-4c43-9a55-0e6f3b1d2a10", "wiki", "wiki.internal", "office", null, List.of()));
        assertThat(policy.policies()).containsExactly(new PortalPolicy.Policy("alice", "web", null),
                new PortalPolicy.Policy("bob", "6f1c3c7e-2b8a-4c43-9a55-0e6f3b1d2a10", 1_893_456_000L));
    }

    @Test
    void tokensOfTheFileIdentifyTheirEntities() {
        PortalPolicy policy = loaded(PortalTestConfigs.VALID).policy();

        assertThat(policy.identify(Role.GATEWAY, "example-gateway-token")).contains("gw-1");
        assertThat(policy.identify(Role.CLIENT, "example-bob-token")).contains("bob");
        assertThat(policy.identify(Role.GATEWAY, "example-bob-token")).isEmpty();
    }

    @Test
    void tlsFilesAreRelativeToTheFilesDirectory() {
        String text = PortalTestConfigs.VALID.replace("{ \"listen\": \"127.0.0.1:8443\" }",
                "{ \"listen\": \"0.0.0.0:443\", \"tls\": { \"certificateFile\": \"cert.pem\", \"privateKeyFile\": \"/k/key.pem\" } }");

        PortalServerConfig server = loaded(text).server();

        assertThat(server.tls()).contains(new PortalServerConfig.TlsFiles(Path.of("/etc/zonegate/cert.pem"),
                Path.of("/k/key.pem")));
    }

    @Test
    void allowInsecurePermitsPlainWebSocketOnAnyAddress() {
        String text = PortalTestConfigs.VALID.replace("{ \"listen\": \"127.0.0.1:8443\" }",
                "{ \"listen\": \"[::]:8080\", \"allowInsecure\": true }");

        PortalServerConfig server = loaded(text).server();

        assertThat(server.allowInsecure()).isTrue();
        assertThat(server.listen().getPort()).isEqualTo(8080);
    }

    @Test
    void exampleFileIsValid() {
        Path example = Path.of("..", "examples", "portal.json");

        PortalLoad result = PortalFile.load(example, "examples/portal.json");

        assertThat(result).as(result instanceof PortalLoad.Rejected r ? r.rejection().describe() : "")
                .isInstanceOf(PortalLoad.Loaded.class);
    }
}
