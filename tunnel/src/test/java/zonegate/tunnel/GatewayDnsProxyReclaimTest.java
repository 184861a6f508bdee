package zonegate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.GatewayHarness.S;
import static zonegate.tunnel.GatewayHarness.address;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.filter.Authorization;
import zonegate.filter.ClientId;
import zonegate.filter.TunnelAddresses;
import zonegate.packet.BufferPool;
import zonegate.packet.IpProtocol;
import zonegate.tunnel.DnsAssignment.Reason;
import zonegate.tunnel.GatewayHarness.Client;
import zonegate.wireguard.PrivateKey;

/**
 * A full proxy pool gives the least recently used idle domain's addresses to a new name after the
 * quarantine (60 s by default); the harness allows 8 domains per client.
 */
class GatewayDnsProxyReclaimTest {
    private static final long QUARANTINE_NS = DnsResourceConfig.DEFAULT_PROXY_QUARANTINE_NS;

    private final GatewayHarness h = new GatewayHarness(6);
    private final Client alice = h.connectClient("alice");

    private DnsAssignment assign(String domain, String resolved) {
        return h.gateway.assignDns(address(alice.ipv4), domain, List.of(address(resolved)), h.nowNs);
    }

    private ProxyAddresses proxies(String domain, String resolved) {
        return ((DnsAssignment.Assigned) assign(domain, resolved)).proxies();
    }

    private List<ProxyAddresses> fillPool() {
        h.gateway.replaceAuthorizations(alice.spec.id(),
                List.of(Authorization.permanent(GatewayDnsResourceTest.WEB, List.of())), h.nowNs);
        return java.util.stream.IntStream.range(0, 8).mapToObj(i -> proxies("n" + i + ".example.com", "10.30.0.7"))
                .toList();
    }

    private static String first4(ProxyAddresses p) {
        return p.ipv4().getFirst().getHostAddress();
    }

    @Test
    void aNewNameIsRefusedWhileEveryDomainIsWithinTheQuarantineAndTakesTheOldestSlotAfterIt() {
        List<ProxyAddresses> pool = fillPool();

        DnsAssignment whileFresh = assign("new.example.com", "10.30.0.99");
        h.advance(QUARANTINE_NS - S);
        DnsAssignment stillFresh = assign("new.example.com", "10.30.0.99");
        h.advance(S);
        DnsAssignment afterQuarantine = assign("new.example.com", "10.30.0.99");

        assertThat(whileFresh).isEqualTo(new DnsAssignment.Refused(Reason.POOL_FULL));
        assertThat(stillFresh).isEqualTo(new DnsAssignment.Refused(Reason.POOL_FULL));
        assertThat(afterQuarantine).isEqualTo(new DnsAssignment.Assigned(pool.getFirst()));
        assertThat(h.gateway.reclaimedDnsProxySlots()).isOne();
        assertThat(h.gateway.clientStatus(alice.spec.id()).dnsDomains()).isEqualTo(8);
    }

    @Test
    void theOldNamesProxyAddressesNowReachTheNewNameAndTheOldNameGetsOtherAddresses() {
        List<ProxyAddresses> pool = fillPool();
        h.advance(QUARANTINE_NS);
        assign("new.example.com", "10.30.0.99");

        alice.send(Packets.udp(alice.ipv4, 5353, first4(pool.getFirst()), 53, new byte[] {1}));
        ProxyAddresses oldNameAgain = proxies("n0.example.com", "10.30.0.7");

        assertThat(Packets.destination(h.tun.getLast())).isEqualTo("10.30.0.99");
        assertThat(oldNameAgain).isEqualTo(pool.get(1));
    }

    @Test
    void aDomainWithALiveNatFlowIsNeverReclaimed() {
        List<ProxyAddresses> pool = fillPool();
        alice.send(Packets.udp(alice.ipv4, 5353, first4(pool.getFirst()), 53, new byte[] {1}));
        h.advance(QUARANTINE_NS + S);
        alice.send(Packets.udp(alice.ipv4, 5353, first4(pool.getFirst()), 53, new byte[] {2}));
        h.advance(QUARANTINE_NS + S);

        ProxyAddresses reclaimed = proxies("new.example.com", "10.30.0.99");

        assertThat(h.gateway.clientStatus(alice.spec.id()).natFlows()).isOne();
        assertThat(reclaimed).isEqualTo(pool.get(1));
    }

