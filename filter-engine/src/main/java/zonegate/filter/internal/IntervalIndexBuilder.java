package zonegate.filter.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import zonegate.filter.Cidr;

/**
 * Flattens possibly overlapping address ranges into the disjoint intervals of an {@link IntervalIndex}.
 * Every range boundary (its start, and the address after its end) starts an interval; each range adds
 * its entry to every interval it covers; adjacent intervals with equal candidate lists are merged.
 * Build cost is the sum over ranges of the intervals each covers (linear for typical, mostly disjoint
 * tables), run only when authorisations change.
 */
final class IntervalIndexBuilder {
    /** An unsigned 128-bit address (IPv4 in the low 32 bits of {@code low}). */
    private record U128(long high, long low) {
        static final Comparator<U128> ORDER = (a, b) -> {
            int c = Long.compareUnsigned(a.high, b.high);
            return c != 0 ? c : Long.compareUnsigned(a.low, b.low);
        };
    }

    private record Range(U128 first, U128 last, int prefixLengthBits, int entry) {
    }

    private final int version;
    private final int maxBits;
    private final List<Range> ranges = new ArrayList<>();

    IntervalIndexBuilder(int version) {
        this.version = version;
        this.maxBits = version == 4 ? 32 : 128;
    }

    void add(Cidr cidr, int entry) {
        ranges.add(new Range(new U128(cidr.high(), cidr.low()), new U128(cidr.lastHigh(), cidr.lastLow()),
                cidr.prefixLengthBits(), entry));
    }

    /** The whole address space minus {@code exclusions}, as prefix length 0 (the Internet resource). */
    void addComplement(List<Cidr> exclusions, int entry) {
        List<Cidr> sorted = new ArrayList<>(exclusions);
        sorted.sort((a, b) -> U128.ORDER.compare(new U128(a.high(), a.low()), new U128(b.high(), b.low())));
        U128 next = new U128(0, 0);
        boolean exhausted = false;
        for (Cidr excluded : sorted) {
            U128 first = new U128(excluded.high(), excluded.low());
            U128 last = new U128(excluded.lastHigh(), excluded.lastLow());
            if (!exhausted && U128.ORDER.compare(next, first) < 0) {
                ranges.add(new Range(next, decrement(first), 0, entry));
            }
            if (exhausted || U128.ORDER.compare(last, next) < 0) {
                continue;
            }
            U128 after = increment(last);
            if (after == null) {
                exhausted = true;
            } else {
                next = after;
            }
        }
        if (!exhausted) {
            ranges.add(new Range(next, maxAddress(), 0, entry));
        }
    }

    /** The index; {@code filterAt[entry]} is the entry's filter offset, stored beside it in every list. */
    IntervalIndex build(int[] filterAt) {
        U128[] starts = boundaries();
        List<long[]> keys = new ArrayList<>(starts.length);
        int[] counts = new int[starts.length];
        for (int i = 0; i < starts.length; i++) {
            keys.add(null);
        }
        for (Range range : ranges) {
            long key = (long) (maxBits - range.prefixLengthBits) << 32 | range.entry;
            int i = Arrays.binarySearch(starts, range.first, U128.ORDER);
            for (; i < starts.length && U128.ORDER.compare(starts[i], range.last) <= 0; i++) {
                long[] list = keys.get(i);
                if (list == null || counts[i] == list.length) {
                    list = list == null ? new long[2] : Arrays.copyOf(list, list.length * 2);
                    keys.set(i, list);
                }
                list[counts[i]++] = key;
            }
        }
        List<U128> mergedStarts = new ArrayList<>();
        List<int[]> mergedCandidates = new ArrayList<>();
        for (int i = 0; i < starts.length; i++) {
            int[] candidates = candidates(keys.get(i), counts[i]);
            if (!mergedCandidates.isEmpty() && Arrays.equals(mergedCandidates.getLast(), candidates)) {
                continue;
            }
            mergedStarts.add(starts[i]);
            mergedCandidates.add(candidates);
        }
        if (version == 4) {
            int[] flipped = new int[mergedStarts.size()];
            for (int i = 0; i < flipped.length; i++) {
                flipped[i] = (int) mergedStarts.get(i).low ^ Integer.MIN_VALUE;
            }
            return IntervalIndex.v4(flipped, mergedCandidates, filterAt);
        }
        long[] high = new long[mergedStarts.size()];
        long[] low = new long[mergedStarts.size()];
        for (int i = 0; i < high.length; i++) {
            high[i] = mergedStarts.get(i).high ^ Long.MIN_VALUE;
            low[i] = mergedStarts.get(i).low ^ Long.MIN_VALUE;
        }
        return IntervalIndex.v6(high, low, mergedCandidates, filterAt);
    }

    /** Sorted distinct interval starts, beginning with address 0. */
    private U128[] boundaries() {
        List<U128> all = new ArrayList<>(ranges.size() * 2 + 1);
        all.add(new U128(0, 0));
        for (Range range : ranges) {
            all.add(range.first);
            U128 after = increment(range.last);
            if (after != null) {
                all.add(after);
            }
        }
        all.sort(U128.ORDER);
        List<U128> distinct = new ArrayList<>(all.size());
        for (U128 b : all) {
            if (distinct.isEmpty() || !distinct.getLast().equals(b)) {
                distinct.add(b);
            }
        }
        return distinct.toArray(new U128[0]);
    }

    private static int[] candidates(long[] keys, int count) {
        if (count == 0) {
            return null;
        }
        Arrays.sort(keys, 0, count);
        int[] entries = new int[count];
        for (int i = 0; i < count; i++) {
            entries[i] = (int) keys[i];
        }
        return entries;
    }

    /** The next address, or null past the end of the address space. */
    private U128 increment(U128 a) {
        if (version == 4) {
            return a.low >= 0xFFFF_FFFFL ? null : new U128(0, a.low + 1);
        }
        if (a.low != -1L) {
            return new U128(a.high, a.low + 1);
        }
        return a.high == -1L ? null : new U128(a.high + 1, 0);
    }

    private U128 decrement(U128 a) {
        return a.low != 0 ? new U128(a.high, a.low - 1) : new U128(a.high - 1, -1L);
    }

    private U128 maxAddress() {
        return version == 4 ? new U128(0, 0xFFFF_FFFFL) : new U128(-1L, -1L);
    }
}
