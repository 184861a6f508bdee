package zonegate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.GatewayHarness.address;

import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.filter.Authorization;
import zonegate.filter.DnsPattern;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.packet.IpPacket;
import zonegate.tunnel.GatewayHarness.Client;

/** DNS resources: planning a query, proxy addresses, and the NAT (with NAT64) behind them. */
class GatewayDnsResourceTest {
    static final Resource WEB = new Resource.Dns(ResourceId.of("web"), DnsPattern.of("**.example.com"));
    static final Resource ANYWHERE = new Resource.Internet(ResourceId.of("internet"));

    private final GatewayHarness h = new GatewayHarness(2);

    private Client clientWith(String name, Authorization... authorizations) {
        Client c = h.connectClient(name);
        h.gateway.replaceAuthorizations(c.spec.id(), List.of(authorizations), h.nowNs);
        return c;
    }

    @Test
    void planNamesTheDomainForAClientsDnsResourceCaseInsensitively() {
        Client alice = clientWith("alice", Authorization.permanent(WEB, List.of()));

        DnsPlan plan = h.gateway.planDnsQuery(address(alice.ipv4), "App.Example.COM.", h.nowNs);

        assertThat(plan).isEqualTo(new DnsPlan.Resource("app.example.com", List.of(WEB.id())));
    }

    @Test
    void planForwardsOnlyForClientsWithTheInternetResource() {
        Client alice = clientWith("alice", Authorization.permanent(WEB, List.of()));
        Client bob = clientWith("bob", Authorization.permanent(ANYWHERE, List.of()));

        assertThat(h.gateway.planDnsQuery(address(alice.ipv6), "other.org", h.nowNs)).isEqualTo(new DnsPlan.Refuse());
        assertThat(h.gateway.planDnsQuery(address(bob.ipv4), "other.org", h.nowNs)).isEqualTo(new DnsPlan.Forward());
        assertThat(h.gateway.planDnsQuery(address("100.64.0.250"), "other.org", h.nowNs))
                .isEqualTo(new DnsPlan.UnknownClient());
    }

    @Test
    void proxyAddressesAreStableAcrossReResolutionAndDistinctPerDomain() {
        Client alice = clientWith("alice", Authorization.permanent(WEB, List.of()));

        ProxyAddresses first = h.gateway.assignDnsProxies(address(alice.ipv4), "app.example.com",
                List.of(address("10.30.0.7")), h.nowNs);
        ProxyAddresses again = h.gateway.assignDnsProxies(address(alice.ipv4), "APP.example.com.",
                List.of(address("10.30.0.8")), h.nowNs);
        ProxyAddresses other = h.gateway.assignDnsProxies(address(alice.ipv4), "db.example.com",
                List.of(address("10.30.0.9")), h.nowNs);

        assertThat(first.ipv4()).hasSize(4).allSatisfy(a -> assertThat(a.getHostAddress()).startsWith("100.96."));
        assertThat(first.ipv6()).hasSize(4)
                .allSatisfy(a -> assertThat(a.getHostAddress()).startsWith("fd00:2021:1111:8000:"));
        assertThat(again).isEqualTo(first);
        assertThat(other.all()).doesNotContainAnyElementsOf(first.all());
    }

    @Test
    void packetsToAProxyReachTheResolvedAddressFromTheClientAndRepliesComeFromTheProxy() {
        Client alice = clientWith("alice", Authorization.permanent(WEB, List.of()));
        ProxyAddresses proxies = h.gateway.assignDnsProxies(address(alice.ipv4), "app.example.com",
                List.of(address("10.30.0.7")), h.nowNs);
        String proxy = proxies.ipv4().getFirst().getHostAddress();

        alice.send(Packets.udp(alice.ipv4, 5353, proxy, 8080, new byte[] {42}));

        assertThat(h.tun).hasSize(1);
        IpPacket out = Packets.parse(h.tun.getFirst());
        assertThat(Packets.source(h.tun.getFirst())).isEqualTo(alice.ipv4);
        assertThat(Packets.destination(h.tun.getFirst())).isEqualTo("10.30.0.7");
        assertThat(out.destinationPort()).isEqualTo(8080);
        assertThat(out.hasValidChecksums()).isTrue();
        byte[] reply = alice.lastReceived();
        assertThat(Packets.source(reply)).isEqualTo(proxy);
        assertThat(Packets.destination(reply)).isEqualTo(alice.ipv4);
        assertThat(Packets.parse(reply).sourcePort()).isEqualTo(8080);
        assertThat(Packets.parse(reply).destinationPort()).isEqualTo(5353);
        assertThat(h.gateway.clientStatus(alice.spec.id()).natFlows()).isOne();
        assertThat(h.gateway.natFlowCount()).isOne();
    }

