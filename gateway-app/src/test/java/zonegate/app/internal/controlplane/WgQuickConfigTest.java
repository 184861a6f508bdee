package zonegate.app.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import zonegate.app.spi.ClientSpec;
import zonegate.app.spi.GatewayPolicy;
import zonegate.filter.ClientId;
import zonegate.wireguard.PrivateKey;

class WgQuickConfigTest {
    private static final long NOW = TestConfigs.NOW.getEpochSecond();
    private static final String CORP_POLICY =
            "{ \"client\": \"alice\", \"resource\": \"corp\", \"expiresAt\": \"2030-01-01T00:00:00Z\" },";

    @Test
    void clientWithCidrAndDnsResourcesRoutesTheirRangesAndTheProxyRanges() {
        GatewayPolicy policy = PolicyFileTest.loaded(TestConfigs.parse(TestConfigs.VALID));

        String text = WgQuickConfig.render(policy, client(policy, "alice"), Optional.empty(), NOW);

        assertThat(text).isEqualTo("""
                # wg-quick configuration of zonegate client "alice"
                [Interface]
                # The gateway knows only this client's public key: replace the placeholder with the
                # client's private key (the one whose public key is u+gT43/iu6n5mXCGY8QoHH7kQbA8ih6sf3a2FlNAXkQ=).
                PrivateKey = <paste the client's private key>
                Address = 100.64.0.2/32, fd00:2021:1111::2/128
                DNS = 100.64.0.1, fd00:2021:1111::1
                MTU = 1280

                [Peer]
                PublicKey = ttvVNcfxf0cH4a47E3ZiIF5tgDQr6rLUoIsBtOB/F2M=
                Endpoint = vpn.example.com:51820
                AllowedIPs = 192.0.2.0/24, 100.96.0.0/11, fd00:2021:1111:8000::/107, 100.64.0.1/32, fd00:2021:1111::1/128
                """);
    }

    @Test
    void clientWithOnlyACidrResourceRoutesThatRangeAndTheGateway() {
        GatewayPolicy policy = PolicyFileTest.loaded(TestConfigs.parse(TestConfigs.validWith(CORP_POLICY, "")));

        String text = WgQuickConfig.render(policy, client(policy, "alice"), Optional.empty(), NOW);

        assertThat(text).endsWith("AllowedIPs = 192.0.2.0/24, 100.64.0.1/32, fd00:2021:1111::1/128\n");
    }

    @Test
    void clientWithTheInternetResourceRoutesEverythingAndKeepsItsPresharedKey() {
        GatewayPolicy policy = PolicyFileTest.loaded(TestConfigs.parse(TestConfigs.VALID));

        String text = WgQuickConfig.render(policy, client(policy, "bob"), Optional.empty(), NOW);

        assertThat(text.substring(text.indexOf("[Peer]"))).isEqualTo("""
                [Peer]
                PublicKey = ttvVNcfxf0cH4a47E3ZiIF5tgDQr6rLUoIsBtOB/F2M=
                PresharedKey = R5ZsOx5uQzy/AWHMe3Yy94eAXRYSNBHb/XZRDIcsMMM=
                Endpoint = vpn.example.com:51820
                AllowedIPs = 100.64.0.1/32, fd00:2021:1111::1/128, 0.0.0.0/0, ::/0
                """);
    }

    @Test
    void givenPrivateKeyReplacesThePlaceholder() {
        GatewayPolicy policy = PolicyFileTest.loaded(TestConfigs.parse(TestConfigs.VALID));

        String text = WgQuickConfig.render(policy, client(policy, "alice"),
                Optional.of(PrivateKey.parse(TestConfigs.ALICE_PRIVATE)), NOW);

        assertThat(text).contains("[Interface]\nPrivateKey = " + TestConfigs.ALICE_PRIVATE + "\nAddress = ")
                .doesNotContain("<paste");
    }

    @Test
    void expiredGrantsAreNotRouted() {
        GatewayPolicy policy = PolicyFileTest.loaded(TestConfigs.parse(TestConfigs.VALID));
        long after2030 = 1_893_456_000L;

        String text = WgQuickConfig.render(policy, client(policy, "alice"), Optional.empty(), after2030);

        assertThat(text).endsWith("AllowedIPs = 192.0.2.0/24, 100.64.0.1/32, fd00:2021:1111::1/128\n");
    }

    @Test
    void configuredKeepaliveIsWrittenLast() {
        GatewayPolicy policy = PolicyFileTest.loaded(TestConfigs.parse(TestConfigs.validWith(
                "\"ipv4\": \"100.64.0.3\",", "\"ipv4\": \"100.64.0.3\", \"persistentKeepaliveSeconds\": 25,")));

        String text = WgQuickConfig.render(policy, client(policy, "bob"), Optional.empty(), NOW);

        assertThat(text).endsWith("::/0\nPersistentKeepalive = 25\n");
    }

    @Test
    void gatewayWithoutPublicEndpointCannotProduceAClientConfig() {
        GatewayPolicy policy = PolicyFileTest.loaded(TestConfigs.parse(TestConfigs.validWith(
                ",\n    \"publicEndpoint\": \"vpn.example.com:51820\"", "")));

        assertThatThrownBy(() -> WgQuickConfig.render(policy, client(policy, "alice"), Optional.empty(), NOW))
                .hasMessageContaining("gateway.publicEndpoint");
    }

    private static ClientSpec client(GatewayPolicy policy, String name) {
        return policy.client(ClientId.of(name)).orElseThrow();
    }
}
