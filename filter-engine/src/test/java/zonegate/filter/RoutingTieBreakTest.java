package zonegate.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.filter.Fixtures.ICMP;
import static zonegate.filter.Fixtures.TCP;
import static zonegate.filter.Fixtures.UDP;
import static zonegate.filter.Fixtures.allow;
import static zonegate.filter.Fixtures.cidr;
import static zonegate.filter.Fixtures.dns;
import static zonegate.filter.Fixtures.internet;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of the routing tie-break, for addresses and for domains. */
class RoutingTieBreakTest {
    private final Fixtures f = new Fixtures();

    static Stream<Arguments> addressCases() {
        return Stream.of(
                Arguments.of("a permitting resource beats a more specific one that denies",
                        List.of(allow(cidr("narrow", "10.0.0.0/24"), new Filter.Tcp(80, 80)),
                                allow(cidr("wide", "10.0.0.0/8"))),
                        "10.0.0.5", UDP, 53, "wide"),
                Arguments.of("the more specific permitting resource wins when both permit",
                        List.of(allow(cidr("narrow", "10.0.0.0/24"), new Filter.Tcp(80, 80)),
                                allow(cidr("wide", "10.0.0.0/8"))),
                        "10.0.0.5", TCP, 80, "narrow"),
                Arguments.of("longest prefix wins",
                        List.of(allow(cidr("a8", "10.0.0.0/8")), allow(cidr("b24", "10.1.2.0/24")),
                                allow(cidr("c32", "10.1.2.3/32")), allow(cidr("d16", "10.1.0.0/16"))),
                        "10.1.2.3", TCP, 22, "c32"),
                Arguments.of("longest prefix wins next to the host route",
                        List.of(allow(cidr("a8", "10.0.0.0/8")), allow(cidr("b24", "10.1.2.0/24")),
                                allow(cidr("c32", "10.1.2.3/32"))),
                        "10.1.2.4", TCP, 22, "b24"),
                Arguments.of("equal prefixes: smaller resource id wins",
                        List.of(allow(cidr("b", "10.0.0.0/16")), allow(cidr("a", "10.0.0.0/16")),
                                allow(cidr("c", "10.0.0.0/16"))),
                        "10.0.3.3", TCP, 22, "a"),
                Arguments.of("ids compare lexicographically, not numerically",
                        List.of(allow(cidr("10", "10.0.0.0/16")), allow(cidr("9", "10.0.0.0/16"))),
                        "10.0.3.3", TCP, 22, "10"),
                Arguments.of("any CIDR beats the Internet",
                        List.of(allow(internet("a-internet")), allow(cidr("z-public", "8.8.0.0/16"))),
                        "8.8.8.8", UDP, 53, "z-public"),
                Arguments.of("the Internet routes what no CIDR contains",
                        List.of(allow(internet("internet")), allow(cidr("dns", "8.8.0.0/16"))),
                        "1.1.1.1", UDP, 53, "internet"),
                Arguments.of("a CIDR /0 and the Internet tie on prefix; the id decides",
                        List.of(allow(internet("b-internet")), allow(cidr("a-all", "0.0.0.0/0"))),
                        "1.1.1.1", UDP, 53, "a-all"),
                Arguments.of("IPv6 longest prefix wins",
                        List.of(allow(cidr("a", "2001:db8::/32")), allow(cidr("b", "2001:db8:1::/48"))),
                        "2001:db8:1::9", TCP, 443, "b"),
                Arguments.of("IPv6 permitting resource beats a more specific denying one",
                        List.of(allow(cidr("a", "2001:db8::/32")), allow(cidr("b", "2001:db8:1::/48"), new Filter.Icmp())),
                        "2001:db8:1::9", TCP, 443, "a"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("addressCases")
    void routesToTheExpectedResource(String rule, List<Authorization> authorizations, String destination,
                                     int protocol, int port, String expected) {
        f.client.replaceAll(authorizations, f.nowNs);

        Decision decision = f.send(destination, protocol, port);

        assertThat(decision.verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(decision.resourceId()).isEqualTo(ResourceId.of(expected));
    }

    static Stream<Arguments> domainCases() {
        return Stream.of(
                Arguments.of("exact name beats ?", "app.example.com",
                        List.of(dns("q", "ap?.example.com"), dns("x", "app.example.com")), "x"),
                Arguments.of("? beats *", "app.example.com",
                        List.of(dns("s", "*.example.com"), dns("q", "ap?.example.com")), "q"),
                Arguments.of("* beats **", "app.example.com",
                        List.of(dns("a", "**.example.com"), dns("b", "*.example.com")), "b"),
                Arguments.of("more literal labels beat fewer", "a.b.example.com",
                        List.of(dns("a", "**.example.com"), dns("b", "**.b.example.com")), "b"),
                Arguments.of("more literal characters beat fewer", "app.example.com",
                        List.of(dns("a", "??p.example.com"), dns("b", "ap?.example.com")), "b"),
                Arguments.of("equal specificity: smaller id wins", "app.example.com",
                        List.of(dns("b", "a?p.example.com"), dns("a", "ap?.example.com")), "a"),
                Arguments.of("* matches the apex", "example.com",
                        List.of(dns("a", "**.example.com"), dns("b", "*.example.com")), "b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("domainCases")
    void routesDomainsToTheMostSpecificPattern(String rule, String domain, List<Resource> resources,
                                               String expected) {
        f.client.replaceAll(resources.stream().map(r -> allow(r)).toList(), f.nowNs);

        Decision decision = f.sendToDomain(domain, TCP, 443);

        assertThat(decision.resourceId()).isEqualTo(ResourceId.of(expected));
        assertThat(f.client.matchingDnsResources(domain, f.nowNs)).first().isEqualTo(ResourceId.of(expected));
    }

    @Test
    void domainFilterPermissionComesBeforeSpecificity() {
        f.set(allow(dns("exact", "app.example.com"), new Filter.Tcp(443, 443)), allow(dns("wild", "**.example.com")));

        assertThat(f.sendToDomain("app.example.com", UDP, 53).resourceId()).isEqualTo(ResourceId.of("wild"));
        assertThat(f.sendToDomain("app.example.com", TCP, 443).resourceId()).isEqualTo(ResourceId.of("exact"));
    }

    @Test
    void matchingDnsResourcesListsEveryMatchInTieBreakOrder() {
        f.set(allow(dns("d", "**.example.com")), allow(dns("c", "*.example.com")), allow(dns("b", "ap?.example.com")),
                allow(dns("a", "app.example.com")), allow(dns("e", "other.com")), allow(cidr("f", "10.0.0.0/8")));

        assertThat(f.client.matchingDnsResources("APP.example.com.", f.nowNs)).extracting(ResourceId::value)
                .containsExactly("a", "b", "c", "d");
    }

    @Test
    void aDenialNamesTheMostSpecificResourceContainingTheDestination() {
        f.set(allow(cidr("wide", "10.0.0.0/8"), new Filter.Tcp(22, 22)),
                allow(cidr("narrow", "10.0.0.0/24"), new Filter.Tcp(80, 80)));

        Decision decision = f.send("10.0.0.1", ICMP, -1);

        assertThat(decision.verdict()).isEqualTo(Verdict.FILTERED);
        assertThat(decision.resourceId()).isEqualTo(ResourceId.of("narrow"));
        assertThat(decision.reason()).isEqualTo("ICMP not allowed by resource narrow");
    }
}