    @Test
    void anIpv6ProxyForAnIpv4OnlyResourceGoesThroughNat64AndBack() {
        Client alice = clientWith("alice", Authorization.permanent(WEB, List.of()));
        ProxyAddresses proxies = h.gateway.assignDnsProxies(address(alice.ipv6), "app.example.com",
                List.of(address("10.30.0.7")), h.nowNs);
        String proxy6 = proxies.ipv6().get(1).getHostAddress();

        alice.send(Packets.echoRequest(alice.ipv6, proxy6, 77, 1));

        assertThat(h.tun).hasSize(1);
        assertThat(Packets.parse(h.tun.getFirst()).version()).isEqualTo(4);
        assertThat(Packets.source(h.tun.getFirst())).isEqualTo(alice.ipv4);
        assertThat(Packets.destination(h.tun.getFirst())).isEqualTo("10.30.0.7");
        byte[] reply = alice.lastReceived();
        assertThat(Packets.parse(reply).version()).isEqualTo(6);
        assertThat(Packets.icmpType(reply)).isEqualTo(129);
        assertThat(Packets.source(reply)).isEqualTo(proxy6);
        assertThat(address(Packets.destination(reply))).isEqualTo(address(alice.ipv6));
    }

    @Test
    void aProxyPacketDeniedByTheDomainsFiltersIsAnsweredWithAdministrativelyProhibited() {
        Client alice = clientWith("alice", Authorization.permanent(WEB, List.of(new Filter.Tcp(443, 443))));
        String proxy = h.gateway.assignDnsProxies(address(alice.ipv4), "app.example.com",
                List.of(address("10.30.0.7")), h.nowNs).ipv4().getFirst().getHostAddress();

        alice.send(Packets.tcpSyn(alice.ipv4, 40000, proxy, 22));
        alice.send(Packets.tcpSyn(alice.ipv4, 40001, proxy, 443));

        assertThat(Packets.icmpCode(alice.received.getFirst())).isEqualTo(13);
        assertThat(Packets.source(alice.received.getFirst())).isEqualTo(proxy);
        assertThat(h.tun).hasSize(1);
        assertThat(Packets.destination(h.tun.getFirst())).isEqualTo("10.30.0.7");
    }

    @Test
    void anotherClientCannotUseAProxyAddressItWasNeverGiven() {
        Client alice = clientWith("alice", Authorization.permanent(WEB, List.of()));
        Client bob = clientWith("bob", Authorization.permanent(ANYWHERE, List.of()));
        String proxy = h.gateway.assignDnsProxies(address(alice.ipv4), "app.example.com",
                List.of(address("10.30.0.7")), h.nowNs).ipv4().getFirst().getHostAddress();

        bob.send(Packets.echoRequest(bob.ipv4, proxy, 1, 1));

        assertThat(h.tun).isEmpty();
        assertThat(Packets.icmpType(bob.lastReceived())).isEqualTo(3);
        assertThat(Packets.icmpCode(bob.lastReceived())).isZero();
        assertThat(h.gateway.dropCount(GatewayDropReason.UNKNOWN_PROXY_ADDRESS)).isOne();
    }

    @Test
    void assignmentBeyondThePerClientBoundIsRefused() {
        Client alice = clientWith("alice", Authorization.permanent(WEB, List.of()));
        for (int i = 0; i < 8; i++) {
            assertThat(h.gateway.assignDnsProxies(address(alice.ipv4), "n" + i + ".example.com",
                    List.of(address("10.30.0.7")), h.nowNs)).isNotNull();
        }

        assertThat(h.gateway.assignDnsProxies(address(alice.ipv4), "n9.example.com", List.of(address("10.30.0.7")),
                h.nowNs)).isNull();
        assertThat(h.gateway.refusedDnsAssignments()).isOne();
    }
}
