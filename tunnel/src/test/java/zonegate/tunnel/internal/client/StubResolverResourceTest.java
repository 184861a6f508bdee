package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.internal.client.StubFixture.CLIENT6;
import static zonegate.tunnel.internal.client.StubFixture.SENTINEL6;
import static zonegate.tunnel.internal.client.StubFixture.answers;
import static zonegate.tunnel.internal.client.StubFixture.ask;
import static zonegate.tunnel.internal.client.StubFixture.dns;
import static zonegate.tunnel.internal.client.StubFixture.dnsOf;
import static zonegate.tunnel.internal.client.StubFixture.ip;
import static zonegate.tunnel.internal.client.StubFixture.query;
import static zonegate.tunnel.internal.client.StubFixture.rcode;
import static zonegate.tunnel.internal.client.StubFixture.resolver;
import static zonegate.tunnel.internal.client.StubFixture.send;
import static zonegate.tunnel.internal.client.StubFixture.udp;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.filter.Cidr;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.IpStack;
import zonegate.tunnel.dns.DnsAnswers;
import zonegate.tunnel.dns.DnsQuery;

/** A and AAAA queries for DNS resources: local answers with proxy addresses. */
class StubResolverResourceTest {
    private static final List<InetAddress> FIRST_V4 = List.of(ip("100.96.0.0"), ip("100.96.0.1"), ip("100.96.0.2"),
            ip("100.96.0.3"));
    private static final List<InetAddress> FIRST_V6 = List.of(ip("fd00:2021:1111:8000::"),
            ip("fd00:2021:1111:8000::1"), ip("fd00:2021:1111:8000::2"), ip("fd00:2021:1111:8000::3"));

    @Test
    void aQueryForAResourceNameIsAnsweredWithFourIpv4ProxiesAndTtlOne() {
        StubResolver stub = resolver(dns("r1", "app.example.com"));

        DnsAnswers a = answers(dnsOf(ask(stub, 0x1234, "app.example.com", DnsQuery.TYPE_A)), 0x1234,
                "app.example.com", DnsQuery.TYPE_A);

        assertThat(a.noError()).isTrue();
        assertThat(a.addresses()).isEqualTo(FIRST_V4);
        assertThat(a.minTtlSeconds()).isEqualTo(1);
        assertThat(stub.count(StubCounter.ANSWERED_LOCALLY)).isEqualTo(1);
        assertThat(stub.count(StubCounter.FORWARDED)).isZero();
    }

    @Test
    void aaaaQueryIsAnsweredWithFourIpv6ProxiesOfTheSameSlot() {
        StubResolver stub = resolver(dns("r1", "app.example.com"));
        ask(stub, 1, "app.example.com", DnsQuery.TYPE_A);

        DnsAnswers a = answers(dnsOf(ask(stub, 2, "app.example.com", DnsQuery.TYPE_AAAA)), 2, "app.example.com",
                DnsQuery.TYPE_AAAA);

        assertThat(a.addresses()).isEqualTo(FIRST_V6);
    }

    @Test
    void ipv6QueryIsAnsweredFromTheIpv6SentinelToTheIpv6Client() {
        StubResolver stub = resolver(dns("r1", "app.example.com"));

        byte[] dns = dnsOf(send(stub, udp(CLIENT6, SENTINEL6, query(9, "app.example.com", DnsQuery.TYPE_AAAA, 0)), 0),
                SENTINEL6, CLIENT6);

        assertThat(answers(dns, 9, "app.example.com", DnsQuery.TYPE_AAAA).addresses()).isEqualTo(FIRST_V6);
    }

    @Test
    void matchingIsCaseInsensitiveAndTheDomainKeepsItsProxies() {
        StubResolver stub = resolver(dns("r1", "*.example.com"));
        List<InetAddress> first = answers(dnsOf(ask(stub, 1, "App.Example.COM", DnsQuery.TYPE_A)), 1,
                "app.example.com", DnsQuery.TYPE_A).addresses();

        List<InetAddress> again = answers(dnsOf(ask(stub, 2, "app.example.com", DnsQuery.TYPE_A)), 2,
                "app.example.com", DnsQuery.TYPE_A).addresses();

        assertThat(again).isEqualTo(first).isEqualTo(FIRST_V4);
        assertThat(stub.export().byDomain()).containsOnlyKeys("app.example.com");
    }

