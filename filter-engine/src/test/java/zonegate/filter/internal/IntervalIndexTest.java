package zonegate.filter.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import zonegate.filter.Cidr;

/**
 * The IPv4 radix-plus-window search and the IPv6 tree search agree with a linear scan at the edges of
 * the address space, of the radix blocks and of the ranges, for sparse, dense and clustered tables.
 */
class IntervalIndexTest {
    private static final int[] NONE = new int[0];

    @Test
    void emptyV4IndexHasNoCandidatesAnywhere() {
        IntervalIndex index = new IntervalIndexBuilder(4).build(NONE);

        assertThat(candidatesV4(index, 0)).isEmpty();
        assertThat(candidatesV4(index, -1)).isEmpty();
        assertThat(candidatesV4(index, 0x8000_0000)).isEmpty();
    }

    @Test
    void wholeSpaceAndSingleAddressesAtBothEndsAreFound() {
        List<Cidr> ranges = List.of(Cidr.v4(0, 0), Cidr.v4(0, 32), Cidr.v4(-1, 32), Cidr.v4(0x7FFF_FFFF, 32),
                Cidr.v4(0x8000_0000, 32));

        assertAgreesV4(ranges, new int[] {0, 1, -1, -2, 0x7FFF_FFFF, 0x8000_0000, 0x8000_0001, 0x1234_5678});
    }

    @Test
    void rangesCrossingRadixBlocksAreFoundOnEitherSide() {
        List<Cidr> ranges = new ArrayList<>();
        ranges.add(Cidr.v4(0x0A00_0000, 8));
        ranges.add(Cidr.v4(0x0A02_0000, 15));
        ranges.add(Cidr.v4(0x0A04_FF00, 24));
        ranges.add(Cidr.v4(0x0A05_0000, 24));
        ranges.add(Cidr.v4(0xC000_0000, 2));
        List<Integer> probes = new ArrayList<>();
        for (int bits = 1; bits <= IntervalIndex.MAX_RADIX_BITS; bits++) {
            for (int block = 0; block < 4; block++) {
                int edge = 0x0A00_0000 + (block << (32 - bits));
                probes.addAll(List.of(edge - 1, edge, edge + 1));
            }
        }
        probes.addAll(List.of(0x0A03_FFFF, 0x0A04_0000, 0x0A04_FEFF, 0x0A04_FF00, 0x0A04_FFFF, 0x0A05_0000,
                0x0A05_00FF, 0x0A05_0100, 0xBFFF_FFFF, 0xC000_0000, -1));

        assertAgreesV4(ranges, probes.stream().mapToInt(Integer::intValue).toArray());
    }

    @Test
    void denseRangesInOneBlockAreSearchedInAWideWindow() {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(3);
        List<Cidr> ranges = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            ranges.add(Cidr.v4(0x0A0A_0000 | random.nextInt(1 << 16), 20 + random.nextInt(13)));
        }
        ranges.add(Cidr.v4(0x0A00_0000, 8));

