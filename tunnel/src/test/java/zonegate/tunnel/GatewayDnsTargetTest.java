package zonegate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.GatewayHarness.address;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.tunnel.DnsAssignment.Reason;
import zonegate.tunnel.GatewayHarness.Client;

/** Upstream answers for a DNS resource that would make the NAT reach the gateway, a client or the host. */
class GatewayDnsTargetTest {
    private static final Path LOG = Path.of("target", "tunnel-test.log");

    private final GatewayHarness h = new GatewayHarness(5);
    private final Client alice = h.connectClient("alice");
    private final Client bob = h.connectClient("bob");

    private DnsAssignment assign(String domain, InetAddress... resolved) {
        return h.gateway.assignDns(address(alice.ipv4), domain, List.of(resolved), h.nowNs);
    }

    private void authorize(Authorization... authorizations) {
        h.gateway.replaceAuthorizations(alice.spec.id(), List.of(authorizations), h.nowNs);
    }

    @ParameterizedTest
    @ValueSource(strings = {"100.64.0.12", "100.64.0.1", "fd00:2021:1111::1", "fd00:2021:1111::12", "100.96.0.5",
            "fd00:2021:1111:8000::5", "127.0.0.1", "127.9.9.9", "::1", "169.254.169.254", "fe80::1", "0.0.0.0",
            "::", "224.0.0.251", "ff02::1", "255.255.255.255", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe"})
    void anAnswerWithAForbiddenAddressIsRefusedAndMapsNothing(String forbidden) {
        authorize(Authorization.permanent(GatewayDnsResourceTest.WEB, List.of()));

        DnsAssignment result = assign("app.example.com", address(forbidden));

        assertThat(result).isEqualTo(new DnsAssignment.Refused(Reason.FORBIDDEN_TARGET));
        assertThat(h.gateway.refusedDnsAssignments(Reason.FORBIDDEN_TARGET)).isOne();
        assertThat(h.gateway.clientStatus(alice.spec.id()).dnsDomains()).isZero();
    }

    @Test
    void anIpv4MappedLoopbackIsRefusedLikeLoopback() throws IOException {
        authorize(Authorization.permanent(GatewayDnsResourceTest.WEB, List.of()));
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[12] = 127;
        mapped[15] = 1;

        DnsAssignment result = assign("app.example.com", Inet6Address.getByAddress(null, mapped, -1));

        assertThat(result).isEqualTo(new DnsAssignment.Refused(Reason.FORBIDDEN_TARGET));
    }

    @Test
    void oneForbiddenAddressRefusesTheWholeAnswerAndTheEarlierMappingStays() {
        authorize(Authorization.permanent(GatewayDnsResourceTest.WEB, List.of()));
        ProxyAddresses proxies = ((DnsAssignment.Assigned) assign("app.example.com", address("10.30.0.7"))).proxies();

        DnsAssignment again = assign("app.example.com", address("10.30.0.8"), address("169.254.169.254"));
        alice.send(Packets.udp(alice.ipv4, 5353, proxies.ipv4().getFirst().getHostAddress(), 53, new byte[] {1}));

        assertThat(again).isEqualTo(new DnsAssignment.Refused(Reason.FORBIDDEN_TARGET));
        assertThat(h.tun).hasSize(1);
        assertThat(Packets.destination(h.tun.getFirst())).isEqualTo("10.30.0.7");
    }

    @Test
    void aCidrResourceOfTheClientThatCoversTheAddressAllowsIt() {
        Resource metadata = new Resource.CidrRange(ResourceId.of("metadata"), Cidr.parse("169.254.169.254/32"));
        authorize(Authorization.permanent(GatewayDnsResourceTest.WEB, List.of()),
                Authorization.permanent(metadata, List.of()));

        DnsAssignment allowed = assign("app.example.com", address("169.254.169.254"));
        DnsAssignment stillRefused = assign("db.example.com", address("169.254.169.253"));

        assertThat(allowed).isInstanceOf(DnsAssignment.Assigned.class);
        assertThat(stillRefused).isEqualTo(new DnsAssignment.Refused(Reason.FORBIDDEN_TARGET));
    }

    @Test
    void anExpiredCidrResourceNoLongerCoversTheAddress() {
        Resource own = new Resource.CidrRange(ResourceId.of("loop"), Cidr.parse("127.0.0.0/8"));
        long expiresAt = GatewayHarness.EPOCH_SECONDS + h.nowNs / GatewayHarness.S + 10;
        authorize(Authorization.permanent(GatewayDnsResourceTest.WEB, List.of()),
                new Authorization(own, List.of(), expiresAt));
        assertThat(assign("app.example.com", address("127.0.0.1"))).isInstanceOf(DnsAssignment.Assigned.class);

        h.advance(11 * GatewayHarness.S);

        assertThat(assign("app.example.com", address("127.0.0.1")))
                .isEqualTo(new DnsAssignment.Refused(Reason.FORBIDDEN_TARGET));
    }

    @Test
    void aRefusalIsOneWarnLineTheFirstTimeForAClientAndDomainThenDebug() throws IOException {
        authorize(Authorization.permanent(GatewayDnsResourceTest.WEB, List.of()));
        long before = Files.exists(LOG) ? Files.size(LOG) : 0;

        assign("app.example.com", address("127.0.0.1"));
        assign("app.example.com", address("127.0.0.1"));

        byte[] all = Files.readAllBytes(LOG);
        List<String> lines = new String(Arrays.copyOfRange(all, (int) before, all.length), StandardCharsets.UTF_8)
                .lines().filter(l -> l.contains("DNS answer for app.example.com refused")).toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("WARN").contains("cid=alice", "127.0.0.1 is loopback");
        assertThat(lines.get(1)).startsWith("DEBUG");
    }

    @Test
    void ordinarySiteAddressesAreMapped() {
        authorize(Authorization.permanent(GatewayDnsResourceTest.WEB, List.of()));

        assertThat(assign("app.example.com", address("10.30.0.7"), address("192.168.1.9"), address("2001:db8::9"),
                address("100.128.0.1"))).isInstanceOf(DnsAssignment.Assigned.class);
    }
}
