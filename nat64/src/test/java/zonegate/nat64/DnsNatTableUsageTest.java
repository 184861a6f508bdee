package zonegate.nat64;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.packet.IpPacket;

/** What the gateway asks before it gives a domain's proxy addresses to another name: live flows and last use. */
class DnsNatTableUsageTest {
    private static final long S = 1_000_000_000L;
    private static final int GATEWAY4 = 0xCB007101;                       // 203.0.113.1
    private static final int CLIENT4 = 0x64400005;                        // 100.64.0.5
    private static final int PROXY4 = 0x64600001;                         // 100.96.0.1
    private static final int RESOLVED4 = 0xC6336401;                      // 198.51.100.1
    private final SharedPortSpace ports = new SharedPortSpace(1024, new SplittableRandom(3));
    private final DnsNatTable table = new DnsNatTable("alice", NatConfig.defaults(GATEWAY4, 0x2001_0DB8_FFFF_0000L, 1),
            ports, new SplittableRandom(4));
    private final ByteBuffer out = ByteBuffer.allocate(2048);
    private final long now = 1_000 * S;

    @Test
    void aDomainIsLiveWhileAFlowLastsAndRemembersItsLastPacketEitherWay() {
        table.setDomain("example.com", List.of(v4(PROXY4)), List.of(v4(RESOLVED4)));
        assertThat(table.hasLiveFlow("example.com")).isFalse();
        assertThat(table.lastPacketNs("example.com")).isEqualTo(Long.MIN_VALUE);

        table.translateOutbound(packet(CLIENT4, 5000, PROXY4, 53), now, out, 0, 2048);
        ports.translateInbound(packet(RESOLVED4, 53, GATEWAY4, 5000), now + 5 * S, out, 0, 2048);

        assertThat(table.hasLiveFlow("example.com")).isTrue();
        assertThat(table.lastPacketNs("example.com")).isEqualTo(now + 5 * S);
        table.handleTimeout(now + 5 * S + NatConfig.UDP_TIMEOUT_NS);
        assertThat(table.hasLiveFlow("example.com")).isFalse();
        assertThat(table.lastPacketNs("example.com")).isEqualTo(now + 5 * S);
    }

    @Test
    void aWithdrawnOrMovedProxyAddressForgetsItsUse() {
        table.setDomain("example.com", List.of(v4(PROXY4)), List.of(v4(RESOLVED4)));
        table.translateOutbound(packet(CLIENT4, 5000, PROXY4, 53), now, out, 0, 2048);

        table.setDomain("other.example", List.of(v4(PROXY4)), List.of(v4(RESOLVED4)));
        assertThat(table.hasLiveFlow("other.example")).isFalse();
        assertThat(table.lastPacketNs("other.example")).isEqualTo(Long.MIN_VALUE);

        table.translateOutbound(packet(CLIENT4, 5001, PROXY4, 53), now + S, out, 0, 2048);
        table.removeDomain("other.example");
        table.setDomain("example.com", List.of(v4(PROXY4)), List.of(v4(RESOLVED4)));
        assertThat(table.hasLiveFlow("example.com")).isFalse();
        assertThat(table.lastPacketNs("example.com")).isEqualTo(Long.MIN_VALUE);
        assertThat(table.size()).isZero();
    }

    private static IpPacket packet(int source, int sourcePort, int destination, int destinationPort) {
        return Packets.parse(Packets.ipv4(0, 1, 0, 64, Packets.UDP, source, destination,
                Packets.udp(sourcePort, destinationPort, new byte[12])));
    }

    private static InetAddress v4(int address) {
        return Addresses.toInet4(address);
    }
}
