package zonegate.filter.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Disjoint address intervals covering a whole address space (IPv4 or IPv6), each with the routing
 * candidates of every address in it: entry indices sorted by prefix length (longest first), then
 * resource id. Immutable.
 *
 * <p>Layout, for a lookup that touches few cache lines at tens of thousands of intervals:
 * <ul>
 *   <li>IPv4: a radix table indexed by the top {@code r} bits of the address gives the last interval
 *       starting at or before the first address of that block; the search then runs over a fixed
 *       window of {@code 2^s} intervals from there ({@code s} bounds the intervals of the busiest
 *       block), in a sorted {@code long[]} holding each start (flipped) in the high half and its list
 *       offset in the low half, so the last probe yields the answer without another load. Every
 *       interval after the window starts in a later block, so it cannot hold the address. {@code r}
 *       is the largest with {@code 2^r <= 2 * intervals}, at most 16: the table costs at most two
 *       ints per interval and at most 256 KiB (reached at 32,768 intervals);</li>
 *   <li>IPv6: the interval starts are stored in Eytzinger (breadth-first) order of a complete binary
 *       search tree, padded with maximal sentinels, so the first ten or so levels of every search
 *       share a few hot cache lines, and the search is a fixed number of branch-free steps;</li>
 *   <li>every interval's candidate list lives in one flat {@link #pool()}, as a count followed by that
 *       many (entry, filter offset) pairs, so the walk reads the filter without touching the entry's
 *       other data; identical lists are stored once; a lookup returns the list's offset in the pool.</li>
 * </ul>
 * Starts are stored with the sign bit flipped so that signed comparison orders them as unsigned
 * addresses.
 */
public final class IntervalIndex {
    /** Largest radix: 2^16 ints (256 KiB) per IPv4 index. */
    static final int MAX_RADIX_BITS = 16;

    /**
     * IPv4: per interval in address order, its start (flipped) in the high 32 bits and its list
     * offset in the low 32, then {@code 2^windowBits - 1} maximal sentinels; null for an IPv6 index.
     */
    private final long[] sorted32;
    /** IPv4: per block of {@code 2^radixShift} addresses, the last interval starting at or before it. */
    private final int[] radix;
    private final int radixShift;
    /** IPv4: half the search window ({@code 2^(windowBits - 1)}), or 0 for a window of one. */
    private final int firstHalf;
    /** IPv6 starts, high and low halves (flipped), 1-based Eytzinger order, or null for an IPv4 index. */
    private final long[] treeHigh;
    private final long[] treeLow;
    /** IPv6: per tree node, the offset of its interval's candidate list in {@link #pool}. */
    private final int[] listAt;
    private final int[] pool;
    /** IPv6: levels of the complete tree, the number of steps of every search. */
    private final int depth;
    private final int intervals;

    private IntervalIndex(long[] sorted32, int[] radix, int radixShift, int firstHalf, long[] treeHigh,
                          long[] treeLow, int[] listAt, int[] pool, int depth, int intervals) {
        this.sorted32 = sorted32;
        this.radix = radix;
        this.radixShift = radixShift;
        this.firstHalf = firstHalf;
        this.treeHigh = treeHigh;
        this.treeLow = treeLow;
        this.listAt = listAt;
        this.pool = pool;
        this.depth = depth;
        this.intervals = intervals;
    }

    /** An IPv4 index of the intervals starting at {@code flippedStarts} (sorted, the first being address 0). */
    static IntervalIndex v4(int[] flippedStarts, List<int[]> candidates, int[] filterAt) {
        int n = flippedStarts.length;
        Pooled lists = Pooled.of(candidates, filterAt);
        int radixBits = radixBitsFor(n);
        int radixShift = 32 - radixBits;
        int[] radix = new int[1 << radixBits];
        int last = 0;
        int widest = 1;
        for (int block = 0; block < radix.length; block++) {
            int blockStart = (int) ((long) block << radixShift) ^ Integer.MIN_VALUE;
            while (last + 1 < n && flippedStarts[last + 1] <= blockStart) {
                last++;
            }
            radix[block] = last;
            if (block > 0) {
                widest = Math.max(widest, last - radix[block - 1] + 1);
            }
        }
        widest = Math.max(widest, n - radix[radix.length - 1]);
        int windowBits = 32 - Integer.numberOfLeadingZeros(widest - 1);
        long[] sorted = new long[n + (1 << windowBits) - 1];
        Arrays.fill(sorted, n, sorted.length, Long.MAX_VALUE);
        for (int i = 0; i < n; i++) {
            sorted[i] = (long) flippedStarts[i] << 32 | lists.at[i];
        }
        return new IntervalIndex(sorted, radix, radixShift, (1 << windowBits) >>> 1, null, null, null, lists.pool,
                0, n);
    }

    /** The largest {@code r <= }{@value #MAX_RADIX_BITS} with {@code 2^r <= 2 * intervals} (at least 1). */
    static int radixBitsFor(int intervals) {
        return Math.min(MAX_RADIX_BITS, 31 - Integer.numberOfLeadingZeros(Math.max(1, 2 * intervals)));
    }