    @Test
    void distinctDomainsGetDistinctSequentialSlots() {
        StubResolver stub = resolver(dns("r1", "**.example.com"));
        ask(stub, 1, "a.example.com", DnsQuery.TYPE_A);

        List<InetAddress> second = answers(dnsOf(ask(stub, 2, "b.example.com", DnsQuery.TYPE_A)), 2, "b.example.com",
                DnsQuery.TYPE_A).addresses();

        assertThat(second).containsExactly(ip("100.96.0.4"), ip("100.96.0.5"), ip("100.96.0.6"), ip("100.96.0.7"));
    }

    @Test
    void ipv4OnlyResourceAnswersAaaaWithAnEmptyNoError() {
        StubResolver stub = resolver(dns("r1", "app.example.com", IpStack.IPV4_ONLY));

        DnsAnswers aaaa = answers(dnsOf(ask(stub, 1, "app.example.com", DnsQuery.TYPE_AAAA)), 1, "app.example.com",
                DnsQuery.TYPE_AAAA);
        DnsAnswers a = answers(dnsOf(ask(stub, 2, "app.example.com", DnsQuery.TYPE_A)), 2, "app.example.com",
                DnsQuery.TYPE_A);

        assertThat(aaaa.noError()).isTrue();
        assertThat(aaaa.addresses()).isEmpty();
        assertThat(a.addresses()).hasSize(4);
    }

    @Test
    void ipv6OnlyResourceAnswersAWithAnEmptyNoError() {
        StubResolver stub = resolver(dns("r1", "app.example.com", IpStack.IPV6_ONLY));

        DnsAnswers a = answers(dnsOf(ask(stub, 1, "app.example.com", DnsQuery.TYPE_A)), 1, "app.example.com",
                DnsQuery.TYPE_A);

        assertThat(a.noError()).isTrue();
        assertThat(a.addresses()).isEmpty();
    }

    @Test
    void theMostSpecificMatchingResourceDecidesTheIpStack() {
        StubResolver stub = resolver(dns("a-wild", "**.example.com", IpStack.DUAL),
                dns("z-exact", "app.example.com", IpStack.IPV4_ONLY));

        DnsAnswers aaaa = answers(dnsOf(ask(stub, 1, "app.example.com", DnsQuery.TYPE_AAAA)), 1, "app.example.com",
                DnsQuery.TYPE_AAAA);

        assertThat(aaaa.addresses()).isEmpty();
    }

    @Test
    void proxyTargetListsMatchingResourcesMostSpecificFirstThenById() {
        StubResolver stub = resolver(dns("c", "**.example.com"), dns("b", "*.example.com"),
                dns("a", "*.example.com"), dns("d", "app.example.com"), dns("e", "other.com"));
        ask(stub, 1, "app.example.com", DnsQuery.TYPE_A);

        StubResolver.ProxyTarget target = stub.lookupProxy4(StubFixture.ipv4("100.96.0.2"));

        assertThat(target.domain()).isEqualTo("app.example.com");
        assertThat(target.resources()).extracting(ResourceId::value).containsExactly("d", "a", "b", "c");
        assertThat(target.proxyIps()).hasSize(8).startsWith(FIRST_V4.toArray(InetAddress[]::new));
    }

    @Test
    void ipv6ProxyLooksUpTheSameTarget() {
        StubResolver stub = resolver(dns("r1", "app.example.com"));
        ask(stub, 1, "app.example.com", DnsQuery.TYPE_A);

        StubResolver.ProxyTarget target = stub.lookupProxy6(StubFixture.high("fd00:2021:1111:8000::3"),
                StubFixture.low("fd00:2021:1111:8000::3"));

        assertThat(target).isSameAs(stub.lookupProxy4(StubFixture.ipv4("100.96.0.0")));
        assertThat(target.domain()).isEqualTo("app.example.com");
    }

    @Test
    void unassignedAddressesLookUpNothing() {
        StubResolver stub = resolver(dns("r1", "app.example.com"));
        ask(stub, 1, "app.example.com", DnsQuery.TYPE_A);

        assertThat(stub.lookupProxy4(StubFixture.ipv4("100.96.0.4"))).isNull();
        assertThat(stub.lookupProxy4(StubFixture.ipv4("10.0.0.1"))).isNull();
        assertThat(stub.lookupProxy6(StubFixture.high("fd00:2021:1111:8000::4"), 4)).isNull();
        assertThat(stub.lookupProxy6(StubFixture.high("fd00::"), 0)).isNull();
    }

