package zonegate.app.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.app.internal.client.ClientDriverFixture.DNS4_INDEX;
import static zonegate.app.internal.client.ClientDriverFixture.NODE4_INDEX;
import static zonegate.app.internal.client.ClientDriverFixture.OWN4;
import static zonegate.app.internal.client.ClientDriverFixture.cidr;
import static zonegate.app.internal.client.ClientDriverFixture.internet;
import static zonegate.app.internal.client.ClientDriverFixture.udp4;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.controlplane.PortalEvent;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;
import zonegate.node.ConnectionState;
import zonegate.tunnel.dns.DnsQuery;
import zonegate.wireguard.PrivateKey;

class ClientDriverTest {
    private static final String GATEWAY = "gw-1";
    private static final String CANDIDATE = "candidate:1 1 udp 2130706431 192.0.2.9 51820 typ host";

    private final ClientDriverFixture f = new ClientDriverFixture();

    @Test
    void initPutsTheTunnelAddressesAndTheResourceRoutesOnTheDevice() {
        f.init(List.of(cidr("office", "10.0.0.0/24")), List.of("192.0.2.53"));

        assertThat(f.device).contains("add address 100.64.0.7/32", "add address fd00:2021:1111:0:0:0:0:7/128",
                "add route 10.0.0.0/24 table 254");
        assertThat(f.dnsWrites).containsExactly(List.of(InetAddress.ofLiteral("100.100.111.1")));
    }

    @Test
    void aDeletedResourceRemovesOnlyItsRoute() {
        f.init(List.of(cidr("office", "10.0.0.0/24"), cidr("lab", "10.1.0.0/16")), List.of());
        int before = f.device.size();

        f.portal(new PortalMessage.ResourceDeleted("lab"));

        assertThat(f.device.subList(before, f.device.size())).containsExactly("remove route 10.1.0.0/16 table 254");
    }

    @Test
    void theInternetResourceRoutesEverythingThroughItsOwnTableAndRules() {
        f.init(List.of(internet("internet")), List.of());
        int before = f.device.size();

        f.state.setInternetResourceEnabled(true, f.nowNs);
        f.driver.onTimeout(f.nowNs);

        assertThat(f.device.subList(before, f.device.size())).containsSubsequence(
                "add route 0.0.0.0/0 table " + DeviceRoutes.INTERNET_TABLE,
                "add rule " + DeviceRoutes.PORTAL_PRIORITY, "add rule " + DeviceRoutes.MAIN_PRIORITY,
                "add rule " + DeviceRoutes.INTERNET_PRIORITY);
    }

    @Test
    void turningTheInternetResourceOffRemovesItsRulesThenItsRoute() {
        f.init(List.of(internet("internet")), List.of());
        f.state.setInternetResourceEnabled(true, f.nowNs);
        f.driver.onTimeout(f.nowNs);
        int before = f.device.size();

        f.state.setInternetResourceEnabled(false, f.nowNs);
        f.driver.onTimeout(f.nowNs);

        assertThat(f.device.subList(before, f.device.size())).containsSubsequence(
                "remove rule " + DeviceRoutes.INTERNET_PRIORITY, "remove rule " + DeviceRoutes.MAIN_PRIORITY,
                "remove route 0.0.0.0/0 table " + DeviceRoutes.INTERNET_TABLE);
    }

    @Test
    void aPacketForAResourceWithoutAccessAsksThePortal() {
        f.init(List.of(cidr("office", "10.0.0.0/24")), List.of());

        f.fromTun(udp4(OWN4, 40000, "10.0.0.5", 5000, new byte[] {1, 2, 3}));

        assertThat(f.sentOf(PortalMessage.RequestAuthorization.class)).singleElement()
                .satisfies(r -> assertThat(r.resourceId()).isEqualTo("office"));
    }

    @Test
    void grantedAccessStartsAConnectionAndSignalsOurCandidates() {
        askForOffice();

        grantOffice(gatewayKey());

        assertThat(f.state.connectionState(GATEWAY)).isEqualTo(ConnectionState.CONNECTING);
        assertThat(f.sentOf(PortalMessage.NewGatewayIceCandidates.class)).isNotEmpty()
                .allSatisfy(c -> assertThat(c.gatewayIds()).containsExactly(GATEWAY))
                .anySatisfy(c -> assertThat(c.candidates()).anyMatch(line -> line.contains("198.51.100.7 52625")));
    }

