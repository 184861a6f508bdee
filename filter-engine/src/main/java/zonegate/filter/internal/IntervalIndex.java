package zonegate.filter.internal;

/**
 * Disjoint address intervals covering a whole address space (IPv4 or IPv6), each with the routing
 * candidates of every address in it: entry indices sorted by prefix length (longest first), then
 * resource id. Lookup is a binary search over the interval starts; starts are stored with the sign bit
 * flipped so that signed comparison orders them as unsigned addresses. Immutable.
 */
public final class IntervalIndex {
    private static final int[] NO_CANDIDATES = new int[0];

    /** IPv4 starts (flipped), or null for an IPv6 index. */
    private final int[] starts32;
    /** IPv6 starts, high and low halves (flipped), or null for an IPv4 index. */
    private final long[] startsHigh;
    private final long[] startsLow;
    private final int[][] candidates;

    private IntervalIndex(int[] starts32, long[] startsHigh, long[] startsLow, int[][] candidates) {
        this.starts32 = starts32;
        this.startsHigh = startsHigh;
        this.startsLow = startsLow;
        this.candidates = candidates;
        for (int i = 0; i < candidates.length; i++) {
            if (candidates[i] == null) {
                candidates[i] = NO_CANDIDATES;
            }
        }
    }

    static IntervalIndex v4(int[] flippedStarts, int[][] candidates) {
        return new IntervalIndex(flippedStarts, null, null, candidates);
    }

    static IntervalIndex v6(long[] flippedHigh, long[] flippedLow, int[][] candidates) {
        return new IntervalIndex(null, flippedHigh, flippedLow, candidates);
    }

    /** The candidates for an IPv4 address (32 bits, network order); never null, often empty. */
    public int[] candidatesV4(int address) {
        int key = address ^ Integer.MIN_VALUE;
        int[] starts = starts32;
        // Branch-free lower bound (the select compiles to a conditional move): random destinations
        // would mispredict half the branches of a classic binary search.
        int base = 0;
        for (int n = starts.length; n > 1; ) {
            int half = n >>> 1;
            base = starts[base + half] <= key ? base + half : base;
            n -= half;
        }
        return candidates[base];
    }

    /** The candidates for an IPv6 address; never null, often empty. */
    public int[] candidatesV6(long addressHigh, long addressLow) {
        long keyHigh = addressHigh ^ Long.MIN_VALUE;
        long keyLow = addressLow ^ Long.MIN_VALUE;
        long[] high = startsHigh;
        long[] low = startsLow;
        int base = 0;
        for (int n = high.length; n > 1; ) {
            int half = n >>> 1;
            int probe = base + half;
            long h = high[probe];
            boolean below = h < keyHigh | (h == keyHigh & low[probe] <= keyLow);
            base = below ? probe : base;
            n -= half;
        }
        return candidates[base];
    }

    /** Number of intervals (for tests and sizing). */
    public int intervalCount() {
        return candidates.length;
    }
}
