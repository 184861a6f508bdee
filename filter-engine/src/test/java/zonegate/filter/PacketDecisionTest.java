package zonegate.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.filter.Fixtures.allow;
import static zonegate.filter.Fixtures.cidr;
import static zonegate.filter.Fixtures.dns;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;

/** The convenience entry points that take a parsed packet. */
class PacketDecisionTest {
    private final Fixtures f = new Fixtures();
    private final PacketParser parser = new PacketParser();

    @Test
    void decidesAParsedIpv4UdpPacketByItsDestinationPort() {
        f.set(allow(cidr("X", "10.0.0.0/8"), new Filter.Udp(53, 53)));

        assertThat(f.client.decide(udp4(10, 0, 0, 9, 53), 0, f.decision).isAllowed()).isTrue();
        Decision denied = f.client.decide(udp4(10, 0, 0, 9, 54), 0, f.decision);
        assertThat(denied.reason()).isEqualTo("UDP port 54 not allowed by resource X");
    }

    @Test
    void decidesAParsedPacketForADomain() {
        f.set(allow(dns("X", "*.example.com"), new Filter.Udp(53, 53)));
        DomainCandidates domain = f.client.domainCandidates("a.example.com");

        assertThat(f.client.decideDomain(udp4(100, 96, 0, 1, 53), domain, 0, f.decision).resourceId())
                .isEqualTo(ResourceId.of("X"));
    }

    /** A UDP/IPv4 packet from the client's tunnel address (100.64.0.7) to a.b.c.d:port. */
    private IpPacket udp4(int a, int b, int c, int d, int port) {
        byte[] p = new byte[28];
        p[0] = 0x45;
        p[3] = 28;
        p[8] = 64;
        p[9] = 17;
        p[12] = 100;
        p[13] = 64;
        p[15] = 7;
        p[16] = (byte) a;
        p[17] = (byte) b;
        p[18] = (byte) c;
        p[19] = (byte) d;
        p[20] = (byte) 0x9C;
        p[21] = 0x40;
        p[22] = (byte) (port >>> 8);
        p[23] = (byte) port;
        p[25] = 8;
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += (p[i] & 0xFF) << 8 | (p[i + 1] & 0xFF);
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = ~((sum & 0xFFFF) + (sum >>> 16)) & 0xFFFF;
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        return parser.parseOrNull(ByteBuffer.wrap(p), 0, p.length);
    }
}
