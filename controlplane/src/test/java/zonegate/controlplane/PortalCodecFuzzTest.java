package zonegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Arbitrary text never makes the codec throw, in any direction, and whatever it decodes encodes to a text
 * that decodes to the same frame. Replays the corpus under
 * {@code src/test/resources/zonegate/controlplane/PortalCodecFuzzTestInputs/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class PortalCodecFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodesArbitraryTextWithoutThrowing(FuzzedDataProvider data) {
        Direction direction = Direction.values()[data.consumeInt(0, Direction.values().length - 1)];
        String text = data.consumeRemainingAsString();
        if (PortalCodec.decode(text, direction) instanceof DecodeResult.Decoded(Frame frame)) {
            assertThat(PortalCodec.decode(PortalCodec.encode(frame), direction))
                    .isEqualTo(new DecodeResult.Decoded(frame));
        }
    }
}