    @Test
    void changedResourcesUpdateTheTargetButNotTheAddresses() {
        StubResolver stub = resolver(dns("r1", "app.example.com"));
        ask(stub, 1, "app.example.com", DnsQuery.TYPE_A);

        stub.setResources(List.of(dns("r2", "*.example.com")));

        StubResolver.ProxyTarget target = stub.lookupProxy4(StubFixture.ipv4("100.96.0.0"));
        assertThat(target.resources()).containsExactly(ResourceId.of("r2"));
        stub.setResources(List.of());
        assertThat(stub.lookupProxy4(StubFixture.ipv4("100.96.0.0")).resources()).isEmpty();
    }

    @Test
    void httpsQueryForAResourceNameGetsAnEmptyNoError() {
        StubResolver stub = resolver(dns("r1", "app.example.com"));

        byte[] dns = dnsOf(ask(stub, 5, "app.example.com", DnsQuery.TYPE_HTTPS));

        assertThat(rcode(dns)).isZero();
        assertThat(StubFixture.count(dns, 1)).isZero();
        assertThat(stub.count(StubCounter.ANSWERED_LOCALLY)).isEqualTo(1);
    }

    @Test
    void dohCanaryGetsNxdomain() {
        StubResolver stub = resolver(dns("r1", "**.net"));

        byte[] dns = dnsOf(ask(stub, 5, "Use-Application-DNS.net", DnsQuery.TYPE_A));

        assertThat(rcode(dns)).isEqualTo(3);
        assertThat(stub.export().byDomain()).isEmpty();
    }

    @Test
    void otherTypesForAResourceNameAreForwarded() {
        StubResolver stub = resolver(dns("r1", "app.example.com"));

        StubResult r = ask(stub, 5, "app.example.com", StubFixture.TYPE_SRV);

        assertThat(r).isInstanceOf(StubResult.Forward.class);
    }

    @Test
    void namesOfNoResourceAreForwarded() {
        StubResolver stub = resolver(dns("r1", "app.example.com"));

        StubResult r = ask(stub, 5, "www.example.org", DnsQuery.TYPE_A);

        assertThat(r).isInstanceOf(StubResult.Forward.class);
        assertThat(stub.export().byDomain()).isEmpty();
    }

    @Test
    void entriesThatAreNotDnsResourcesAreIgnored() {
        ClientResource cidr = new ClientResource(new Resource.CidrRange(ResourceId.of("c"), Cidr.parse("10.0.0.0/8")),
                "c", "site", List.of(), IpStack.DUAL);
        StubResolver stub = resolver(cidr, dns("r1", "app.example.com"));

        assertThat(ask(stub, 5, "app.example.com", DnsQuery.TYPE_A)).isInstanceOf(StubResult.Answer.class);
    }

    @Test
    void everyLocalAddressAnswerQueuesItsDomainOnce() {
        StubResolver stub = resolver(dns("r1", "**.example.com"));
        ask(stub, 1, "a.example.com", DnsQuery.TYPE_A);
        ask(stub, 2, "a.example.com", DnsQuery.TYPE_AAAA);
        ask(stub, 3, "a.example.com", DnsQuery.TYPE_HTTPS);
        ask(stub, 4, "b.example.com", DnsQuery.TYPE_A);

        assertThat(stub.pollAnsweredDomain()).isEqualTo("a.example.com");
        assertThat(stub.pollAnsweredDomain()).isEqualTo("a.example.com");
        assertThat(stub.pollAnsweredDomain()).isEqualTo("b.example.com");
        assertThat(stub.pollAnsweredDomain()).isNull();
    }

    @Test
    void answeredDomainQueueDropsTheOldestWhenFull() {
        StubResolver stub = resolver(dns("r1", "**.example.com"));
        for (int i = 0; i <= StubResolver.MAX_ANSWERED_DOMAINS; i++) {
            ask(stub, i, "d" + i + ".example.com", DnsQuery.TYPE_A);
        }

        assertThat(stub.pollAnsweredDomain()).isEqualTo("d1.example.com");
        assertThat(stub.count(StubCounter.ANSWERED_DOMAIN_DROPPED)).isEqualTo(1);
    }
}