    @Test
    void aPacketWithinTheQuarantineProtectsADomainEvenAfterItsFlowEnded() {
        List<ProxyAddresses> pool = fillPool();
        h.advance(QUARANTINE_NS - 10 * S);
        alice.send(Packets.tcpSyn(alice.ipv4, 40000, first4(pool.getFirst()), 443));
        alice.send(tcpRst(alice.ipv4, 40000, first4(pool.getFirst()), 443));
        assertThat(h.gateway.clientStatus(alice.spec.id()).natFlows()).isZero();
        h.advance(11 * S);

        ProxyAddresses reclaimed = proxies("new.example.com", "10.30.0.99");

        assertThat(reclaimed).isEqualTo(pool.get(1));
    }

    @Test
    void whenEveryDomainHasALiveFlowNewNamesStayRefused() {
        List<ProxyAddresses> pool = fillPool();
        h.kernel = packet -> null;
        for (int i = 0; i < pool.size(); i++) {
            alice.send(Packets.udp(alice.ipv4, 5000 + i, first4(pool.get(i)), 53, new byte[] {1}));
        }
        h.advance(QUARANTINE_NS - S);
        for (int i = 0; i < pool.size(); i++) {
            alice.send(Packets.udp(alice.ipv4, 5000 + i, first4(pool.get(i)), 53, new byte[] {2}));
        }
        h.advance(2 * S);

        assertThat(assign("new.example.com", "10.30.0.99")).isEqualTo(new DnsAssignment.Refused(Reason.POOL_FULL));
        assertThat(h.gateway.clientStatus(alice.spec.id()).natFlows()).isEqualTo(8);
    }

    @Test
    void withTheDefaultBoundOf1024NamesTheNextIsRefusedUntilTheQuarantineThenAccepted() {
        long[] nowNs = {1_000 * S};
        GatewayConfig config = GatewayConfig.defaults((Inet4Address) address("100.64.0.1"),
                (Inet6Address) address("fd00:2021:1111::1"));
        GatewayState gateway = new GatewayState(config, PrivateKey.generate(GatewayHarness.seeded(61)),
                () -> Instant.ofEpochSecond(GatewayHarness.EPOCH_SECONDS).plusNanos(nowNs[0]),
                GatewayHarness.seeded(62), new SplittableRandom(63), new BufferPool(2048, 64, false), nowNs[0]);
        ClientId id = ClientId.of("bulk");
        gateway.upsertClient(new ClientSpec(id, PrivateKey.generate(GatewayHarness.seeded(64)).publicKey(), null,
                TunnelAddresses.of("100.64.0.20", "fd00:2021:1111::20")), nowNs[0]);
        gateway.replaceAuthorizations(id, List.of(Authorization.permanent(GatewayDnsResourceTest.WEB, List.of())),
                nowNs[0]);
        InetAddress source = address("100.64.0.20");
        List<InetAddress> resolved = List.of(address("10.30.0.7"));
        for (int i = 0; i < 1024; i++) {
            assertThat(gateway.assignDns(source, "bucket-" + i + ".example.com", resolved, nowNs[0]))
                    .isInstanceOf(DnsAssignment.Assigned.class);
        }

        DnsAssignment full = gateway.assignDns(source, "bucket-1024.example.com", resolved, nowNs[0]);
        nowNs[0] += QUARANTINE_NS;
        DnsAssignment later = gateway.assignDns(source, "bucket-1024.example.com", resolved, nowNs[0]);

        assertThat(full).isEqualTo(new DnsAssignment.Refused(Reason.POOL_FULL));
        assertThat(later).isInstanceOf(DnsAssignment.Assigned.class);
        assertThat(gateway.clientStatus(id).dnsDomains()).isEqualTo(1024);
    }

    private static byte[] tcpRst(String source, int sourcePort, String destination, int destinationPort) {
        byte[] tcp = new byte[20];
        tcp[0] = (byte) (sourcePort >> 8);
        tcp[1] = (byte) sourcePort;
        tcp[2] = (byte) (destinationPort >> 8);
        tcp[3] = (byte) destinationPort;
        tcp[12] = 5 << 4;
        tcp[13] = 0x04;
        return Packets.ip(source, destination, IpProtocol.TCP, tcp);
    }
}
