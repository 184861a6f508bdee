package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import zonegate.filter.Cidr;
import zonegate.filter.InternetExclusions;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.tunnel.ClientResource;

/**
 * Random overlapping CIDR resource sets, IPv4 and IPv6, listed in several random orders: every lookup
 * agrees with a brute-force model (longest prefix, then smallest id) and with every other order.
 */
class ClientRoutesPropertyTest {
    private static final int CASES = 300;

    @Test
    void lookupsMatchTheBruteForceModelInEveryOrder() {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(20_251_202L);
        for (int c = 0; c < CASES; c++) {
            List<ClientResource> resources = randomResources(random, 1 + random.nextInt(c < 50 ? 8 : 120));
            List<long[]> destinations = randomDestinations(random, resources, 400);
            List<ClientResource> expected = destinations.stream().map(d -> model(resources, d)).toList();
            for (int order = 0; order < 4; order++) {
                List<ClientResource> shuffled = new ArrayList<>(resources);
                Collections.shuffle(shuffled, new Random(random.nextLong()));
                ClientRoutes routes = new ClientRoutes();
                routes.setResources(shuffled);
                for (int i = 0; i < destinations.size(); i++) {
                    long[] d = destinations.get(i);
                    ClientResource actual = d[0] == 4 ? routes.routeV4((int) d[2]) : routes.routeV6(d[1], d[2]);
                    assertThat(actual).as("case %d order %d destination %s in %s", c, order, describe(d), resources)
                            .isSameAs(expected.get(i));
                }
            }
        }
    }

    @Test
    void aRebuildAfterRemovalsMatchesTheModel() {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(7L);
        ClientRoutes routes = new ClientRoutes();
        for (int c = 0; c < 100; c++) {
            List<ClientResource> resources = randomResources(random, 1 + random.nextInt(60));
            routes.setResources(resources);
            for (long[] d : randomDestinations(random, resources, 200)) {
                ClientResource actual = d[0] == 4 ? routes.routeV4((int) d[2]) : routes.routeV6(d[1], d[2]);
                assertThat(actual).as("case %d destination %s", c, describe(d)).isSameAs(model(resources, d));
            }
        }
    }

    @Test
    void theInternetResourceGetsExactlyTheDestinationsNotExcluded() {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(99L);
        ClientRoutes routes = new ClientRoutes();
        ClientResource internet = TestResources.internet("inet");
        routes.setResources(List.of(internet));
        routes.setInternetEnabled(true);
        List<Cidr> own = List.of(Cidr.parse("100.64.0.0/11"), Cidr.parse("100.96.0.0/11"),
                Cidr.parse("100.100.111.0/24"), Cidr.parse("fd00:2021:1111::/107"),
                Cidr.parse("fd00:2021:1111:8000::/107"), Cidr.parse("fd00:2021:1111:8000:100:100:111:0/120"));
        for (int i = 0; i < 100_000; i++) {
            int v4 = random.nextInt();
            long high = random.nextInt(4) == 0 ? 0xfd00_2021_1111_0000L | random.nextInt(2) << 15 : random.nextLong();
            long low = random.nextLong();
            Cidr range = own.get(random.nextInt(own.size()));
            boolean v4Excluded = InternetExclusions.excludesV4(v4);
            boolean v6Excluded = InternetExclusions.excludesV6(high, low);

            assertThat(routes.routeV4(v4)).isSameAs(v4Excluded ? null : internet);
            assertThat(routes.routeV6(high, low)).isSameAs(v6Excluded ? null : internet);
            if (range.version() == 4) {
                int inside = (int) (range.low() | random.nextLong() & (range.lastLow() - range.low()));
                assertThat(routes.routeV4(inside)).as(Cidr.v4(inside, 32).toString()).isNull();
            } else {
                long insideLow = range.low() | random.nextLong() & (range.lastLow() ^ range.low());
                assertThat(routes.routeV6(range.high(), insideLow)).isNull();
            }
        }
    }