    @Test
    void anUnusableGrantIsRefusedWithoutAConnection() {
        askForOffice();

        grantOffice("not-a-key");

        assertThat(f.state.connectionState(GATEWAY)).isNull();
    }

    @Test
    void theGatewaysCandidatesAreCheckedFromTheNodeSocket() {
        askForOffice();
        grantOffice(gatewayKey());
        f.datagrams.clear();

        f.portal(new PortalMessage.GatewayIceCandidates(GATEWAY, List.of(CANDIDATE)));
        f.nowNs += 100_000_000L;
        f.driver.onTimeout(f.nowNs);

        assertThat(f.datagrams).anySatisfy(d -> {
            assertThat(d.socket()).isEqualTo(NODE4_INDEX);
            assertThat(d.destination()).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.9"), 51820));
        });
    }

    @Test
    void aQueryForANameThatIsNoResourceGoesUpstreamAndItsAnswerBackWithTheApplicationsId() {
        f.init(List.of(cidr("office", "10.0.0.0/24")), List.of("192.0.2.53"));
        f.tun.clear();

        f.fromTun(udp4(OWN4, 40001, "100.100.111.1", 53, query(0x1234, "www.example.org")));
        ClientDriverFixture.Datagram forwarded = f.datagrams.getLast();
        byte[] answer = Arrays.copyOf(forwarded.bytes(), forwarded.bytes().length);
        answer[2] |= (byte) 0x80;
        f.fromNetwork(DNS4_INDEX, forwarded.destination(), answer);

        assertThat(forwarded.socket()).isEqualTo(DNS4_INDEX);
        assertThat(forwarded.destination()).isEqualTo(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.53"), 53));
        assertThat(f.tun).singleElement().satisfies(p -> assertThat(ByteBuffer.wrap(p).getShort(28) & 0xFFFF)
                .isEqualTo(0x1234));
    }

    @Test
    void anAnswerFromAnotherServerIsIgnored() {
        f.init(List.of(), List.of("192.0.2.53"));
        f.tun.clear();
        f.fromTun(udp4(OWN4, 40001, "100.100.111.1", 53, query(0x1234, "www.example.org")));
        byte[] answer = f.datagrams.getLast().bytes().clone();
        answer[2] |= (byte) 0x80;

        f.fromNetwork(DNS4_INDEX, new InetSocketAddress(InetAddress.ofLiteral("192.0.2.66"), 53), answer);

        assertThat(f.tun).isEmpty();
    }

    @Test
    void aRefusedTokenStopsTheRuntime() {
        f.driver.onCommand(new PortalEvent.Refused("invalid_token"), f.nowNs);

        assertThat(f.refusals).containsExactly("invalid_token");
    }

    @Test
    void aResetOnTheNextLoopAnnouncesANewKey() {
        f.driver.rebind(new SocketLayout(0, -1, 1, -1,
                new InetSocketAddress(InetAddress.ofLiteral("198.51.100.7"), 40400), null), true);

        f.driver.onStart(f.outbound(), f.nowNs);

        assertThat(f.keys).hasSize(1);
    }

    private void askForOffice() {
        f.init(List.of(cidr("office", "10.0.0.0/24")), List.of());
        f.fromTun(udp4(OWN4, 40000, "10.0.0.5", 5000, new byte[] {1, 2, 3}));
    }

    private void grantOffice(String key) {
        f.portal(new PortalMessage.AccessGranted("office", GATEWAY, key, "100.64.0.1", "fd00:2021:1111::1", "hq",
                null, new Wire.IceCredentials("cliufrag", "clientpassword0123456789"),
                new Wire.IceCredentials("gwufrag1", "gatewaypassword012345678")));
    }

    private static String gatewayKey() {
        byte[] raw = new byte[32];
        new SplittableRandom(3).nextBytes(raw);
        return PrivateKey.ofOwned(raw).publicKey().toBase64();
    }

    private static byte[] query(int id, String name) {
        ByteBuffer out = ByteBuffer.allocate(512);
        int n = zonegate.tunnel.dns.DnsQueryWriter.write(id, name, DnsQuery.TYPE_A, false, out, 0);
        return Arrays.copyOf(out.array(), n);
    }
}
