package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The relay sampling rule: within 1.5 x the best for two or fewer relays, median + 3 x MAD (floor 2 ms) for more. */
class RelaySamplerTest {
    private static final long MS = 1_000_000L;

    private static TreeMap<Integer, Integer> picks(long... rttsMs) {
        long[] ns = new long[rttsMs.length];
        for (int i = 0; i < ns.length; i++) {
            ns[i] = rttsMs[i] * MS;
        }
        SplittableRandom random = new SplittableRandom(9);
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (int i = 0; i < 3000; i++) {
            counts.merge(RelaySampler.sample(ns, random), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void withTwoRelaysOnlyThoseWithinOneAndAHalfTimesTheBestArePicked() {
        assertThat(picks(20, 31).keySet()).containsExactly(0);
        assertThat(picks(20, 30).keySet()).containsExactly(0, 1);
        assertThat(picks(40).keySet()).containsExactly(0);
    }

    @Test
    void withThreeOrMoreAnOutlierBeyondMedianPlusThreeMadIsNeverPicked() {
        // median 21.5, MAD 1 -> the 2 ms floor: limit 27.5 ms.
        assertThat(picks(20, 21, 22, 100).keySet()).containsExactly(0, 1, 2);
        // The floor: identical relays and one 6 ms slower (median 10, MAD 0 -> 2, limit 16) are all eligible.
        assertThat(picks(10, 10, 10, 16).keySet()).containsExactly(0, 1, 2, 3);
        assertThat(picks(10, 10, 10, 17).keySet()).containsExactly(0, 1, 2);
    }

    @Test
    void eligibleRelaysShareTheLoadEvenly() {
        TreeMap<Integer, Integer> counts = picks(20, 21, 22);
        assertThat(counts.values()).allSatisfy(n -> assertThat(n).isBetween(900, 1100));
    }

    @Test
    void noMeasuredRelayPicksNothing() {
        assertThat(RelaySampler.sample(new long[0], new SplittableRandom(1))).isEqualTo(-1);
    }
}
