package zonegate.ice;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Arbitrary candidate lines never make the parser throw, and whatever parses prints back to a line
 * that parses to the same candidate. Replays
 * {@code src/test/resources/zonegate/ice/CandidateFuzzTestInputs/<method>/}; run with
 * {@code JAZZER_FUZZ=1} to fuzz.
 */
class CandidateFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parsesArbitraryLinesWithoutThrowing(byte[] data) {
        String line = new String(data, StandardCharsets.UTF_8);
        if (Candidate.parse(line) instanceof CandidateParseResult.Parsed(Candidate c)) {
            assertThat(Candidate.parse(c.toSdpAttribute())).isEqualTo(new CandidateParseResult.Parsed(c));
        }
    }
}