    /** An IPv6 index; like {@link #v4}. */
    static IntervalIndex v6(long[] flippedHigh, long[] flippedLow, List<int[]> candidates, int[] filterAt) {
        int n = flippedHigh.length;
        int depth = depthFor(n);
        int[] order = inOrder(depth);
        Pooled lists = Pooled.of(candidates, filterAt);
        long[] high = new long[order.length];
        long[] low = new long[order.length];
        for (int k = 1; k < order.length; k++) {
            high[k] = order[k] < n ? flippedHigh[order[k]] : Long.MAX_VALUE;
            low[k] = order[k] < n ? flippedLow[order[k]] : Long.MAX_VALUE;
        }
        return new IntervalIndex(null, null, 0, 0, high, low, lists.listAt(order, n), lists.pool, depth, n);
    }

    /**
     * The offset in {@link #pool()} of the candidates for an IPv4 address (32 bits, network order):
     * {@code pool[at]} is their count, {@code pool[at + 1 ..]} the (entry, filter offset) pairs.
     */
    public int candidatesV4(int address) {
        // Low half Integer.MAX_VALUE: above every list offset, below the sentinels even for 255.255.255.255.
        long key = (long) (address ^ Integer.MIN_VALUE) << 32 | Integer.MAX_VALUE;
        long[] sorted = sorted32;
        int at = radix[address >>> radixShift];
        // Greatest start <= key in the window; the select compiles to a conditional move (random
        // destinations would mispredict half the branches of a classic search).
        for (int half = firstHalf; half > 0; half >>>= 1) {
            int probe = at + half;
            at = sorted[probe] <= key ? probe : at;
        }
        return (int) sorted[at];
    }

    /** The offset in {@link #pool()} of the candidates for an IPv6 address; like {@link #candidatesV4}. */
    public int candidatesV6(long addressHigh, long addressLow) {
        long keyHigh = addressHigh ^ Long.MIN_VALUE;
        long keyLow = addressLow ^ Long.MIN_VALUE;
        long[] high = treeHigh;
        long[] low = treeLow;
        int k = 1;
        for (int level = depth; level > 0; level--) {
            long h = high[k];
            boolean below = h < keyHigh | (h == keyHigh & low[k] <= keyLow);
            k = 2 * k + (below ? 1 : 0);
        }
        return listAt[k >>> (Integer.numberOfTrailingZeros(k) + 1)];
    }

    /** Every candidate list, each as a count followed by that many (entry, filter offset) pairs. */
    public int[] pool() {
        return pool;
    }

    /** Number of intervals (for tests and sizing). */
    public int intervalCount() {
        return intervals;
    }

    // ---- building -----------------------------------------------------------------------------

    private static int depthFor(int n) {
        return 32 - Integer.numberOfLeadingZeros(n);
    }

    /** For each node {@code k} (1-based) of a complete tree of {@code depth} levels, its in-order rank. */
    private static int[] inOrder(int depth) {
        int[] order = new int[1 << depth];
        int[] next = {0};
        assignInOrder(1, order, next);
        return order;
    }

    private static void assignInOrder(int k, int[] order, int[] next) {
        if (k >= order.length) {
            return;
        }
        assignInOrder(2 * k, order, next);
        order[k] = next[0]++;
        assignInOrder(2 * k + 1, order, next);
    }

    /** Candidate lists written once each into a flat pool; {@code at[i]} is the offset of the i-th interval's. */
    private record Pooled(int[] pool, int[] at) {
        static Pooled of(List<int[]> candidates, int[] filterAt) {
            Map<ListKey, Integer> offsets = new HashMap<>();
            int[] at = new int[candidates.size()];
            int[] pool = new int[16];
            int used = 0;
            for (int i = 0; i < at.length; i++) {
                int[] list = candidates.get(i);
                ListKey key = new ListKey(list == null ? new int[0] : list);
                Integer known = offsets.get(key);
                if (known != null) {
                    at[i] = known;
                    continue;
                }
                int need = used + 1 + 2 * key.entries.length;
                if (need > pool.length) {
                    pool = Arrays.copyOf(pool, Math.max(need, pool.length * 2));
                }
                pool[used] = key.entries.length;
                for (int j = 0; j < key.entries.length; j++) {
                    pool[used + 1 + 2 * j] = key.entries[j];
                    pool[used + 2 + 2 * j] = filterAt[key.entries[j]];
                }
                offsets.put(key, used);
                at[i] = used;
                used = need;
            }
            return new Pooled(Arrays.copyOf(pool, used), at);
        }

        /** Per tree node, its interval's list offset (a sentinel node takes the last interval's). */
        int[] listAt(int[] order, int intervals) {
            int[] listAt = new int[order.length];
            for (int k = 1; k < order.length; k++) {
                listAt[k] = at[Math.min(order[k], intervals - 1)];
            }
            return listAt;
        }
    }

    /** A candidate list as a hash key, by content. */
    private record ListKey(int[] entries) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ListKey other && Arrays.equals(entries, other.entries);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(entries);
        }
    }
}
