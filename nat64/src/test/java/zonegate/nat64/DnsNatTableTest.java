package zonegate.nat64;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import zonegate.packet.IpPacket;

class DnsNatTableTest {
    private static final long S = 1_000_000_000L;
    private static final int GATEWAY4 = 0xCB007101;                       // 203.0.113.1
    private static final long GATEWAY6_HIGH = 0x2001_0DB8_FFFF_0000L;     // 2001:db8:ffff::1
    private static final int CLIENT4 = 0x64400005;                        // 100.64.0.5
    private static final long CLIENT6_HIGH = 0xFD00_2021_1111_0000L;      // fd00:2021:1111::5
    private static final int RESOLVED4_A = 0xC6336401;                    // 198.51.100.1
    private static final int RESOLVED4_B = 0xC6336402;                    // 198.51.100.2
    private static final long PROXY6_HIGH = 0xFD00_2021_1111_8000L;
    private final SharedPortSpace ports = new SharedPortSpace(1024, new SplittableRandom(3));
    private final ByteBuffer out = ByteBuffer.allocate(2048);
    private DnsNatTable table;
    private long now = 1_000 * S;

    @BeforeEach
    void setUp() {
        table = newTable("alice", NatConfig.defaults(GATEWAY4, GATEWAY6_HIGH, 1));
        table.setDomain("example.com", proxies(), List.of(v4(RESOLVED4_A), v4(RESOLVED4_B)));
    }

    @Test
    void proxyAddressesMapRoundRobinOntoResolvedAddressesOfTheirFamily() {
        for (int i = 0; i < 4; i++) {
            int n = table.translateOutbound(udp4(0x64600001 + i, 5000 + i, 53), now, out, 0, 2048);

            assertThat(Packets.parse(out, 0, n).ipv4().destination()).isEqualTo(i % 2 == 0 ? RESOLVED4_A : RESOLVED4_B);
        }
    }

    @Test
    void outboundKeepsTheClientPortAndLeavesFromTheGatewayAddress() {
        int n = table.translateOutbound(udp4(0x64600001, 5000, 53), now, out, 0, 2048);

        IpPacket p = Packets.parse(out, 0, n);
        assertThat(p.ipv4().source()).isEqualTo(GATEWAY4);
        assertThat(p.sourcePort()).isEqualTo(5000);
        assertThat(p.hasValidChecksums()).isTrue();
    }

    @Test
    void replyIsReaddressedFromTheProxyAddressToTheClient() {
        table.translateOutbound(udp4(0x64600001, 5000, 53), now, out, 0, 2048);

        int n = ports.translateInbound(Packets.parse(udpPacket(RESOLVED4_A, 53, GATEWAY4, 5000)), now, out, 0, 2048);

        IpPacket p = Packets.parse(out, 0, n);
        assertThat(ports.lastTable()).isSameAs(table);
        assertThat(p.ipv4().source()).isEqualTo(0x64600001);
        assertThat(p.ipv4().destination()).isEqualTo(CLIENT4);
        assertThat(p.destinationPort()).isEqualTo(5000);
        assertThat(p.hasValidChecksums()).isTrue();
    }

    @Test
    void ipv6ClientReachesAnIpv4OnlyResourceThroughNat64AndBack() {
        byte[] syn = Packets.ipv6(0, 64, Packets.TCP, CLIENT6_HIGH, 5, PROXY6_HIGH, 2, -1, 0,
                Packets.tcp(40000, 443, 0x02, new byte[0]));

        int n = table.translateOutbound(Packets.parse(syn), now, out, 0, 2048);
        IpPacket outbound = Packets.parse(out, 0, n);
        byte[] synAck = Packets.ipv4(0, 9, 0, 60, Packets.TCP, RESOLVED4_B, GATEWAY4,
                Packets.tcp(443, outbound.sourcePort(), 0x12, new byte[0]));
        ByteBuffer replyOut = ByteBuffer.allocate(2048);
        int m = ports.translateInbound(Packets.parse(synAck), now, replyOut, 0, 2048);
        IpPacket reply = Packets.parse(replyOut, 0, m);

        assertThat(outbound.version()).isEqualTo(4);
        assertThat(outbound.ipv4().source()).isEqualTo(GATEWAY4);
        assertThat(outbound.ipv4().destination()).as("IPv6 proxy 2 -> IPv4 address 2 mod 2").isEqualTo(RESOLVED4_B);
        assertThat(outbound.hasValidChecksums()).isTrue();
        assertThat(reply.version()).isEqualTo(6);
        assertThat(reply.ipv6().sourceLow()).isEqualTo(2);
        assertThat(reply.ipv6().destinationLow()).isEqualTo(5);
        assertThat(reply.destinationPort()).isEqualTo(40000);
        assertThat(reply.hasValidChecksums()).isTrue();
    }

