package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.internal.client.StubFixture.answers;
import static zonegate.tunnel.internal.client.StubFixture.ask;
import static zonegate.tunnel.internal.client.StubFixture.dns;
import static zonegate.tunnel.internal.client.StubFixture.dnsOf;
import static zonegate.tunnel.internal.client.StubFixture.ip;
import static zonegate.tunnel.internal.client.StubFixture.ptrTarget;
import static zonegate.tunnel.internal.client.StubFixture.rcode;
import static zonegate.tunnel.internal.client.StubFixture.resolver;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zonegate.nat64.Addresses;
import zonegate.tunnel.DnsRecords;
import zonegate.tunnel.dns.DnsQuery;

/** Proxy addresses: reverse lookups, the skipped sentinel range, exhaustion, export and seeding. */
class StubResolverProxyTest {
    /** The 4 + 4 proxy addresses of slot {@code slot}. */
    static List<InetAddress> slot(int slot) {
        List<InetAddress> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            out.add(Addresses.toInet4(ProxyPool.BASE4 + 4 * slot + i));
        }
        for (int i = 0; i < 4; i++) {
            out.add(Addresses.toInet6(ProxyPool.HIGH6, 4L * slot + i));
        }
        return out;
    }

    @Test
    void ptrForAnIpv4ProxyIsAnsweredWithItsDomain() {
        StubResolver stub = resolver(dns("r1", "app.example.com"));
        ask(stub, 1, "App.Example.com", DnsQuery.TYPE_A);

        byte[] dns = dnsOf(ask(stub, 2, StubFixture.reverse4("100.96.0.2"), DnsQuery.TYPE_PTR));

        assertThat(rcode(dns)).isZero();
        assertThat(ptrTarget(dns)).isEqualTo("app.example.com");
    }

    @Test
    void ptrForAnIpv6ProxyIsAnsweredWithItsDomain() {
        StubResolver stub = resolver(dns("r1", "app.example.com"));
        ask(stub, 1, "app.example.com", DnsQuery.TYPE_AAAA);

        byte[] dns = dnsOf(ask(stub, 2, StubFixture.reverse6("fd00:2021:1111:8000::1"), DnsQuery.TYPE_PTR));

        assertThat(ptrTarget(dns)).isEqualTo("app.example.com");
    }

    @Test
    void ptrForAnUnassignedAddressIsForwarded() {
        StubResolver stub = resolver(dns("r1", "app.example.com"));

        assertThat(ask(stub, 2, StubFixture.reverse4("100.96.0.2"), DnsQuery.TYPE_PTR))
                .isInstanceOf(StubResult.Forward.class);
        assertThat(ask(stub, 3, StubFixture.reverse4("192.0.2.1"), DnsQuery.TYPE_PTR))
                .isInstanceOf(StubResult.Forward.class);
    }

    @Test
    void allocationSkipsTheSentinelRange() {
        StubResolver stub = resolver(dns("r1", "**.example.com"));
        int lastBefore = (ProxyPool.SENTINEL_NET4 - ProxyPool.BASE4) / 4 - 1;
        stub.seed(new DnsRecords(Map.of("seeded.example.com", slot(lastBefore))));

        List<InetAddress> next = answers(dnsOf(ask(stub, 1, "new.example.com", DnsQuery.TYPE_A)), 1,
                "new.example.com", DnsQuery.TYPE_A).addresses();

        assertThat(slot(lastBefore).getFirst()).isEqualTo(ip("100.100.110.252"));
        assertThat(next.getFirst()).isEqualTo(ip("100.100.112.0"));
    }

    @Test
    void exhaustedProxiesAnswerServfail() {
        StubResolver stub = resolver(dns("r1", "**.example.com"));
        stub.seed(new DnsRecords(Map.of("last.example.com", slot(ProxyPool.SLOTS - 1))));

        byte[] dns = dnsOf(ask(stub, 1, "new.example.com", DnsQuery.TYPE_A));
        byte[] again = dnsOf(ask(stub, 2, "other.example.com", DnsQuery.TYPE_AAAA));

        assertThat(rcode(dns)).isEqualTo(2);
        assertThat(rcode(again)).isEqualTo(2);
        assertThat(stub.count(StubCounter.PROXIES_EXHAUSTED)).isEqualTo(2);
        assertThat(answers(dnsOf(ask(stub, 3, "last.example.com", DnsQuery.TYPE_A)), 3, "last.example.com",
                DnsQuery.TYPE_A).addresses()).as("known domains still answered").hasSize(4);
    }

    @Test
    void exportAndSeedGiveANewResolverTheSameAddresses() {
        StubResolver old = resolver(dns("r1", "**.example.com"));
        ask(old, 1, "a.example.com", DnsQuery.TYPE_A);
        ask(old, 2, "b.example.com", DnsQuery.TYPE_A);
        DnsRecords records = old.export();

        StubResolver fresh = resolver(dns("r1", "**.example.com"));
        fresh.seed(records);

        assertThat(answers(dnsOf(ask(fresh, 3, "b.example.com", DnsQuery.TYPE_A)), 3, "b.example.com",
                DnsQuery.TYPE_A).addresses()).isEqualTo(records.byDomain().get("b.example.com").subList(0, 4));
        assertThat(fresh.lookupProxy4(StubFixture.ipv4("100.96.0.1")).domain()).isEqualTo("a.example.com");
        assertThat(fresh.export()).isEqualTo(records);
    }

    @Test
    void seedingMovesTheAllocatorPastEverySeededAddress() {
        StubResolver stub = resolver(dns("r1", "**.example.com"));
        List<InetAddress> scattered = new ArrayList<>(slot(0).subList(0, 4));
        scattered.addAll(slot(9).subList(4, 8));
        stub.seed(new DnsRecords(Map.of("s.example.com", scattered)));

        List<InetAddress> next = answers(dnsOf(ask(stub, 1, "n.example.com", DnsQuery.TYPE_A)), 1, "n.example.com",
                DnsQuery.TYPE_A).addresses();

        assertThat(next.getFirst()).isEqualTo(slot(10).getFirst());
    }

    @Test
    void invalidSeededEntriesAreIgnoredAndCounted() {
        StubResolver stub = resolver(dns("r1", "**.example.com"));
        List<InetAddress> three = slot(0).subList(1, 8);
        List<InetAddress> outside = new ArrayList<>(slot(1));
        outside.set(0, ip("10.0.0.1"));
        List<InetAddress> sentinel = new ArrayList<>(slot(2));
        sentinel.set(1, ip("100.100.111.1"));
        List<InetAddress> swapped = new ArrayList<>(slot(3).subList(4, 8));
        swapped.addAll(slot(3).subList(0, 4));
        List<InetAddress> repeated = new ArrayList<>(slot(4));
        repeated.set(1, repeated.get(0));
        Map<String, List<InetAddress>> bad = Map.of("a.example.com", three, "b.example.com", outside,
                "c.example.com", sentinel, "d.example.com", swapped, "e.example.com", repeated,
                "bad..name", slot(5), "", slot(6));

        stub.seed(new DnsRecords(bad));

        assertThat(stub.count(StubCounter.SEED_REJECTED)).isEqualTo(7);
        assertThat(stub.export().byDomain()).isEmpty();
    }

    @Test
    void seededEntryClashingWithAnAssignedAddressIsIgnored() {
        StubResolver stub = resolver(dns("r1", "**.example.com"));
        ask(stub, 1, "a.example.com", DnsQuery.TYPE_A);

        stub.seed(new DnsRecords(Map.of("b.example.com", slot(0), "A.Example.com.", slot(7))));

        assertThat(stub.count(StubCounter.SEED_REJECTED)).isEqualTo(2);
        assertThat(stub.export().byDomain()).containsOnlyKeys("a.example.com");
    }

    @Test
    void seededNamesAreNormalised() {
        StubResolver stub = resolver(dns("r1", "**.example.com"));

        stub.seed(new DnsRecords(Map.of("Upper.Example.COM.", slot(3))));

        assertThat(stub.lookupProxy4(StubFixture.ipv4("100.96.0.12")).domain()).isEqualTo("upper.example.com");
        assertThat(stub.lookupProxy4(StubFixture.ipv4("100.96.0.12")).resources()).hasSize(1);
    }
}
