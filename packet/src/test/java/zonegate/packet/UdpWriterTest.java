package zonegate.packet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class UdpWriterTest {
    private final PacketParser parser = new PacketParser();
    private final ByteBuffer payload = ByteBuffer.wrap("hello, resolver".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    private final ByteBuffer out = ByteBuffer.allocate(1500);

    @Test
    void writesIpv4DatagramThatParsesBackWithValidChecksums() {
        int n = UdpWriter.writeIpv4(0x64646F01, 53, 0x64400002, 40001, payload, 0, payload.limit(), out, 4, 1400);

        IpPacket p = parser.parseOrNull(out, 4, n);
        assertThat(n).isEqualTo(28 + payload.limit());
        assertThat(p.hasValidChecksums()).isTrue();
        assertThat(p.udp().checksum()).isNotZero();
        assertThat(p.ipv4().source()).isEqualTo(0x64646F01);
        assertThat(p.udp().sourcePort()).isEqualTo(53);
        assertThat(p.udp().destinationPort()).isEqualTo(40001);
        assertThat(TestPackets.read(out, p.udp().payloadOffset(), p.udp().payloadLengthBytes())).isEqualTo(payload.array());
    }

    @Test
    void writesIpv6DatagramThatParsesBackWithValidChecksums() {
        int n = UdpWriter.writeIpv6(0xFD00_2021_1111_8000L, 1, 53, 0xFD00_2021_1111_0000L, 2, 40001, payload, 0,
                payload.limit(), out, 0, 1500);

        IpPacket p = parser.parseOrNull(out, 0, n);
        assertThat(n).isEqualTo(48 + payload.limit());
        assertThat(p.hasValidChecksums()).isTrue();
        assertThat(p.ipv6().destinationLow()).isEqualTo(2);
        assertThat(p.udp().datagramLengthBytes()).isEqualTo(8 + payload.limit());
    }

    @Test
    void refusesADatagramLargerThanTheCapacity() {
        assertThatThrownBy(() -> UdpWriter.writeIpv4(1, 1, 2, 2, payload, 0, payload.limit(), out, 0, 30))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