    /** The rule, written the slow and obvious way. */
    private static ClientResource model(List<ClientResource> resources, long[] destination) {
        ClientResource best = null;
        for (ClientResource r : resources) {
            Cidr cidr = ((Resource.CidrRange) r.resource()).cidr();
            boolean contains = destination[0] == 4 ? cidr.containsV4((int) destination[2])
                    : cidr.containsV6(destination[1], destination[2]);
            if (!contains) {
                continue;
            }
            if (best == null) {
                best = r;
                continue;
            }
            int bestLength = ((Resource.CidrRange) best.resource()).cidr().prefixLengthBits();
            if (cidr.prefixLengthBits() > bestLength
                    || cidr.prefixLengthBits() == bestLength && r.id().compareTo(best.id()) < 0) {
                best = r;
            }
        }
        return best;
    }

    /** Ranges clustered in 10.0.0.0/16 and 2001:db8::/32 (plus the odd default route) so they overlap a lot. */
    private static List<ClientResource> randomResources(RandomGenerator random, int count) {
        List<ClientResource> out = new ArrayList<>();
        List<Cidr> used = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Cidr cidr;
            if (!used.isEmpty() && random.nextInt(5) == 0) {
                cidr = used.get(random.nextInt(used.size()));
            } else if (random.nextBoolean()) {
                int address = 0x0A00_0000 | random.nextInt(1 << 16) & (random.nextBoolean() ? 0xFF00 : 0xFFFF);
                cidr = Cidr.v4(address, random.nextInt(40) == 0 ? 0 : 8 + random.nextInt(25));
            } else {
                long high = 0x2001_0db8_0000_0000L | (random.nextBoolean() ? random.nextInt(4) : random.nextLong()) & 0xFFFF_FFFFL;
                long low = random.nextBoolean() ? random.nextInt(16) : random.nextLong();
                cidr = Cidr.v6(high, low, random.nextInt(40) == 0 ? 0 : 16 + random.nextInt(113));
            }
            used.add(cidr);
            // Ids of varied length and shape, so ordering is by string, not by number.
            String id = Integer.toString(random.nextInt(1_000), random.nextBoolean() ? 10 : 36) + "-" + i;
            out.add(new ClientResource(new Resource.CidrRange(ResourceId.of(id), cidr), id, "site", List.of(), null));
        }
        return out;
    }

    /** Destinations {version, high, low}: inside, at the edges of, and just outside the ranges, and random ones. */
    private static List<long[]> randomDestinations(RandomGenerator random, List<ClientResource> resources, int count) {
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Cidr cidr = ((Resource.CidrRange) resources.get(random.nextInt(resources.size())).resource()).cidr();
            int pick = random.nextInt(4);
            if (cidr.version() == 4) {
                long address = switch (pick) {
                    case 0 -> cidr.low();
                    case 1 -> cidr.lastLow();
                    case 2 -> cidr.lastLow() + 1;
                    default -> cidr.low() | random.nextLong() & (cidr.lastLow() - cidr.low());
                };
                out.add(new long[] {4, 0, random.nextInt(10) == 0 ? random.nextInt() : (int) address});
            } else {
                long high = pick == 1 ? cidr.lastHigh() : cidr.high() | random.nextLong() & (cidr.lastHigh() ^ cidr.high());
                long low = switch (pick) {
                    case 0 -> cidr.low();
                    case 1 -> cidr.lastLow();
                    case 2 -> cidr.lastLow() + 1;
                    default -> cidr.low() | random.nextLong() & (cidr.lastLow() ^ cidr.low());
                };
                out.add(random.nextInt(10) == 0 ? new long[] {6, random.nextLong(), random.nextLong()}
                        : new long[] {6, high, low});
            }
        }
        return out;
    }

    private static String describe(long[] d) {
        return d[0] == 4 ? Cidr.v4((int) d[2], 32).toString() : Cidr.v6(d[1], d[2], 128).toString();
    }
}
