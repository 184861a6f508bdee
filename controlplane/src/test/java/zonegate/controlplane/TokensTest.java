package zonegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void theHashIsTheSha256OfTheUtf8Bytes() {
        // FIPS 180-2 test vector for "abc".
        assertThat(Tokens.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void aTokenMatchesOnlyItsOwnHash() {
        String token = Tokens.generate(new SecureRandom());
        String other = Tokens.generate(new SecureRandom());

        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Tokens.matches(token, Tokens.sha256Hex(token))).isTrue();
        assertThat(Tokens.matches(token, Tokens.sha256Hex(token).toUpperCase())).as("hex case").isTrue();
        assertThat(Tokens.matches(other, Tokens.sha256Hex(token))).isFalse();
    }

    @Test
    void aMalformedExpectedHashNeverMatches() {
        assertThat(Tokens.matches("t", "not hex")).isFalse();
        assertThat(Tokens.matches("t", "abcd")).isFalse();
        assertThat(Tokens.matches("", "")).isFalse();
    }
}
