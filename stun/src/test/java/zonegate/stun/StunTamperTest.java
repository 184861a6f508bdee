package zonegate.stun;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * Flipping any bit of a protected message makes it fail integrity or fingerprint verification: it is
 * rejected, or parses without the protecting attribute, or the attribute does not verify.
 */
class StunTamperTest {
    private static final byte[] KEY = StunCredentials.shortTermKey("VOkJxbRl1RmTxUk/WvJxBt");

    private final StunParser parser = new StunParser();

    @Test
    void anyFlippedBitFailsMessageIntegrity() throws Exception {
        assertEveryFlipDetected(message(true, false, false), m -> m.verifyMessageIntegrity(KEY));
    }

    @Test
    void anyFlippedBitFailsMessageIntegritySha256() throws Exception {
        assertEveryFlipDetected(message(false, true, false), m -> m.verifyMessageIntegritySha256(KEY));
    }

    @Test
    void anyFlippedBitFailsTheFingerprint() throws Exception {
        byte[] original = message(false, false, true);
        for (int i = 0; i < original.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = original.clone();
                tampered[i] ^= (byte) (1 << bit);

                StunParseResult result = parser.parse(ByteBuffer.wrap(tampered), 0, tampered.length);

                // A corrupted length can swallow the FINGERPRINT into the value before it: then the
                // message no longer claims one, which a receiver requiring FINGERPRINT (ICE) refuses.
                boolean accepted = result instanceof StunParseResult.Parsed(StunMessageView m) && m.hasFingerprint();
                assertThat(accepted).as("byte %d bit %d", i, bit).isFalse();
            }
        }
    }

    @Test
    void rfc5769RequestFailsWhenAnyByteBeforeTheFingerprintChanges() {
        byte[] original = TestBytes.hex(Rfc5769VectorsTest.SAMPLE_REQUEST);
        int fingerprintAttribute = original.length - 8;
        for (int i = 0; i < fingerprintAttribute; i++) {
            byte[] tampered = original.clone();
            tampered[i] ^= 0x01;

            StunParseResult result = parser.parse(ByteBuffer.wrap(tampered), 0, tampered.length);

            boolean accepted = result instanceof StunParseResult.Parsed(StunMessageView m)
                    && m.verifyMessageIntegrity(KEY) == IntegrityCheck.VALID;
            assertThat(accepted).as("byte %d", i).isFalse();
        }
    }

    private void assertEveryFlipDetected(byte[] original,
            java.util.function.Function<StunMessageView, IntegrityCheck> verify) {
        assertThat(parser.parse(ByteBuffer.wrap(original), 0, original.length))
                .isInstanceOfSatisfying(StunParseResult.Parsed.class,
                        p -> assertThat(verify.apply(p.message())).isEqualTo(IntegrityCheck.VALID));
        for (int i = 0; i < original.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = original.clone();
                tampered[i] ^= (byte) (1 << bit);

                StunParseResult result = parser.parse(ByteBuffer.wrap(tampered), 0, tampered.length);

                boolean accepted = result instanceof StunParseResult.Parsed(StunMessageView m)
                        && verify.apply(m) == IntegrityCheck.VALID;
                assertThat(accepted).as("byte %d bit %d", i, bit).isFalse();
            }
        }
    }

    private static byte[] message(boolean sha1, boolean sha256, boolean fingerprint) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(512);
        StunMessageWriter writer = new StunMessageWriter()
                .begin(buffer, 0, 512, StunMethod.BINDING.type(StunClass.SUCCESS_RESPONSE), 7, 11L)
                .addText(StunAttributeType.SOFTWARE, "odd length")
                .addAddress(StunAttributeType.XOR_MAPPED_ADDRESS,
                        new InetSocketAddress(InetAddress.getByName("2001:db8::5"), 4242));
        if (sha1) {
            writer.addMessageIntegrity(KEY);
        }
        if (sha256) {
            writer.addMessageIntegritySha256(KEY);
        }
        if (fingerprint) {
            writer.addFingerprint();
        }
        return TestBytes.bytes(buffer, 0, writer.finish());
    }
}
