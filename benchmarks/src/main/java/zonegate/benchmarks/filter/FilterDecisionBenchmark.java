package zonegate.benchmarks.filter;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.ClientFilter;
import zonegate.filter.ClientId;
import zonegate.filter.Decision;
import zonegate.filter.DnsPattern;
import zonegate.filter.DomainCandidates;
import zonegate.filter.Filter;
import zonegate.filter.FilterConfig;
import zonegate.filter.FilterEngine;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;

/**
 * One routing decision of the gateway for a client holding {@code resources} CIDR resources (random
 * /16../28 prefixes in 10.0.0.0/8, half of them with TCP/UDP port filters, plus the Internet) and as
 * many DNS resources. Each invocation decides the next of 4096 precomputed packets (mostly hits, some
 * misses and filter denials), so the branch predictor and caches see a realistic mix. The 4096 packets
 * are 4096 flows that repeat, so after the first round most decisions take the established-flow path
 * (flow-table hit, same table generation); {@code ipv4NewFlowDecision} makes every packet a new flow
 * (full interval lookup, candidate walk and flow insert with eviction). Targets: under
 * 100 ns/op at 10,000 resources, 0 B/op ({@code -prof gc}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FilterDecisionBenchmark {
    private static final int PACKETS = 4096;
    private static final int TCP = 6;
    private static final int UDP = 17;

    @Param({"1", "100", "10000"})
    public int resources;

    private final Decision decision = new Decision();
    private final int[] destinations = new int[PACKETS];
    private final long[] destinationsV6 = new long[PACKETS];
    private final int[] protocols = new int[PACKETS];
    private final int[] ports = new int[PACKETS];
    private final DomainCandidates[] domains = new DomainCandidates[PACKETS];
    private ClientFilter client;
    private int source;
    private long sourceV6High;
    private long sourceV6Low;
    private long nowNs;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        FilterEngine engine = new FilterEngine(FilterConfig.DEFAULT.withMaxFlowsPerClient(8192), () -> Instant.ofEpochSecond(0, 0));
        TunnelAddresses addresses = TunnelAddresses.of("100.64.0.7", "fd00:2021:1111::7");
        source = addresses.ipv4();
        sourceV6High = addresses.ipv6High();
        sourceV6Low = addresses.ipv6Low();
        client = engine.upsertClient(ClientId.of("bench"), addresses, 0);
        List<Authorization> authorizations = new ArrayList<>();
        List<Cidr> ranges = new ArrayList<>();
        for (int i = 0; i < resources; i++) {
            Cidr range = Cidr.v4(0x0A00_0000 | random.nextInt(1 << 24), 16 + random.nextInt(13));
            ranges.add(range);
            List<Filter> filters = i % 2 == 0 ? List.of()
                    : List.of(new Filter.Tcp(443, 443), new Filter.Tcp(8000, 8999), new Filter.Udp(53, 53));
            authorizations.add(Authorization.permanent(
                    new Resource.CidrRange(ResourceId.of("cidr-" + i), range), filters));
            authorizations.add(Authorization.permanent(new Resource.Dns(ResourceId.of("dns-" + i),
                    DnsPattern.of(i % 3 == 0 ? "*.svc" + i + ".example.com" : "app" + i + ".example.com")), filters));
        }
        authorizations.add(Authorization.permanent(new Resource.Internet(ResourceId.of("internet")), List.of()));
        authorizations.add(Authorization.permanent(new Resource.CidrRange(ResourceId.of("v6"),
                Cidr.parse("2001:db8::/32")), List.of(new Filter.Tcp(443, 443))));
        client.replaceAll(authorizations, 0);
        for (int i = 0; i < PACKETS; i++) {
            Cidr range = ranges.get(random.nextInt(ranges.size()));
            int hostBits = 32 - range.prefixLengthBits();
            destinations[i] = random.nextInt(8) == 0 ? 0x0A00_0000 | random.nextInt(1 << 24)
                    : (int) range.low() + random.nextInt(1 << hostBits);
            destinationsV6[i] = random.nextLong();
            protocols[i] = random.nextInt(4) == 0 ? UDP : TCP;
            ports[i] = random.nextInt(4) == 0 ? random.nextInt(65536) : 443;
            int r = random.nextInt(resources);
            domains[i] = client.domainCandidates(r % 3 == 0 ? "x.svc" + r + ".example.com" : "app" + r + ".example.com");
        }
    }

    @Benchmark
    public Decision ipv4Decision() {
        int i = next++ & (PACKETS - 1);
        return client.decideV4(source, destinations[i], protocols[i], 40000 + (i & 63), ports[i], ++nowNs, decision);
    }

    /** Every packet starts a new flow (a fresh source port): the full lookup plus a flow-table insert. */
    @Benchmark
    public Decision ipv4NewFlowDecision() {
        int i = next++ & (PACKETS - 1);
        long now = ++nowNs;
        return client.decideV4(source, destinations[i], protocols[i], (int) (now & 0xFFFF), ports[i], now, decision);
    }

    @Benchmark
    public Decision ipv6Decision() {
        int i = next++ & (PACKETS - 1);
        return client.decideV6(sourceV6High, sourceV6Low, 0x2001_0DB8_0000_0000L, destinationsV6[i], protocols[i],
                40000 + (i & 63), ports[i], ++nowNs, decision);
    }

    @Benchmark
    public Decision domainDecision() {
        int i = next++ & (PACKETS - 1);
        return client.decideDomainV4(source, domains[i], protocols[i], 40000 + (i & 63), ports[i], ++nowNs, decision);
    }
}
