package zonegate.filter;

import java.time.Instant;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;

/**
 * Arbitrary pattern strings, resources, fields and packets never make the engine throw. In regression
 * mode (the default) these replay the seed corpora under
 * {@code src/test/resources/zonegate/filter/FilterEngineFuzzTestInputs/<method>/}; run with
 * {@code JAZZER_FUZZ=1} to fuzz.
 */
class FilterEngineFuzzTest {
    private final PacketParser parser = new PacketParser();

    @FuzzTest(maxDuration = "10s")
    void arbitraryPatternsAreValidatedOrRejectedAndNeverThrow(FuzzedDataProvider data) {
        String pattern = data.consumeString(300);
        String domain = data.consumeRemainingAsString();
        switch (DnsPattern.validate(pattern)) {
            case DnsPattern.Validation.Valid(DnsPattern p) -> {
                p.matches(domain);
                DnsPattern.SPECIFICITY.compare(p, p);
            }
            case DnsPattern.Validation.Invalid(String input, String message) -> {
                if (message.isEmpty()) {
                    throw new AssertionError("empty message for " + input);
                }
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    void arbitraryResourcesAndPacketsAreDecidedWithoutThrowing(FuzzedDataProvider data) {
        long[] now = {0};
        FilterEngine engine = new FilterEngine(FilterConfig.DEFAULT.withMaxFlowsPerClient(16),
                () -> Instant.ofEpochSecond(0, 1_700_000_000_000_000_000L + now[0]));
        TunnelAddresses addresses = new TunnelAddresses(data.consumeInt(), data.consumeLong(), data.consumeLong());
        ClientFilter client = engine.upsertClient(ClientId.of("c"), addresses, 0);
        List<Authorization> authorizations = new ArrayList<>();
        int count = data.consumeInt(0, 12);
        for (int i = 0; i < count; i++) {
            authorizations.add(new Authorization(resource(data, i), filters(data),
                    data.consumeLong(1_699_999_990L, 1_700_000_100L)));
        }
        client.replaceAll(authorizations, 0);
        Decision decision = new Decision();
        DomainCandidates domain = client.domainCandidates(data.consumeString(64));
        while (data.remainingBytes() > 0) {
            now[0] += data.consumeLong(0, 5_000_000_000L);
            switch (data.consumeInt(0, 4)) {
                case 0 -> client.decideV4(data.pickValue(new int[] {addresses.ipv4(), data.consumeInt()}),
                        data.consumeInt(), data.consumeInt(0, 255), data.consumeInt(-1, 65535),
                        data.consumeInt(-1, 65535), now[0], decision);
                case 1 -> client.decideV6(addresses.ipv6High(), addresses.ipv6Low(), data.consumeLong(),
                        data.consumeLong(), data.consumeInt(0, 255), data.consumeInt(-1, 65535),
                        data.consumeInt(-1, 65535), now[0], decision);
                case 2 -> client.decideDomainV4(addresses.ipv4(), domain, data.consumeInt(0, 255),
                        data.consumeInt(-1, 65535), data.consumeInt(-1, 65535), now[0], decision);
                case 3 -> {
                    byte[] bytes = data.consumeBytes(200);
                    IpPacket packet = parser.parseOrNull(ByteBuffer.wrap(bytes), 0, bytes.length);
                    if (packet != null) {
                        client.decide(packet, now[0], decision);
                    }
                }
                default -> {
                    engine.handleTimeout(now[0]);
                    while (engine.pollEvent() != null) {
                        engine.pollTimeout();
                    }
                }
            }
            decision.reason();
        }
    }

    private static Resource resource(FuzzedDataProvider data, int i) {
        ResourceId id = ResourceId.of("r" + data.consumeInt(0, 20) + "-" + i);
        return switch (data.consumeInt(0, 3)) {
            case 0 -> new Resource.CidrRange(id, Cidr.v4(data.consumeInt(), data.consumeInt(0, 32)));
            case 1 -> new Resource.CidrRange(id, Cidr.v6(data.consumeLong(), data.consumeLong(),
                    data.consumeInt(0, 128)));
            case 2 -> new Resource.Internet(id);
            default -> DnsPattern.validate(data.consumeString(40)) instanceof DnsPattern.Validation.Valid(DnsPattern p)
                    ? new Resource.Dns(id, p) : new Resource.Internet(id);
        };
    }

    private static List<Filter> filters(FuzzedDataProvider data) {
        List<Filter> filters = new ArrayList<>();
        int count = data.consumeInt(0, 4);
        for (int i = 0; i < count; i++) {
            int from = data.consumeInt(0, 65535);
            int to = data.consumeInt(from, 65535);
            filters.add(switch (data.consumeInt(0, 2)) {
                case 0 -> new Filter.Tcp(from, to);
                case 1 -> new Filter.Udp(from, to);
                default -> new Filter.Icmp();
            });
        }
        return filters;
    }
}
