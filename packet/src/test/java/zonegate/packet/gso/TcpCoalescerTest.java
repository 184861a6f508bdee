package zonegate.packet.gso;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.packet.gso.GsoPackets.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class TcpCoalescerTest {
    private static final int SCRATCH = VirtioNetHeader.BYTES + TcpCoalescer.MAX_PACKET_BYTES;

    private final TcpCoalescer coalescer = new TcpCoalescer();
    private final GsoSegmenter segmenter = new GsoSegmenter();
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(SCRATCH);
    private final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(1624);

    @Test
    void contiguousSegmentsOfOneFlowBecomeOneTsoSuperPacket() {
        Flow flow = Flow.v4(1, timestamps(7, 8));
        List<byte[]> in = stream(flow, 100, 1000, 5, 1000, 400);
        byte[] last = in.get(4);
        last[33] |= PSH;
        fixChecksums(last, 16);

        List<Output> out = coalesce(in);

        assertThat(out).hasSize(1);
        Output o = out.get(0);
        assertThat(o.segments).isEqualTo(5);
        assertThat(o.flags).isEqualTo(VirtioNetHeader.FLAG_NEEDS_CSUM);
        assertThat(o.gsoType).isEqualTo(VirtioNetHeader.GSO_TCPV4);
        assertThat(o.gsoSize).isEqualTo(1000);
        assertThat(o.hdrLen).isEqualTo(52);
        assertThat(o.csumStart).isEqualTo(20);
        assertThat(o.csumOffset).isEqualTo(16);
        byte[] p = o.packet;
        assertThat(u16(p, 2)).isEqualTo(52 + 4400);
        assertThat(ipv4ChecksumValid(p)).isTrue();
        assertThat(p[33] & 0xFF).isEqualTo(ACK | PSH);
        assertThat(u16(p, 36)).as("partial checksum = pseudo-header sum").isEqualTo((int) fold(pseudo(p)));
        assertThat(payload(p)).isEqualTo(concat(in.stream().map(GsoPackets::payload).toList()));
    }

    @Test
    void ipv6SegmentsCoalesceAndResegmentIntoTheOriginals() {
        Flow flow = Flow.v6(2, new byte[0]);
        List<byte[]> in = stream(flow, 0, 1220, 4, 1220, 1220);

        List<Output> out = coalesce(in);

        assertThat(out).hasSize(1);
        assertThat(out.get(0).gsoType).isEqualTo(VirtioNetHeader.GSO_TCPV6);
        assertThat(u16(out.get(0).packet, 4)).isEqualTo(20 + 4 * 1220);
        assertThat(resegment(out)).containsExactlyElementsOf(in);
    }

    @Test
    void packetsThatCannotJoinPassUnchangedAndInOrder() {
        Flow a = Flow.v4(3, new byte[0]);
        Flow b = Flow.v4(4, new byte[0]);
        List<byte[]> in = new ArrayList<>();
        in.add(tcp(a, 1, 1000, 1, ACK, 9, random(random, 500)));
        in.add(tcp(b, 1, 1500, 1, ACK, 9, random(random, 500)));          // other flow
        in.add(tcp(a, 2, 1500, 1, ACK, 9, random(random, 500)));          // not after its predecessor
        in.add(tcp(a, 3, 9999, 1, ACK, 9, random(random, 500)));          // sequence gap
        in.add(tcp(a, 4, 10499, 2, ACK, 9, random(random, 500)));         // other ack
        in.add(tcp(a, 5, 10999, 2, ACK, 10, random(random, 500)));        // other window
        in.add(tcp(a, 6, 11499, 2, ACK | FIN, 10, random(random, 500)));  // FIN
        in.add(tcp(a, 7, 11999, 2, ACK, 10, new byte[0]));                // pure ACK
        in.add(udp(a, 8, random(random, 500)));                           // UDP
        byte[] corrupt = tcp(a, 9, 11999, 2, ACK, 10, random(random, 500));
        corrupt[100] ^= 1;
        in.add(corrupt);                                                  // bad checksum

        List<Output> out = coalesce(in);

        assertThat(out).hasSize(in.size());
        for (int i = 0; i < in.size(); i++) {
            assertThat(out.get(i).segments).isEqualTo(1);
            assertThat(out.get(i).gsoType).isEqualTo(VirtioNetHeader.GSO_NONE);
            assertThat(out.get(i).flags).isZero();
            assertThat(out.get(i).packet).as("packet %d", i).isEqualTo(in.get(i));
        }
    }

    @Test
    void aSmallerSegmentEndsTheSuperPacketAndALargerOneStartsANewOne() {
        Flow flow = Flow.v4(5, new byte[0]);
        List<byte[]> in = List.of(
                tcp(flow, 1, 0, 1, ACK, 1, random(random, 1000)),
                tcp(flow, 2, 1000, 1, ACK, 1, random(random, 600)),
                tcp(flow, 3, 1600, 1, ACK, 1, random(random, 600)),
                tcp(flow, 4, 2200, 1, ACK, 1, random(random, 900)),
                tcp(flow, 5, 3100, 1, ACK, 1, random(random, 100)));

        List<Output> out = coalesce(in);

        assertThat(out).extracting(o -> o.segments).containsExactly(2, 1, 2);
        assertThat(resegment(out)).containsExactlyElementsOf(in);
    }

    @Test
    void differentOptionsDoNotJoin() {
        Flow first = Flow.v4(6, timestamps(1, 2));
        Flow later = Flow.v4(6, timestamps(2, 2));

        List<Output> out = coalesce(List.of(tcp(first, 1, 0, 1, ACK, 1, random(random, 100)),
                tcp(later, 2, 100, 1, ACK, 1, random(random, 100))));

        assertThat(out).hasSize(2);
    }

    @Test
    void superPacketStopsAt64KiB() {
        Flow flow = Flow.v4(7, new byte[0]);
        List<byte[]> in = stream(flow, 0, 1400, 60, 1400, 1400);

        List<Output> out = coalesce(in);

        assertThat(out).hasSize(2);
        assertThat(out.get(0).packet.length).isLessThanOrEqualTo(TcpCoalescer.MAX_PACKET_BYTES);
        assertThat(out.get(0).segments).isEqualTo((TcpCoalescer.MAX_PACKET_BYTES - 40) / 1400);
        assertThat(resegment(out)).containsExactlyElementsOf(in);
    }

    @Test
    void segmentingWhatWasCoalescedGivesBackEveryPacketInOrder() {
        for (int n = 0; n < 300; n++) {
            List<byte[]> in = randomInterleavedFlows(random);

            List<Output> out = coalesce(in);

            assertThat(out.stream().mapToInt(o -> o.segments).sum()).isEqualTo(in.size());
            for (Output o : out) {
                if (o.segments > 1) {
                    byte[] whole = o.packet.clone();
                    put16(whole, ipHeaderBytes(whole) + 16, 0);
                    put16(whole, ipHeaderBytes(whole) + 16, ~refSum(whole, ipHeaderBytes(whole),
                            whole.length - ipHeaderBytes(whole), pseudo(whole)) & 0xFFFF);
                    assertThat(u16(o.packet, ipHeaderBytes(whole) + 16)).isEqualTo((int) fold(pseudo(o.packet)));
                }
            }
            assertThat(resegment(out)).as("case %d", n).containsExactlyElementsOf(in);
        }
    }

    /** Runs of a few flows' segments, with now and then a PSH, a short segment, a pure ACK or a UDP packet. */
    private static List<byte[]> randomInterleavedFlows(RandomGenerator r) {
        int flows = 1 + r.nextInt(3);
        Flow[] flow = new Flow[flows];
        int[] seq = new int[flows];
        int[] id = new int[flows];
        int[] mss = new int[flows];
        for (int f = 0; f < flows; f++) {
            byte[] options = r.nextBoolean() ? timestamps(r.nextInt(), r.nextInt()) : new byte[0];
            flow[f] = r.nextBoolean() ? Flow.v4(f, options) : Flow.v6(f, options);
            seq[f] = r.nextInt();
            id[f] = r.nextInt(0x10000);
            mss[f] = 200 + r.nextInt(1200);
        }
        List<byte[]> out = new ArrayList<>();
        int total = 1 + r.nextInt(120);
        while (out.size() < total) {
            int f = r.nextInt(flows);
            int run = 1 + r.nextInt(20);
            for (int k = 0; k < run && out.size() < total; k++) {
                int kind = r.nextInt(20);
                if (kind == 0) {
                    out.add(udp(flow[f], id[f]++ & 0xFFFF, random(r, 1 + r.nextInt(1000))));
                    continue;
                }
                int length = kind == 1 ? 0 : kind == 2 ? 1 + r.nextInt(mss[f]) : mss[f];
                int flags = ACK | (kind == 3 ? PSH : 0);
                out.add(tcp(flow[f], id[f]++ & 0xFFFF, seq[f], 42, flags, 1000, random(r, length)));
                seq[f] += length;
            }
        }
        return out;
    }

    private List<byte[]> stream(Flow flow, int sequence, int mss, int count, int firstLength, int lastLength) {
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int length = i == 0 ? firstLength : i == count - 1 ? lastLength : mss;
            packets.add(tcp(flow, 100 + i, sequence, 1, ACK, 64, random(random, length)));
            sequence += length;
        }
        return packets;
    }

    private record Output(int segments, int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset,
                          byte[] packet, byte[] withHeader) {
    }

    /** What a TUN writer does with a batch: begin, append while possible, finish, write. */
    private List<Output> coalesce(List<byte[]> in) {
        List<ByteBuffer> buffers = in.stream().map(p -> {
            ByteBuffer b = ByteBuffer.allocateDirect(p.length + 8);
            b.put(4, p);
            return b;
        }).toList();
        List<Output> out = new ArrayList<>();
        int i = 0;
        while (i < in.size()) {
            boolean open = coalescer.begin(scratch, 0, buffers.get(i), 4, in.get(i).length);
            int j = i + 1;
            while (open && j < in.size() && coalescer.append(buffers.get(j), 4, in.get(j).length)) {
                j++;
            }
            int bytes = coalescer.finish();
            assertThat(coalescer.segments()).isEqualTo(j - i);
            out.add(new Output(coalescer.segments(), VirtioNetHeader.flags(scratch, 0), VirtioNetHeader.gsoType(scratch, 0),
                    VirtioNetHeader.hdrLen(scratch, 0), VirtioNetHeader.gsoSize(scratch, 0),
                    VirtioNetHeader.csumStart(scratch, 0), VirtioNetHeader.csumOffset(scratch, 0),
                    read(scratch, VirtioNetHeader.BYTES, bytes - VirtioNetHeader.BYTES), read(scratch, 0, bytes)));
            i = j;
        }
        return out;
    }

    private List<byte[]> resegment(List<Output> outputs) {
        List<byte[]> packets = new ArrayList<>();
        ByteBuffer dst = ByteBuffer.allocateDirect(2048);
        for (Output o : outputs) {
            ByteBuffer b = ByteBuffer.allocateDirect(o.withHeader.length);
            b.put(0, o.withHeader);
            int count = segmenter.prepare(b, 0, VirtioNetHeader.BYTES, o.packet.length);
            assertThat(count).isEqualTo(o.segments);
            for (int i = 0; i < count; i++) {
                packets.add(read(dst, 0, segmenter.writeSegment(i, dst, 0)));
            }
        }
        return packets;
    }
}
