package zonegate.node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Picks the relay of a new connection among those with a measured round-trip time: with two or fewer,
 * any within 1.5 x the best; with three or more, any within median + 3 x MAD (median absolute deviation,
 * at least 2 ms), so one slow outlier is never picked while near-equal relays share the load. Uniform
 * among the eligible ones, from the node's seeded generator.
 */
final class RelaySampler {
    static final long MAD_FLOOR_NS = 2_000_000L;

    private RelaySampler() {
    }

    /** The index into {@code rttsNs} of the relay picked, or -1 when the list is empty. */
    static int sample(long[] rttsNs, RandomGenerator random) {
        if (rttsNs.length == 0) {
            return -1;
        }
        long limit;
        if (rttsNs.length <= 2) {
            long best = Arrays.stream(rttsNs).min().orElseThrow();
            limit = best + best / 2;
        } else {
            long median = median(rttsNs);
            long mad = Math.max(MAD_FLOOR_NS, median(Arrays.stream(rttsNs).map(r -> Math.abs(r - median)).toArray()));
            limit = median + 3 * mad;
        }
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < rttsNs.length; i++) {
            if (rttsNs[i] <= limit) {
                eligible.add(i);
            }
        }
        return eligible.get(random.nextInt(eligible.size()));
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
