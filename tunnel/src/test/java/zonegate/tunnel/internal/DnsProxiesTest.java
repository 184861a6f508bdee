package zonegate.tunnel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.nat64.Addresses;
import zonegate.tunnel.ProxyAddresses;

class DnsProxiesTest {
    @Test
    void gatewayGivenSlotsMapBackToTheirDomain() {
        DnsProxies proxies = new DnsProxies(8);
        DnsProxies.Domain a = proxies.add("a.example.com", null, 0);
        DnsProxies.Domain b = proxies.add("b.example.com", null, 0);
        assertThat(proxies.lookup4(DnsProxies.PROXY_BASE_4 + 5)).isSameAs(b);
        assertThat(proxies.lookup4(DnsProxies.PROXY_BASE_4 + 3)).isSameAs(a);
        assertThat(proxies.lookup4(DnsProxies.PROXY_BASE_4 + 8)).isNull();
        assertThat(proxies.lookup6(7)).isSameAs(b);
    }

    @Test
    void clientChosenAddressesAnywhereInTheRangesMapBackAndMoveWhenReassigned() {
        DnsProxies proxies = new DnsProxies(8);
        ProxyAddresses first = addresses("100.96.0.17", "100.96.0.18", "100.96.0.19", "100.96.0.20",
                "fd00:2021:1111:8000::11");
        DnsProxies.Domain d = proxies.assign("app.example.com", null, first, 0);
        assertThat(proxies.lookup4(Addresses.ipv4((Inet4Address) ip("100.96.0.18")))).isSameAs(d);
        assertThat(proxies.lookup6(0x11)).isSameAs(d);

        ProxyAddresses second = addresses("100.96.1.1", "100.96.1.2", "100.96.1.3", "100.96.1.4");
        DnsProxies.Domain again = proxies.assign("app.example.com", null, second, 1);
        assertThat(proxies.lookup4(Addresses.ipv4((Inet4Address) ip("100.96.0.18")))).isNull();
        assertThat(proxies.lookup4(Addresses.ipv4((Inet4Address) ip("100.96.1.3")))).isSameAs(again);
        assertThat(proxies.size()).isEqualTo(1);
    }

    @Test
    void anAddressOfAnotherDomainIsReportedAsClaimed() {
        DnsProxies proxies = new DnsProxies(8);
        proxies.assign("a.example.com", null, addresses("100.96.0.1", "100.96.0.2", "100.96.0.3", "100.96.0.4"), 0);
        ProxyAddresses overlapping = addresses("100.96.0.4", "100.96.0.5", "100.96.0.6", "100.96.0.7");
        assertThat(proxies.claimedByOther("b.example.com", overlapping).name).isEqualTo("a.example.com");
        assertThat(proxies.claimedByOther("a.example.com", overlapping)).isNull();
    }

    @Test
    void assignRefusesANewDomainWhenFull() {
        DnsProxies proxies = new DnsProxies(1);
        proxies.assign("a.example.com", null, addresses("100.96.0.1", "100.96.0.2", "100.96.0.3", "100.96.0.4"), 0);
        assertThat(proxies.assign("b.example.com", null,
                addresses("100.96.0.5", "100.96.0.6", "100.96.0.7", "100.96.0.8"), 0)).isNull();
    }

    private static ProxyAddresses addresses(String... ips) {
        List<Inet4Address> v4 = new java.util.ArrayList<>();
        List<Inet6Address> v6 = new java.util.ArrayList<>();
        for (String s : ips) {
            InetAddress a = ip(s);
            if (a instanceof Inet4Address x) {
                v4.add(x);
            } else {
                v6.add((Inet6Address) a);
            }
        }
        return new ProxyAddresses(v4, v6);
    }

    private static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }
}
