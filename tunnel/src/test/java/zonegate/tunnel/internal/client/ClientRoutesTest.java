package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.internal.client.TestResources.cidr;
import static zonegate.tunnel.internal.client.TestResources.dns;
import static zonegate.tunnel.internal.client.TestResources.internet;
import static zonegate.tunnel.internal.client.TestResources.route;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.filter.Cidr;
import zonegate.filter.Filter;
import zonegate.filter.ResourceId;
import zonegate.tunnel.ClientResource;

class ClientRoutesTest {
    private final ClientRoutes routes = new ClientRoutes();

    @Test
    void longestPrefixWins() {
        routes.setResources(List.of(cidr("wide", "10.0.0.0/8"), cidr("narrow", "10.1.0.0/16"),
                cidr("host", "10.1.2.3/32")));

        assertThat(route(routes, "10.1.2.3")).isEqualTo("host");
        assertThat(route(routes, "10.1.2.4")).isEqualTo("narrow");
        assertThat(route(routes, "10.2.0.1")).isEqualTo("wide");
        assertThat(route(routes, "11.0.0.1")).isNull();
    }

    @Test
    void equalPrefixesGoToTheSmallestIdWhateverTheOrder() {
        List<ClientResource> forward = List.of(cidr("b", "10.0.0.0/8"), cidr("a", "10.0.0.0/8"), cidr("c", "10.0.0.0/8"));
        List<ClientResource> backward = forward.reversed();

        routes.setResources(forward);
        String first = route(routes, "10.9.9.9");
        routes.setResources(backward);
        String second = route(routes, "10.9.9.9");

        assertThat(first).isEqualTo("a");
        assertThat(second).isEqualTo("a");
    }

    @Test
    void ipv6UsesLongestPrefixToo() {
        routes.setResources(List.of(cidr("site", "2001:db8::/32"), cidr("lab", "2001:db8:1::/48"),
                cidr("box", "2001:db8:1::42/128")));

        assertThat(route(routes, "2001:db8:1::42")).isEqualTo("box");
        assertThat(route(routes, "2001:db8:1::43")).isEqualTo("lab");
        assertThat(route(routes, "2001:db8:2::1")).isEqualTo("site");
        assertThat(route(routes, "2001:db9::1")).isNull();
    }

    @Test
    void ipv4AndIpv6RangesDoNotMix() {
        routes.setResources(List.of(cidr("v4", "0.0.0.0/0")));

        assertThat(route(routes, "::a00:1")).isNull();
        assertThat(route(routes, "10.0.0.1")).isEqualTo("v4");
    }

    @Test
    void aProxyAddressIsRoutedByAddressLikeAnyOther() {
        routes.setResources(List.of(cidr("proxy-range", "100.96.0.0/11"), dns("git", "git.example.com")));

        assertThat(route(routes, "100.96.0.1")).isEqualTo("proxy-range");
    }

    @Test
    void internetResourceNeedsTheToggle() {
        routes.setResources(List.of(internet("inet")));

        boolean before = routes.internetActive();
        String routedBefore = route(routes, "8.8.8.8");
        routes.setInternetEnabled(true);

        assertThat(before).isFalse();
        assertThat(routedBefore).isNull();
        assertThat(routes.internetActive()).isTrue();
        assertThat(route(routes, "8.8.8.8")).isEqualTo("inet");
        assertThat(route(routes, "2606:4700::1111")).isEqualTo("inet");
    }

    @Test
    void internetResourceNeedsToBeListed() {
        routes.setInternetEnabled(true);
        routes.setResources(List.of(cidr("office", "10.0.0.0/8")));

        assertThat(routes.internetActive()).isFalse();
        assertThat(route(routes, "8.8.8.8")).isNull();
    }

    @Test
    void internetToggledOffStopsRouting() {
        routes.setResources(List.of(internet("inet")));
        routes.setInternetEnabled(true);

        routes.setInternetEnabled(false);

        assertThat(route(routes, "8.8.8.8")).isNull();
    }

    @Test
    void cidrResourcesBeatTheInternetResource() {
        routes.setResources(List.of(internet("inet"), cidr("public-box", "203.0.114.0/24")));
        routes.setInternetEnabled(true);

        assertThat(route(routes, "203.0.114.9")).isEqualTo("public-box");
        assertThat(route(routes, "203.0.115.9")).isEqualTo("inet");
    }

    @Test
    void ownRangesNeverGoToTheInternetResource() {
        routes.setResources(List.of(internet("inet")));
        routes.setInternetEnabled(true);

        for (String own : List.of("100.64.0.1", "100.95.255.255", "100.96.0.1", "100.127.255.254", "100.100.111.1",
                "fd00:2021:1111::1", "fd00:2021:1111::1f:ffff", "fd00:2021:1111:8000::1",
                "fd00:2021:1111:8000:100:100:111:1")) {
            assertThat(route(routes, own)).as(own).isNull();
        }
    }

