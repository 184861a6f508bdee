package zonegate.packet.gso;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.packet.gso.GsoPackets.*;

import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class UdpCoalescerTest {
    private final UdpCoalescer coalescer = new UdpCoalescer();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(FlowCoalescer.BUFFER_BYTES);
    private final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(1717);
    private final Flow flow = Flow.v4(1, new byte[0]);

    @Test
    void datagramsOfOneFlowBecomeOneUsoSuperPacketWithAPartialChecksum() {
        byte[] a = udp(flow, 1, random(random, 1000));
        byte[] b = udp(flow, 2, random(random, 1000));
        byte[] c = udp(flow, 3, random(random, 300));

        assertThat(begin(a)).isTrue();
        assertThat(append(b)).isTrue();
        assertThat(append(c)).as("a shorter last one").isTrue();
        assertThat(coalescer.isOpen()).as("ended by the shorter one").isFalse();
        int bytes = coalescer.finish();

        assertThat(bytes).isEqualTo(VirtioNetHeader.BYTES + 28 + 2300);
        assertThat(VirtioNetHeader.gsoType(scratch, 0)).isEqualTo(VirtioNetHeader.GSO_UDP_L4);
        assertThat(VirtioNetHeader.gsoSize(scratch, 0)).isEqualTo(1000);
        assertThat(VirtioNetHeader.hdrLen(scratch, 0)).isEqualTo(28);
        assertThat(VirtioNetHeader.csumStart(scratch, 0)).isEqualTo(20);
        assertThat(VirtioNetHeader.csumOffset(scratch, 0)).isEqualTo(6);
        assertThat(VirtioNetHeader.flags(scratch, 0)).isEqualTo(VirtioNetHeader.FLAG_NEEDS_CSUM);
        byte[] p = read(scratch, VirtioNetHeader.BYTES, bytes - VirtioNetHeader.BYTES);
        assertThat(u16(p, 2)).isEqualTo(28 + 2300);
        assertThat(ipv4ChecksumValid(p)).isTrue();
        assertThat(u16(p, 24)).as("UDP length of the whole").isEqualTo(8 + 2300);
        assertThat(u16(p, 26)).as("partial checksum = pseudo-header sum").isEqualTo((int) fold(pseudo(p)));
    }

    @Test
    void aLongerDatagramAnotherFlowABadOrMissingChecksumOrNoPayloadDoNotJoin() {
        begin(udp(flow, 1, random(random, 500)));

        assertThat(append(udp(flow, 2, random(random, 501)))).as("longer").isFalse();
        assertThat(append(udp(new Flow(4, flow.source(), flow.destination(), flow.sourcePort() + 1,
                flow.destinationPort(), new byte[0]), 2, random(random, 500)))).as("other port").isFalse();
        byte[] corrupt = udp(flow, 2, random(random, 500));
        corrupt[40] ^= 1;
        assertThat(append(corrupt)).as("bad checksum").isFalse();
        byte[] unchecked = udp(flow, 2, random(random, 500));
        put16(unchecked, 26, 0);
        assertThat(append(unchecked)).as("no checksum").isFalse();
        assertThat(append(udp(flow, 2, new byte[0]))).as("no payload").isFalse();
        assertThat(append(udp(flow, 2, random(random, 500)))).as("the same size").isTrue();
    }

    @Test
    void fragmentsAndDatagramsWithoutPayloadNeverStartOne() {
        byte[] fragment = udp(flow, 1, random(random, 500));
        fragment[6] |= 0x20;
        fixChecksums(fragment, 6);

        assertThat(begin(fragment)).isFalse();
        assertThat(coalescer.finish()).isEqualTo(VirtioNetHeader.BYTES + fragment.length);
        assertThat(VirtioNetHeader.gsoType(scratch, 0)).isEqualTo(VirtioNetHeader.GSO_NONE);
        assertThat(begin(udp(flow, 1, new byte[0]))).isFalse();
    }

    @Test
    void ipv6DatagramsJoinAndSetThePayloadLength() {
        Flow v6 = Flow.v6(2, new byte[0]);
        begin(udp(v6, 0, random(random, 1200)));
        append(udp(v6, 0, random(random, 1200)));

        int bytes = coalescer.finish();

        byte[] p = read(scratch, VirtioNetHeader.BYTES, bytes - VirtioNetHeader.BYTES);
        assertThat(u16(p, 4)).isEqualTo(8 + 2400);
        assertThat(VirtioNetHeader.csumStart(scratch, 0)).isEqualTo(40);
        assertThat(u16(p, 46)).isEqualTo((int) fold(pseudo(p)));
    }

    private boolean begin(byte[] packet) {
        return coalescer.begin(scratch, 0, ByteBuffer.wrap(packet), 0, packet.length);
    }

    private boolean append(byte[] packet) {
        return coalescer.append(ByteBuffer.wrap(packet), 0, packet.length);
    }
}
