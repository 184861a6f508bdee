package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.internal.client.StubFixture.answers;
import static zonegate.tunnel.internal.client.StubFixture.ask;
import static zonegate.tunnel.internal.client.StubFixture.dns;
import static zonegate.tunnel.internal.client.StubFixture.dnsOf;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;
import zonegate.nat64.Addresses;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.DnsRecords;
import zonegate.tunnel.IpStack;
import zonegate.tunnel.dns.DnsQuery;

/**
 * Random resources and names (seeded): a name always gets the same proxies, two names never share one, a
 * name is answered locally exactly when a pattern matches it, every proxy looks up its name, and export then
 * seed into a new resolver keeps every name's addresses while new names get fresh ones.
 */
class StubResolverPropertyTest {
    private static final String[] LABELS = {"a", "b", "app", "db", "x1", "corp"};
    private static final String[] SUFFIXES = {"example.com", "example.org", "corp.internal"};
    private static final int CASES = 300;

    @Test
    void proxiesAreStablePerNameDistinctAcrossNamesAndSurviveExportAndSeed() {
        RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(20_261_202L);
        int local = 0;
        for (int c = 0; c < CASES; c++) {
            local += runCase(random, c);
        }
        assertThat(local).as("local answers over all cases (the generator reaches the rule)").isGreaterThan(CASES * 5);
    }

    /** Runs one case; returns how many queries were answered locally. */
    private static int runCase(RandomGenerator random, int c) {
        List<ClientResource> resources = resources(random);
        StubResolver stub = StubFixture.resolver(resources.toArray(ClientResource[]::new));
        Map<String, Set<InetAddress>> byName = new HashMap<>();
        Map<InetAddress, String> owner = new HashMap<>();
        int local = 0;
        for (int q = 0; q < 40; q++) {
            String name = name(random);
            String domain = name.toLowerCase(Locale.ROOT);
            int type = random.nextBoolean() ? DnsQuery.TYPE_A : DnsQuery.TYPE_AAAA;
            StubResult r = ask(stub, q, name, type);
            boolean resource = resources.stream()
                    .anyMatch(res -> ((zonegate.filter.Resource.Dns) res.resource()).pattern().matches(domain));
            assertThat(r instanceof StubResult.Answer).as("case %d: %s answered locally iff a resource", c, name)
                    .isEqualTo(resource);
            if (!resource) {
                continue;
            }
            local++;
            for (InetAddress a : answers(dnsOf(r), q, domain, type).addresses()) {
                String previous = owner.putIfAbsent(a, domain);
                assertThat(previous == null ? domain : previous).as("case %d: %s shared", c, a).isEqualTo(domain);
                byName.computeIfAbsent(domain, d -> new HashSet<>()).add(a);
                StubResolver.ProxyTarget t = a instanceof Inet4Address v4 ? stub.lookupProxy4(Addresses.ipv4(v4))
                        : stub.lookupProxy6(Addresses.high((java.net.Inet6Address) a),
                        Addresses.low((java.net.Inet6Address) a));
                assertThat(t.domain()).isEqualTo(domain);
            }
        }
        byName.values().forEach(set -> assertThat(set.size()).isLessThanOrEqualTo(8));
        DnsRecords exported = stub.export();
        byName.forEach((domain, seen) -> assertThat(exported.byDomain().get(domain)).containsAll(seen));

        StubResolver fresh = StubFixture.resolver(resources.toArray(ClientResource[]::new));
        fresh.seed(exported);
        assertThat(fresh.count(StubCounter.SEED_REJECTED)).isZero();
        assertThat(fresh.export()).isEqualTo(exported);
        Set<InetAddress> taken = new HashSet<>();
        exported.byDomain().values().forEach(taken::addAll);
        for (String domain : exported.byDomain().keySet()) {
            List<InetAddress> v4 = answers(dnsOf(ask(fresh, 1, domain, DnsQuery.TYPE_A)), 1, domain,
                    DnsQuery.TYPE_A).addresses();
            if (!v4.isEmpty()) {
                assertThat(v4).isEqualTo(exported.byDomain().get(domain).subList(0, 4));
            }
        }
        String brandNew = "new-" + c + "." + SUFFIXES[0];
        fresh.setResources(List.of(dns("new", brandNew)));
        List<InetAddress> v4 = answers(dnsOf(ask(fresh, 2, brandNew, DnsQuery.TYPE_A)), 2, brandNew,
                DnsQuery.TYPE_A).addresses();
        assertThat(v4).hasSize(4).noneMatch(taken::contains);
        return local;
    }

    private static List<ClientResource> resources(RandomGenerator random) {
        List<ClientResource> out = new ArrayList<>();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            String suffix = SUFFIXES[random.nextInt(SUFFIXES.length)];
            String pattern = switch (random.nextInt(3)) {
                case 0 -> LABELS[random.nextInt(LABELS.length)] + "." + suffix;
                case 1 -> "*." + suffix;
                default -> "**." + suffix;
            };
            IpStack stack = IpStack.values()[random.nextInt(IpStack.values().length)];
            out.add(dns("r" + i, pattern, stack));
        }
        return out;
    }

    /** One or two labels before a suffix, with random upper-case letters. */
    private static String name(RandomGenerator random) {
        StringBuilder s = new StringBuilder();
        int labels = 1 + random.nextInt(2);
        for (int i = 0; i < labels; i++) {
            s.append(LABELS[random.nextInt(LABELS.length)]).append('.');
        }
        s.append(SUFFIXES[random.nextInt(SUFFIXES.length)]);
        StringBuilder mixed = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            mixed.append(random.nextInt(4) == 0 ? Character.toUpperCase(ch) : ch);
        }
        return mixed.toString();
    }
}