    @Test
    void internetExclusionsAreNotRoutedToTheInternetResource() {
        routes.setResources(List.of(internet("inet")));
        routes.setInternetEnabled(true);

        for (String excluded : List.of("10.1.1.1", "192.168.1.1", "172.16.0.1", "127.0.0.1", "169.254.1.1",
                "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1", "ff02::1", "::ffff:8.8.8.8")) {
            assertThat(route(routes, excluded)).as(excluded).isNull();
        }
    }

    @Test
    void excludedRangesStayReachableThroughACidrResource() {
        routes.setResources(List.of(internet("inet"), cidr("lan", "192.168.0.0/16")));
        routes.setInternetEnabled(true);

        assertThat(route(routes, "192.168.1.1")).isEqualTo("lan");
    }

    @Test
    void changingDnsAndInternetResourcesDoesNotRebuildCidrRoutes() {
        ClientResource office = cidr("office", "10.0.0.0/8");
        routes.setResources(List.of(office));
        long afterFirst = routes.cidrRebuilds();

        routes.setResources(List.of(office, dns("git", "git.example.com")));
        routes.setResources(List.of(office, dns("git", "git.example.com"), internet("inet")));
        routes.setResources(List.of(dns("wiki", "wiki.example.com"), office));
        routes.setResources(List.of(office));

        assertThat(afterFirst).isEqualTo(1);
        assertThat(routes.cidrRebuilds()).isEqualTo(1);
    }

    @Test
    void changingOnlyNameSiteOrFiltersDoesNotRebuildButIsSeen() {
        routes.setResources(List.of(cidr("office", "10.0.0.0/8")));
        ClientResource moved = cidr("office", "10.0.0.0/8", "site-b", List.of(new Filter.Tcp(22, 22)));

        routes.setResources(List.of(moved));

        assertThat(routes.cidrRebuilds()).isEqualTo(1);
        assertThat(routes.routeV4(TestResources.v4("10.0.0.1"))).isSameAs(moved);
    }

    @Test
    void changingARangeOrIdRebuilds() {
        routes.setResources(List.of(cidr("office", "10.0.0.0/8")));

        routes.setResources(List.of(cidr("office", "10.0.0.0/16")));
        routes.setResources(List.of(cidr("office2", "10.0.0.0/16")));
        routes.setResources(List.of(cidr("office2", "10.0.0.0/16"), cidr("lab", "10.9.0.0/16")));

        assertThat(routes.cidrRebuilds()).isEqualTo(4);
        assertThat(route(routes, "10.0.0.1")).isEqualTo("office2");
    }

    @Test
    void tunRoutesListOwnRangesAndCidrResourcesSortedWithoutDuplicates() {
        routes.setResources(List.of(cidr("b", "10.0.0.0/8"), cidr("a", "10.0.0.0/8"), cidr("v6", "2001:db8::/32"),
                internet("inet")));

        assertThat(routes.tunRoutes()).containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/11"),
                Cidr.parse("100.96.0.0/11"), Cidr.parse("100.100.111.0/24"), Cidr.parse("2001:db8::/32"),
                Cidr.parse("fd00:2021:1111::/107"), Cidr.parse("fd00:2021:1111:8000::/107"),
                Cidr.parse("fd00:2021:1111:8000:100:100:111:0/120"));
    }

    @Test
    void tunRoutesAddDefaultRoutesWhileTheInternetResourceIsActive() {
        routes.setResources(List.of(internet("inet")));

        routes.setInternetEnabled(true);
        List<Cidr> active = routes.tunRoutes();
        routes.setInternetEnabled(false);
        List<Cidr> inactive = routes.tunRoutes();

        assertThat(active).contains(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")).hasSize(8);
        assertThat(inactive).doesNotContain(Cidr.parse("0.0.0.0/0"), Cidr.parse("::/0")).hasSize(6);
    }

    @Test
    void aDuplicatedIdKeepsItsFirstEntry() {
        routes.setResources(List.of(cidr("office", "10.0.0.0/8"), cidr("office", "11.0.0.0/8")));

        assertThat(route(routes, "10.0.0.1")).isEqualTo("office");
        assertThat(route(routes, "11.0.0.1")).isNull();
    }

    @Test
    void resourceFindsTheListedResourceById() {
        ClientResource git = dns("git", "git.example.com");
        routes.setResources(List.of(git));

        assertThat(routes.resource(ResourceId.of("git"))).isSameAs(git);
        assertThat(routes.resource(ResourceId.of("wiki"))).isNull();
    }
}
