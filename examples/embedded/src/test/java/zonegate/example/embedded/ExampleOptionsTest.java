package zonegate.example.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zonegate.app.spi.GatewayPolicy;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.wireguard.PrivateKey;

/** The example's options (arguments over environment) and the two policies it builds from them. */
class ExampleOptionsTest {
    private static final String CLIENT_KEY = PrivateKey.generate(new SecureRandom()).publicKey().toBase64();

    @Test
    void argumentsWinOverTheEnvironmentAndDefaultsFillTheRest() {
        ExampleOptions options = ExampleOptions.parse(new String[] {"--resource", "198.18.3.2/32", "--port", "51999"},
                Map.of("ZG_CLIENT_KEY", CLIENT_KEY, "ZG_RESOURCE", "10.0.0.0/8", "ZG_THEN_RESOURCE", "198.18.5.2/32"));

        assertThat(options.resource()).isEqualTo(Cidr.parse("198.18.3.2/32"));
        assertThat(options.thenResource()).contains(Cidr.parse("198.18.5.2/32"));
        assertThat(options.port()).isEqualTo(51999);
        assertThat(options.interfaceName()).isEqualTo("zg0");
        assertThat(options.changeAfterSeconds()).isEqualTo(30);
    }

    @Test
    void aMissingOrMalformedOptionIsNamed() {
        assertThatThrownBy(() -> ExampleOptions.parse(new String[] {"--resource", "198.18.3.2/32"}, Map.of()))
                .hasMessage("--client-key (or ZG_CLIENT_KEY) is required");
        assertThatThrownBy(() -> ExampleOptions.parse(new String[] {"--client-key", CLIENT_KEY, "--resource", "x"},
                Map.of())).hasMessageStartingWith("--resource: ");
    }

    @Test
    void theChangeRevokesTheFirstResourceAndGrantsTheSecond() {
        ExampleOptions options = ExampleOptions.parse(new String[] {"--client-key", CLIENT_KEY,
                "--resource", "198.18.3.2/32", "--then", "198.18.5.2/32"}, Map.of());
        ExamplePolicies policies = new ExamplePolicies(options, PrivateKey.generate(new SecureRandom()));

        GatewayPolicy initial = policies.initial();
        GatewayPolicy changed = policies.changed();

        assertThat(initial.authorizationsFor(ExamplePolicies.CLIENT)).extracting(Authorization::resource)
                .extracting(r -> r.id()).containsExactly(ExamplePolicies.FIRST);
        assertThat(changed.authorizationsFor(ExamplePolicies.CLIENT)).extracting(Authorization::resource)
                .extracting(r -> r.id()).containsExactly(ExamplePolicies.THEN);
        assertThat(changed.gateway().publicKey()).isEqualTo(initial.gateway().publicKey());
    }
}
