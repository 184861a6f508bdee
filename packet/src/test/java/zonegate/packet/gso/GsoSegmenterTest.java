package zonegate.packet.gso;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.packet.gso.GsoPackets.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class GsoSegmenterTest {
    private final GsoSegmenter segmenter = new GsoSegmenter();
    private final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(14);

    @Test
    void tso4SuperPacketWithTimestampsBecomesMssSegmentsWithValidHeaders() {
        Flow flow = Flow.v4(1, timestamps(0x01020304, 0x0a0b0c0d));
        byte[] data = random(random, 10_000);
        byte[] superPacket = tcp(flow, 0x1000, 0xFFFF_F000, 77, ACK | PSH | FIN, 501, data);
        int mss = 1228;

        List<byte[]> segments = segment(superPacket, VirtioNetHeader.GSO_TCPV4, mss, 20 + 32);

        assertThat(segments).hasSize(9);
        for (int i = 0; i < segments.size(); i++) {
            byte[] s = segments.get(i);
            boolean last = i == segments.size() - 1;
            assertThat(s.length).isEqualTo(last ? 52 + 10_000 - 8 * mss : 52 + mss);
            assertThat(u16(s, 2)).as("total length").isEqualTo(s.length);
            assertThat(u16(s, 4)).as("id").isEqualTo(0x1000 + i);
            assertThat(ipv4ChecksumValid(s)).as("ip checksum %d", i).isTrue();
            assertThat(i32(s, 24)).as("seq").isEqualTo(0xFFFF_F000 + i * mss);
            assertThat(i32(s, 28)).as("ack").isEqualTo(77);
            assertThat(s[33] & 0xFF).as("flags").isEqualTo(last ? ACK | PSH | FIN : ACK);
            assertThat(read(s, 40, 12)).as("options").isEqualTo(timestamps(0x01020304, 0x0a0b0c0d));
            assertThat(transportChecksumValid(s)).as("tcp checksum %d", i).isTrue();
        }
        assertThat(concat(segments.stream().map(GsoPackets::payload).toList())).isEqualTo(data);
    }

    @Test
    void tso6SuperPacketBecomesSegmentsWithPayloadLengthsAndChecksums() {
        Flow flow = Flow.v6(2, new byte[0]);
        byte[] data = random(random, 4_001);
        byte[] superPacket = tcp(flow, 0, 5, 6, ACK | PSH, 100, data);

        List<byte[]> segments = segment(superPacket, VirtioNetHeader.GSO_TCPV6, 1000, 60);

        assertThat(segments).hasSize(5);
        for (int i = 0; i < segments.size(); i++) {
            byte[] s = segments.get(i);
            assertThat(u16(s, 4)).as("payload length").isEqualTo(s.length - 40);
            assertThat(i32(s, 44)).isEqualTo(5 + 1000 * i);
            assertThat(s[53] & PSH).isEqualTo(i == 4 ? PSH : 0);
            assertThat(transportChecksumValid(s)).as("tcp checksum %d", i).isTrue();
        }
        assertThat(segments.get(4).length).isEqualTo(61);
        assertThat(concat(segments.stream().map(GsoPackets::payload).toList())).isEqualTo(data);
    }

    @Test
    void usoSuperPacketsBecomeDatagramsOnBothVersions() {
        for (Flow flow : List.of(Flow.v4(3, new byte[0]), Flow.v6(3, new byte[0]))) {
            byte[] data = random(random, 3_000);
            byte[] superPacket = udp(flow, 9, data);
            int ipHeader = flow.version() == 4 ? 20 : 40;

            List<byte[]> segments = segment(superPacket, VirtioNetHeader.GSO_UDP_L4, 1200, ipHeader + 8);

            assertThat(segments).hasSize(3);
            for (byte[] s : segments) {
                assertThat(u16(s, ipHeader + 4)).as("udp length").isEqualTo(s.length - ipHeader);
                assertThat(ipv4ChecksumValid(s)).isTrue();
                assertThat(transportChecksumValid(s)).isTrue();
            }
            assertThat(segments.get(2).length).isEqualTo(ipHeader + 8 + 600);
            assertThat(concat(segments.stream().map(GsoPackets::payload).toList())).isEqualTo(data);
        }
    }

    @Test
    void hdrLenFromTheKernelIsIgnoredForTheRealHeaderLength() {
        byte[] superPacket = tcp(Flow.v4(4, timestamps(1, 2)), 1, 1, 1, ACK, 1, random(random, 3000));

        List<byte[]> segments = segment(superPacket, VirtioNetHeader.GSO_TCPV4, 1448, 20);

        assertThat(segments).hasSize(3);
        assertThat(segments).allSatisfy(s -> assertThat(transportChecksumValid(s)).isTrue());
    }

    @Test
    void ordinaryPacketWithPartialChecksumIsCompleted() {
        byte[] packet = tcp(Flow.v4(5, new byte[0]), 1, 1, 1, ACK, 1, random(random, 333));
        ByteBuffer b = withHeader(partial(packet), VirtioNetHeader.FLAG_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 20, 16);

        assertThat(segmenter.prepare(b, 0, VirtioNetHeader.BYTES, packet.length)).isEqualTo(1);
        ByteBuffer dst = ByteBuffer.allocateDirect(2048);
        int n = segmenter.writeSegment(0, dst, 0);

        assertThat(read(dst, 0, n)).isEqualTo(packet);
    }

    @Test
    void ordinaryPacketWithoutFlagsPassesUnchanged() {
        byte[] packet = udp(Flow.v6(6, new byte[0]), 0, random(random, 50));
        ByteBuffer b = withHeader(packet, 0, VirtioNetHeader.GSO_NONE, 0, 0, 0, 0);

        assertThat(segmenter.prepare(b, 0, VirtioNetHeader.BYTES, packet.length)).isEqualTo(1);
        ByteBuffer dst = ByteBuffer.allocateDirect(2048);

        assertThat(read(dst, 0, segmenter.writeSegment(0, dst, 0))).isEqualTo(packet);
    }

    @Test
    void inconsistentHeadersAreRejected() {
        byte[] v4 = tcp(Flow.v4(7, new byte[0]), 1, 1, 1, ACK, 1, random(random, 3000));

        assertThat(prepare(v4, VirtioNetHeader.GSO_TCPV4, 0, 20)).as("gso_size 0").isEqualTo(GsoSegmenter.MALFORMED);
        assertThat(prepare(v4, VirtioNetHeader.GSO_TCPV4, 1000, 24)).as("csum_start").isEqualTo(GsoSegmenter.MALFORMED);
        assertThat(prepare(v4, VirtioNetHeader.GSO_TCPV6, 1000, 20)).as("version").isEqualTo(GsoSegmenter.MALFORMED);
        assertThat(prepare(v4, VirtioNetHeader.GSO_UDP_L4, 1000, 20)).as("protocol").isEqualTo(GsoSegmenter.MALFORMED);
        assertThat(prepare(v4, 3, 1000, 20)).as("UFO").isEqualTo(GsoSegmenter.UNSUPPORTED);
        ByteBuffer outside = withHeader(v4, VirtioNetHeader.FLAG_NEEDS_CSUM, 0, 0, 0, 20, 4000);
        assertThat(segmenter.prepare(outside, 0, 10, v4.length)).as("csum offset").isEqualTo(GsoSegmenter.MALFORMED);
    }

    @Test
    void segmentTooLargeForTheDestinationIsRefused() {
        byte[] superPacket = tcp(Flow.v4(8, new byte[0]), 1, 1, 1, ACK, 1, random(random, 3000));
        assertThat(prepare(superPacket, VirtioNetHeader.GSO_TCPV4, 1400, 20)).isEqualTo(3);

        assertThat(segmenter.writeSegment(0, ByteBuffer.allocateDirect(1000), 0)).isEqualTo(-1);
    }

    @Test
    void randomSuperPacketsKeepTheirPayloadAndValidChecksums() {
        for (int n = 0; n < 500; n++) {
            boolean v6 = random.nextBoolean();
            boolean udp = random.nextInt(4) == 0;
            byte[] options = random.nextBoolean() ? timestamps(random.nextInt(), random.nextInt()) : new byte[0];
            Flow flow = v6 ? Flow.v6(n & 0xFF, options) : Flow.v4(n & 0xFF, options);
            int headers = (v6 ? 40 : 20) + (udp ? 8 : 20 + options.length);
            byte[] data = random(random, 1 + random.nextInt(65_535 - headers));
            int mss = 1 + random.nextInt(1400);
            if (data.length / mss > 2000) {
                mss = data.length / 2000 + 1;
            }
            byte[] superPacket = udp ? GsoPackets.udp(flow, random.nextInt(0x10000), data)
                    : tcp(flow, random.nextInt(0x10000), random.nextInt(), random.nextInt(), ACK, 1, data);
            int type = udp ? VirtioNetHeader.GSO_UDP_L4 : v6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4;

            List<byte[]> segments = segment(superPacket, type, mss, headers);

            assertThat(segments).hasSize((data.length + mss - 1) / mss);
            for (byte[] s : segments) {
                assertThat(ipv4ChecksumValid(s) && transportChecksumValid(s)).as("case %d", n).isTrue();
            }
            assertThat(concat(segments.stream().map(GsoPackets::payload).toList())).as("case %d", n).isEqualTo(data);
        }
    }

    private int prepare(byte[] superPacket, int gsoType, int gsoSize, int csumStart) {
        ByteBuffer b = withHeader(partial(superPacket), VirtioNetHeader.FLAG_NEEDS_CSUM, gsoType, csumStart, gsoSize,
                csumStart, 16);
        return segmenter.prepare(b, 0, VirtioNetHeader.BYTES, superPacket.length);
    }

    private List<byte[]> segment(byte[] superPacket, int gsoType, int gsoSize, int hdrLen) {
        int ipHeader = ipHeaderBytes(superPacket);
        int csumOffset = gsoType == VirtioNetHeader.GSO_UDP_L4 ? 6 : 16;
        ByteBuffer b = withHeader(partial(superPacket), VirtioNetHeader.FLAG_NEEDS_CSUM, gsoType, hdrLen, gsoSize,
                ipHeader, csumOffset);
        int count = segmenter.prepare(b, 0, VirtioNetHeader.BYTES, superPacket.length);
        assertThat(count).isPositive();
        List<byte[]> out = new ArrayList<>();
        ByteBuffer dst = ByteBuffer.allocateDirect(2048);
        for (int i = 0; i < count; i++) {
            int n = segmenter.writeSegment(i, dst, 3);
            assertThat(n).isPositive().isLessThanOrEqualTo(segmenter.maxSegmentBytes());
            out.add(read(dst, 3, n));
        }
        return out;
    }
}