    @Test
    void icmpErrorAboutAFlowIsTranslatedInsideAndComesFromTheProxyAddress() {
        int n = table.translateOutbound(udp4(0x64600003, 5000, 53), now, out, 0, 2048);
        byte[] sent = Packets.bytes(out, 0, n);
        byte[] unreachable = Packets.ipv4(0, 7, 0, 64, Packets.ICMP, RESOLVED4_A, GATEWAY4, Packets.icmp(3, 3, 0, sent));

        int m = ports.translateInbound(Packets.parse(unreachable), now, out, 0, 2048);

        IpPacket error = Packets.parse(out, 0, m);
        assertThat(error.ipv4().source()).isEqualTo(0x64600003);
        assertThat(error.ipv4().destination()).isEqualTo(CLIENT4);
        assertThat(error.quoted().ipv4().source()).isEqualTo(CLIENT4);
        assertThat(error.quoted().ipv4().destination()).isEqualTo(0x64600003);
        assertThat(error.quoted().sourcePort()).isEqualTo(5000);
        assertThat(error.hasValidChecksums()).isTrue();
        assertThat(Packets.parse(Packets.bytes(out, error.quoted().offset(), error.quoted().lengthBytes()))
                .hasValidChecksums()).isTrue();
    }

    @Test
    void unansweredFlowExpiresExactly60SecondsAfterItsLastOutboundPacket() {
        table.translateOutbound(udp4(0x64600001, 5000, 53), now, out, 0, 2048);

        assertThat(table.pollTimeout()).isEqualTo(now + 60 * S);
        assertThat(table.pollTimeoutReason()).isEqualTo("unanswered flow expiry");
        table.handleTimeout(now + 60 * S - 1);
        assertThat(table.size()).isEqualTo(1);
        table.handleTimeout(now + 60 * S);
        assertThat(table.size()).isZero();
        assertThat(table.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void answeredUdpFlowExpiresTwoMinutesAfterItsLastPacket() {
        assertExpiresAfterReply(udp4(0x64600001, 5000, 53), Packets.parse(udpPacket(RESOLVED4_A, 53, GATEWAY4, 5000)),
                120 * S);
    }

    @Test
    void answeredTcpFlowExpiresTwoHoursFourMinutesAfterItsLastPacket() {
        assertExpiresAfterReply(tcp4(5000, 443, 0x02), tcpPacket(RESOLVED4_A, 443, GATEWAY4, 5000, 0x12),
                (2 * 3600 + 240) * S);
    }

    @Test
    void answeredEchoFlowExpiresTwoMinutesAfterItsLastPacket() {
        IpPacket request = Packets.parse(Packets.ipv4(0, 1, 0, 64, Packets.ICMP, CLIENT4, 0x64600001,
                Packets.icmp(8, 0, 0x00420001, new byte[8])));
        IpPacket reply = Packets.parse(Packets.ipv4(0, 1, 0, 64, Packets.ICMP, RESOLVED4_A, GATEWAY4,
                Packets.icmp(0, 0, 0x00420001, new byte[8])));

        assertExpiresAfterReply(request, reply, 120 * S);
    }

    @Test
    void finSeenBothWaysEndsTheFlowFiveSecondsLater() {
        table.translateOutbound(tcp4(5000, 443, 0x02), now, out, 0, 2048);
        ports.translateInbound(tcpPacket(RESOLVED4_A, 443, GATEWAY4, 5000, 0x12), now, out, 0, 2048);
        table.translateOutbound(tcp4(5000, 443, 0x11), now + S, out, 0, 2048);
        ports.translateInbound(tcpPacket(RESOLVED4_A, 443, GATEWAY4, 5000, 0x11), now + 2 * S, out, 0, 2048);
        table.translateOutbound(tcp4(5000, 443, 0x10), now + 3 * S, out, 0, 2048);

        assertThat(table.pollTimeout()).as("the last ACK does not extend it").isEqualTo(now + 7 * S);
        table.handleTimeout(now + 7 * S);
        assertThat(table.size()).isZero();
    }

    @Test
    void rstEndsTheFlowAtOnce() {
        table.translateOutbound(tcp4(5000, 443, 0x02), now, out, 0, 2048);

        int n = ports.translateInbound(tcpPacket(RESOLVED4_A, 443, GATEWAY4, 5000, 0x14), now, out, 0, 2048);

        assertThat(n).as("the RST itself is delivered").isPositive();
        assertThat(table.size()).isZero();
        assertThat(ports.size()).isZero();
    }

    @Test
    void reassigningAProxyAddressToAnotherDomainResetsItsFlows() {
        table.translateOutbound(udp4(0x64600001, 5000, 53), now, out, 0, 2048);
        table.translateOutbound(udp4(0x64600002, 5000, 53), now, out, 0, 2048);

        table.setDomain("other.example", List.of(v4(0x64600001)), List.of(v4(0x08080808)));

        assertThat(table.size()).as("only the flow through the moved address ends").isEqualTo(1);
        int n = table.translateOutbound(udp4(0x64600001, 5000, 53), now, out, 0, 2048);
        assertThat(Packets.parse(out, 0, n).ipv4().destination()).isEqualTo(0x08080808);
    }

    @Test
    void newFlowBeyondTheBoundIsRefusedAndCountedUntilAnExpiredOneIsReclaimed() {
        table = newTable("bob", NatConfig.defaults(GATEWAY4, GATEWAY6_HIGH, 1).withMaxFlows(2));
        table.setDomain("example.com", proxies(), List.of(v4(RESOLVED4_A)));
        table.translateOutbound(udp4(0x64600001, 1, 53), now, out, 0, 2048);
        table.translateOutbound(udp4(0x64600001, 2, 53), now + S, out, 0, 2048);

        int refused = table.translateOutbound(udp4(0x64600001, 3, 53), now + 2 * S, out, 0, 2048);
        int reclaimed = table.translateOutbound(udp4(0x64600001, 3, 53), now + 60 * S, out, 0, 2048);

        assertThat(DropReason.ofResult(refused)).isEqualTo(DropReason.TABLE_FULL);
        assertThat(table.dropCount(DropReason.TABLE_FULL)).isEqualTo(1);
        assertThat(reclaimed).isPositive();
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void twoClientsWithTheSamePortGetDistinctOutsidePortsAndTheirOwnReplies() {
        DnsNatTable bob = newTable("bob", NatConfig.defaults(GATEWAY4, GATEWAY6_HIGH, 1));
        bob.setDomain("example.com", proxies(), List.of(v4(RESOLVED4_A)));

        int a = table.translateOutbound(udp4(0x64600001, 5000, 53), now, out, 0, 2048);
        int alicePort = Packets.parse(out, 0, a).sourcePort();
        int b = bob.translateOutbound(udp4(0x64600001, 5000, 53), now, out, 0, 2048);
        int bobPort = Packets.parse(out, 0, b).sourcePort();
        ports.translateInbound(Packets.parse(udpPacket(RESOLVED4_A, 53, GATEWAY4, bobPort)), now, out, 0, 2048);

        assertThat(alicePort).isEqualTo(5000);
        assertThat(bobPort).isNotEqualTo(5000);
        assertThat(ports.lastTable()).isSameAs(bob);
    }

    @Test
    void packetToAnUnknownAddressIsDroppedWithAReason() {
        int result = table.translateOutbound(udp4(0x0A000001, 5000, 53), now, out, 0, 2048);

        assertThat(DropReason.ofResult(result)).isEqualTo(DropReason.UNKNOWN_PROXY_ADDRESS);
    }

    private void assertExpiresAfterReply(IpPacket outbound, IpPacket reply, long timeoutNs) {
        table.translateOutbound(outbound, now, out, 0, 2048);
        long replyAt = now + 10 * S;
        assertThat(ports.translateInbound(reply, replyAt, out, 0, 2048)).isPositive();

        assertThat(table.pollTimeout()).isEqualTo(replyAt + timeoutNs);
        table.handleTimeout(replyAt + timeoutNs - 1);
        assertThat(table.size()).isEqualTo(1);
        table.handleTimeout(replyAt + timeoutNs);
        assertThat(table.size()).isZero();
    }

    private DnsNatTable newTable(String client, NatConfig config) {
        return new DnsNatTable(client, config, ports, new SplittableRandom(client.hashCode()));
    }

    private static IpPacket udp4(int proxy, int sourcePort, int destinationPort) {
        return Packets.parse(udpPacket(CLIENT4, sourcePort, proxy, destinationPort));
    }

    private static IpPacket tcp4(int sourcePort, int destinationPort, int flags) {
        return Packets.parse(Packets.ipv4(0, 1, 0, 64, Packets.TCP, CLIENT4, 0x64600001,
                Packets.tcp(sourcePort, destinationPort, flags, new byte[0])));
    }

    private static IpPacket tcpPacket(int source, int sourcePort, int destination, int destinationPort, int flags) {
        return Packets.parse(Packets.ipv4(0, 1, 0, 64, Packets.TCP, source, destination,
                Packets.tcp(sourcePort, destinationPort, flags, new byte[0])));
    }

    private static byte[] udpPacket(int source, int sourcePort, int destination, int destinationPort) {
        return Packets.ipv4(0, 1, 0, 64, Packets.UDP, source, destination,
                Packets.udp(sourcePort, destinationPort, new byte[12]));
    }

    private static List<InetAddress> proxies() {
        return List.of(v4(0x64600001), v4(0x64600002), v4(0x64600003), v4(0x64600004), Addresses.toInet6(PROXY6_HIGH, 1),
                Addresses.toInet6(PROXY6_HIGH, 2), Addresses.toInet6(PROXY6_HIGH, 3), Addresses.toInet6(PROXY6_HIGH, 4));
    }

    private static InetAddress v4(int address) {
        return Addresses.toInet4(address);
    }
}
