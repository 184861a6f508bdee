package zonegate.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The interval index, the candidate walk and the pattern matcher agree with straightforward reference
 * implementations (a linear scan with a sort; a regular expression) over thousands of seeded random
 * resources, packets and domains.
 */
class RandomLookupEquivalenceTest {
    private static final int[] PROTOCOLS = {Fixtures.TCP, Fixtures.UDP, Fixtures.ICMP, 47};

    @Test
    void fastLookupAgreesWithALinearScanForAddresses() {
        for (long seed = 1; seed <= 12; seed++) {
            RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
            Fixtures f = new Fixtures();
            List<Authorization> authorizations = randomAuthorizations(random, 50 + random.nextInt(700));
            f.set(authorizations.toArray(Authorization[]::new));
            for (int i = 0; i < 3_000; i++) {
                f.nowNs += random.nextLong(Fixtures.SECOND_NS);
                Cidr destination = destination(random, authorizations);
                int protocol = PROTOCOLS[random.nextInt(PROTOCOLS.length)];
                int port = protocol == Fixtures.TCP || protocol == Fixtures.UDP ? random.nextInt(65536) : -1;
                String text = destination.toString().replaceAll("/\\d+$", "");
                Decision decision = f.send(text, protocol, random.nextInt(65536), port);
                String expected = reference(authorizations, destination, protocol, port, f.nowNs);
                assertThat(decision.verdict() + " " + decision.resourceId())
                        .as("seed %d, packet %d to %s protocol %d port %d", seed, i, text, protocol, port)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void patternMatchingAndOrderAgreeWithRegularExpressions() {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(7);
        for (int round = 0; round < 40; round++) {
            Fixtures f = new Fixtures();
            List<Resource.Dns> resources = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                resources.add(new Resource.Dns(ResourceId.of("r" + random.nextInt(1000) + "-" + i),
                        DnsPattern.of(randomPattern(random))));
            }
            f.set(resources.stream().map(r -> Fixtures.allow(r)).toArray(Authorization[]::new));
            for (int i = 0; i < 100; i++) {
                String domain = randomDomain(random);
                List<ResourceId> expected = resources.stream()
                        .filter(r -> regex(r.pattern().text()).matcher(domain).matches())
                        .sorted(Comparator.comparing(Resource.Dns::pattern, DnsPattern.SPECIFICITY)
                                .thenComparing(Resource.Dns::id))
                        .map(Resource.Dns::id).toList();
                assertThat(f.client.matchingDnsResources(domain, f.nowNs)).as(domain).isEqualTo(expected);
            }
        }
    }

    private static List<Authorization> randomAuthorizations(RandomGenerator random, int count) {
        List<Authorization> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ResourceId id = ResourceId.of(Integer.toString(random.nextInt(1_000_000), 36) + "-" + i);
            Resource resource;
            int kind = random.nextInt(100);
            if (kind < 2) {
                resource = new Resource.Internet(id);
            } else if (kind < 70) {
                int bits = 8 + random.nextInt(25);
                resource = new Resource.CidrRange(id, Cidr.v4(0x0A000000 | random.nextInt(1 << 12) << 12
                        | random.nextInt(1 << 12), bits));
            } else {
                int bits = 32 + random.nextInt(97);
                resource = new Resource.CidrRange(id, Cidr.v6(0x2001_0DB8_0000_0000L | random.nextLong(1 << 16),
                        random.nextLong(), bits));
            }
            List<Filter> filters = new ArrayList<>();
            int filterCount = random.nextInt(4);
            for (int k = 0; k < filterCount; k++) {
                int from = random.nextInt(65536);
                int to = Math.min(65535, from + random.nextInt(20_000));
                filters.add(switch (random.nextInt(3)) {
                    case 0 -> new Filter.Tcp(from, to);
                    case 1 -> new Filter.Udp(from, to);
                    default -> new Filter.Icmp();
                });
            }
            long expiry = random.nextInt(4) == 0 ? Fixtures.WALL_AT_ZERO_SECONDS + random.nextInt(3_000)
                    : Authorization.NEVER;
            list.add(new Authorization(resource, filters, expiry));
        }
        return list;
    }

    /** A destination near a random resource's edges, or anywhere. */
    private static Cidr destination(RandomGenerator random, List<Authorization> authorizations) {
        Resource r = authorizations.get(random.nextInt(authorizations.size())).resource();
        boolean v4 = random.nextBoolean();
        if (r instanceof Resource.CidrRange(ResourceId id, Cidr c) && random.nextInt(4) != 0) {
            long delta = random.nextInt(3) - 1;
            boolean last = random.nextBoolean();
            long low = (last ? c.lastLow() : c.low()) + delta;
            long high = last ? c.lastHigh() : c.high();
            return c.version() == 4 ? Cidr.v4((int) low, 32) : Cidr.v6(high, low, 128);
        }
        return v4 ? Cidr.v4(random.nextBoolean() ? random.nextInt() : 0x0A000000 | random.nextInt(1 << 24), 32)
                : Cidr.v6(random.nextBoolean() ? random.nextLong() : 0x2001_0DB8_0000_0000L | random.nextLong(1 << 16),
                random.nextLong(), 128);
    }

    private static String reference(List<Authorization> authorizations, Cidr destination, int protocol, int port,
                                    long nowNs) {
        List<Authorization> containing = new ArrayList<>();
        for (Authorization a : authorizations) {
            long expiresAtNs = a.expiresAtUnixSeconds() == Authorization.NEVER ? Long.MAX_VALUE
                    : (a.expiresAtUnixSeconds() - Fixtures.WALL_AT_ZERO_SECONDS) * Fixtures.SECOND_NS;
            if (expiresAtNs > nowNs && contains(a.resource(), destination)) {
                containing.add(a);
            }
        }
        containing.sort(Comparator.comparingInt((Authorization a) -> -prefix(a.resource()))
                .thenComparing(Authorization::resourceId));
        for (Authorization a : containing) {
            if (permits(a.filters(), protocol, port)) {
                return "ALLOWED " + a.resourceId();
            }
        }
        return containing.isEmpty() ? "NO_RESOURCE null" : "FILTERED " + containing.getFirst().resourceId();
    }

    private static boolean contains(Resource resource, Cidr d) {
        return switch (resource) {
            case Resource.CidrRange(ResourceId id, Cidr c) -> d.version() == 4 ? c.containsV4((int) d.low())
                    : c.containsV6(d.high(), d.low());
            case Resource.Internet ignored -> d.version() == 4 ? !InternetExclusions.excludesV4((int) d.low())
                    : !InternetExclusions.excludesV6(d.high(), d.low());
            case Resource.Dns ignored -> false;
        };
    }

    private static int prefix(Resource resource) {
        return resource instanceof Resource.CidrRange(ResourceId id, Cidr c) ? c.prefixLengthBits() : 0;
    }

    private static boolean permits(List<Filter> filters, int protocol, int port) {
        if (filters.isEmpty()) {
            return true;
        }
        for (Filter filter : filters) {
            boolean ok = switch (filter) {
                case Filter.Tcp(int from, int to) -> protocol == Fixtures.TCP && port >= from && port <= to;
                case Filter.Udp(int from, int to) -> protocol == Fixtures.UDP && port >= from && port <= to;
                case Filter.Icmp() -> protocol == Fixtures.ICMP;
            };
            if (ok) {
                return true;
            }
        }
        return false;
    }

    private static String randomPattern(RandomGenerator random) {
        StringBuilder sb = new StringBuilder();
        int lead = random.nextInt(4);
        sb.append(lead == 0 ? "*." : lead == 1 ? "**." : "");
        int labels = 1 + random.nextInt(3);
        for (int i = 0; i < labels; i++) {
            int length = 1 + random.nextInt(2);
            for (int c = 0; c < length; c++) {
                sb.append(random.nextInt(5) == 0 ? '?' : (char) ('a' + random.nextInt(3)));
            }
            sb.append(i + 1 < labels ? "." : "");
        }
        return sb.toString();
    }

    private static String randomDomain(RandomGenerator random) {
        StringBuilder sb = new StringBuilder();
        int labels = 1 + random.nextInt(5);
        for (int i = 0; i < labels; i++) {
            int length = 1 + random.nextInt(2);
            for (int c = 0; c < length; c++) {
                char ch = (char) ('a' + random.nextInt(3));
                sb.append(random.nextInt(4) == 0 ? Character.toUpperCase(ch) : ch);
            }
            sb.append(i + 1 < labels ? "." : "");
        }
        return random.nextInt(5) == 0 ? sb + "." : sb.toString();
    }

    private static Pattern regex(String pattern) {
        StringBuilder sb = new StringBuilder();
        String rest = pattern;
        if (rest.startsWith("**.")) {
            sb.append("(?:[^.]+\\.)*");
            rest = rest.substring(3);
        } else if (rest.startsWith("*.")) {
            sb.append("(?:[^.]+\\.)?");
            rest = rest.substring(2);
        }
        for (char c : rest.toCharArray()) {
            sb.append(c == '?' ? "[^.]" : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(sb + "\\.?", Pattern.CASE_INSENSITIVE);
    }
}
