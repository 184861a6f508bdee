package zonegate.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Keys parsed from a file's bytes, without a String, agree with the text form; comparisons and copies. */
class KeyTextTest {
    private final SplittableRandom random = new SplittableRandom(7);

    @Test
    void aKeyFilesBytesWithSurroundingWhitespaceParseToTheSameKeyAsTheText() {
        for (int i = 0; i < 200; i++) {
            PrivateKey key = PrivateKey.generate(secure(i));
            byte[] file = (" \t" + key.toBase64() + "\r\n").getBytes(StandardCharsets.US_ASCII);

            assertThat(PrivateKey.parse(file).publicKey()).isEqualTo(key.publicKey());
            assertThat(PresharedKey.parse(file).toBase64()).isEqualTo(key.toBase64());
        }
    }

    @Test
    void malformedBytesAreRefusedWithoutEchoingThem() {
        byte[] tooShort = "c2VjcmV0".getBytes(StandardCharsets.US_ASCII);
        byte[] notBase64 = ("!".repeat(43) + "=").getBytes(StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> PrivateKey.parse(tooShort)).hasMessageNotContaining("c2VjcmV0")
                .hasMessageContaining("expected 44 base64 characters");
        assertThatThrownBy(() -> PresharedKey.parse(notBase64)).hasMessageContaining("not base64");
    }

    @Test
    void aCopySurvivesTheOriginalsDestructionAndComparesEqualUntilThen() {
        PresharedKey original = PresharedKey.generate(secure(1));
        PresharedKey copy = original.copy();
        assertThat(copy.sameKeyAs(original)).isTrue();

        original.destroy();

        assertThat(copy.sameKeyAs(original)).isFalse();
        assertThat(copy.toBase64()).isNotEqualTo(original.toBase64());
    }

    @Test
    void aPrivateKeysCopyKeepsItsPublicKeyAfterTheOriginalIsDestroyed() {
        PrivateKey original = PrivateKey.generate(secure(2));
        PublicKey publicKey = original.publicKey();
        PrivateKey copy = original.copy();

        original.destroy();

        assertThat(copy.publicKey()).isEqualTo(publicKey);
        assertThat(original.publicKey()).isNotEqualTo(publicKey);
    }

    private SecureRandom secure(int salt) {
        long seed = random.nextLong() + salt;
        return new SecureRandom() {
            private final SplittableRandom r = new SplittableRandom(seed);

            @Override
            public void nextBytes(byte[] bytes) {
                r.nextBytes(bytes);
            }
        };
    }
}
