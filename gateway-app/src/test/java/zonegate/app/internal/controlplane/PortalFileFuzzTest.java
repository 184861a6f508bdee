package zonegate.app.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.app.spi.PolicyProblem;

/** Whatever the bytes, reading portal.json yields a policy or a rejection, never an exception. */
class PortalFileFuzzTest {
    @Test
    void fileCutAtAnyOffsetIsRefusedWithAPositionInsideIt() {
        String valid = PortalTestConfigs.VALID.strip();
        long lines = valid.lines().count();
        for (int length = 0; length < valid.length(); length++) {
            PortalLoad result = PortalTestConfigs.parse(valid.substring(0, length));

            assertThat(result).as("cut at %d", length).isInstanceOf(PortalLoad.Rejected.class);
            for (PolicyProblem problem : ((PortalLoad.Rejected) result).rejection().problems()) {
                assertThat(problem.line()).as("cut at %d", length).isBetween(1, (int) lines);
            }
        }
    }

    @Test
    void randomEditsOfAValidFileNeverThrow() {
        SplittableRandom random = new SplittableRandom(20_261_202L);
        String valid = PortalTestConfigs.VALID;
        String alphabet = "{}[]\":,0123456789abcdef./-:Z \n\\tnull";
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder(valid);
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = random.nextInt(text.length());
                int end = Math.min(text.length(), at + random.nextInt(6));
                text.replace(at, end, String.valueOf(alphabet.charAt(random.nextInt(alphabet.length()))));
            }

            assertThat(PortalTestConfigs.parse(text.toString())).isNotNull();
        }
    }

    @FuzzTest(maxDuration = "10s")
    void splicedFuzzBytesNeverThrow(FuzzedDataProvider data) {
        String valid = PortalTestConfigs.VALID;
        int at = data.consumeInt(0, valid.length());
        int end = data.consumeInt(at, valid.length());
        String text = valid.substring(0, at) + data.consumeRemainingAsString() + valid.substring(end);

        assertThat(PortalTestConfigs.parse(text)).isNotNull();
    }
}
