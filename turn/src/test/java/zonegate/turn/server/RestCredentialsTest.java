package zonegate.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RestCredentialsTest {
    private static final byte[] SECRET = RelayHarness.SECRET.getBytes(StandardCharsets.UTF_8);

    @Test
    void mintedCredentialsAreTheOnesTheRelayChecks() {
        RelayHarness h = new RelayHarness();
        String expected = h.restUser(1_700_000_000L, "portal-minted");

        RestCredentials minted = RestCredentials.mint(SECRET, "portal-minted", 1_700_000_000L);

        assertThat(minted.username()).isEqualTo(expected).isEqualTo("1700000000:portal-minted");
        assertThat(minted.password()).isEqualTo(h.restPasswordOf(expected));
    }

    @Test
    void theUsernameCarriesTheExpiryFirst() {
        assertThat(RestCredentials.mint(SECRET, "a:b", 42).username()).isEqualTo("42:a:b");
        assertThatThrownBy(() -> RestCredentials.mint(SECRET, "x", 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thePasswordStaysOutOfToString() {
        RestCredentials c = RestCredentials.mint(SECRET, "x", 42);
        assertThat(c.toString()).doesNotContain(c.password());
    }
}