        assertAgreesV4(ranges, probes(random, ranges, 4_000));
    }

    @Test
    void randomTablesOfEverySizeAgreeWithALinearScan() {
        for (long seed = 1; seed <= 25; seed++) {
            RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
            int count = random.nextInt(1 << random.nextInt(13));
            List<Cidr> ranges = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int address = random.nextBoolean() ? random.nextInt() : 0x0A00_0000 | random.nextInt(1 << 24);
                ranges.add(Cidr.v4(address, random.nextInt(33)));
            }

            assertAgreesV4(ranges, probes(random, ranges, 5_000));
        }
    }

    @Test
    void ipv6EdgesAndRandomTablesAgreeWithALinearScan() {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(11);
        List<Cidr> ranges = new ArrayList<>();
        ranges.add(Cidr.v6(0, 0, 128));
        ranges.add(Cidr.v6(-1, -1, 128));
        ranges.add(Cidr.v6(0x2001_0DB8_0000_0000L, 0, 32));
        for (int i = 0; i < 500; i++) {
            ranges.add(Cidr.v6(0x2001_0DB8_0000_0000L | random.nextLong(1 << 16), random.nextLong(),
                    32 + random.nextInt(97)));
        }
        IntervalIndexBuilder builder = new IntervalIndexBuilder(6);
        for (int i = 0; i < ranges.size(); i++) {
            builder.add(ranges.get(i), i);
        }
        IntervalIndex index = builder.build(filterAt(ranges.size()));
        List<long[]> probes = new ArrayList<>(List.of(new long[] {0, 0}, new long[] {-1, -1}, new long[] {0, 1},
                new long[] {-1, -2}, new long[] {0x2001_0DB8_0000_0000L, 0}, new long[] {0x2001_0DB7_FFFF_FFFFL, -1}));
        for (int i = 0; i < 5_000; i++) {
            Cidr c = ranges.get(random.nextInt(ranges.size()));
            probes.add(new long[] {c.high(), c.low()});
            probes.add(new long[] {c.lastHigh(), c.lastLow()});
            probes.add(new long[] {c.lastHigh(), c.lastLow() + 1});
            probes.add(new long[] {random.nextLong(), random.nextLong()});
        }
        for (long[] p : probes) {
            int[] expected = reference(ranges, r -> r.version() == 6 && r.containsV6(p[0], p[1]));
            assertThat(list(index, index.candidatesV6(p[0], p[1])))
                    .as("%x:%x", p[0], p[1]).containsExactly(expected);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static void assertAgreesV4(List<Cidr> ranges, int[] probes) {
        IntervalIndexBuilder builder = new IntervalIndexBuilder(4);
        for (int i = 0; i < ranges.size(); i++) {
            builder.add(ranges.get(i), i);
        }
        IntervalIndex index = builder.build(filterAt(ranges.size()));
        for (int address : probes) {
            int[] expected = reference(ranges, r -> r.containsV4(address));
            assertThat(candidatesV4(index, address))
                    .as("%d ranges, %d intervals, address %08x", ranges.size(), index.intervalCount(), address)
                    .containsExactly(expected);
        }
    }

    private static int[] probes(RandomGenerator random, List<Cidr> ranges, int count) {
        int[] probes = new int[count];
        for (int i = 0; i < count; i++) {
            if (ranges.isEmpty() || i % 4 == 3) {
                probes[i] = random.nextInt();
                continue;
            }
            Cidr c = ranges.get(random.nextInt(ranges.size()));
            probes[i] = switch (i % 4) {
                case 0 -> (int) c.low();
                case 1 -> (int) c.lastLow();
                default -> (int) c.lastLow() + 1;
            };
        }
        return probes;
    }

    private static int[] filterAt(int entries) {
        int[] filterAt = new int[entries];
        Arrays.setAll(filterAt, i -> 7 * i + 1);
        return filterAt;
    }

    private static int[] candidatesV4(IntervalIndex index, int address) {
        return list(index, index.candidatesV4(address));
    }

    /** The (entry, filter offset) pairs at {@code at}. */
    private static int[] list(IntervalIndex index, int at) {
        int[] pool = index.pool();
        return Arrays.copyOfRange(pool, at + 1, at + 1 + 2 * pool[at]);
    }

    /** Entries containing the address, longest prefix first then entry, as (entry, filter offset) pairs. */
    private static int[] reference(List<Cidr> ranges, java.util.function.Predicate<Cidr> contains) {
        List<Integer> entries = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            if (contains.test(ranges.get(i))) {
                entries.add(i);
            }
        }
        entries.sort(Comparator.comparingInt((Integer i) -> -ranges.get(i).prefixLengthBits())
                .thenComparingInt(i -> i));
        return entries.stream().flatMapToInt(i -> java.util.stream.IntStream.of(i, 7 * i + 1)).toArray();
    }
}
