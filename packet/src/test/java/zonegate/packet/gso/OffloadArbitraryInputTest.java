package zonegate.packet.gso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

/** Arbitrary bytes never throw: a random virtio_net_hdr before random (or mangled real) packets. */
class OffloadArbitraryInputTest {
    private final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(0x6f);

    @Test
    void segmenterTakesArbitraryHeadersAndPacketsWithoutThrowing() {
        GsoSegmenter segmenter = new GsoSegmenter();
        ByteBuffer dst = ByteBuffer.allocateDirect(2048);
        for (int n = 0; n < 20_000; n++) {
            byte[] packet = candidate(n);
            ByteBuffer b = ByteBuffer.allocateDirect(VirtioNetHeader.BYTES + packet.length);
            byte[] header = GsoPackets.random(random, VirtioNetHeader.BYTES);
            if (random.nextBoolean()) {
                header[1] = (byte) new int[] {0, 1, 4, 5, 3, 0x81}[random.nextInt(6)];
                header[4] = (byte) random.nextInt(256);
                header[5] = (byte) random.nextInt(8);
                header[6] = (byte) (random.nextBoolean() ? 20 : 40);
                header[7] = 0;
            }
            b.put(0, header).put(VirtioNetHeader.BYTES, packet);
            int index = n;
            assertThatCode(() -> {
                int count = segmenter.prepare(b, 0, VirtioNetHeader.BYTES, packet.length);
                for (int i = 0; i < Math.min(count, 64); i++) {
                    int length = segmenter.writeSegment(i, dst, 0);
                    assertThat(length).isLessThanOrEqualTo(segmenter.maxSegmentBytes());
                }
            }).as("case %d", index).doesNotThrowAnyException();
        }
    }

    @Test
    void coalescerTakesArbitraryPacketsWithoutThrowing() {
        TcpCoalescer coalescer = new TcpCoalescer();
        ByteBuffer out = ByteBuffer.allocateDirect(VirtioNetHeader.BYTES + TcpCoalescer.MAX_PACKET_BYTES);
        for (int n = 0; n < 5_000; n++) {
            byte[] first = candidate(n);
            ByteBuffer a = ByteBuffer.allocateDirect(first.length).put(0, first);
            int index = n;
            assertThatCode(() -> {
                coalescer.begin(out, 0, a, 0, first.length);
                for (int k = 0; k < 4; k++) {
                    byte[] next = candidate(index + k);
                    coalescer.append(ByteBuffer.allocateDirect(next.length).put(0, next), 0, next.length);
                }
                assertThat(coalescer.finish()).isBetween(VirtioNetHeader.BYTES, out.capacity());
            }).as("case %d", index).doesNotThrowAnyException();
        }
    }

    /** Random bytes, or a real TCP/UDP packet with a few bytes flipped or cut short. */
    private byte[] candidate(int n) {
        if (n % 3 == 0) {
            return GsoPackets.random(random, 1 + random.nextInt(200));
        }
        GsoPackets.Flow flow = random.nextBoolean() ? GsoPackets.Flow.v4(1, new byte[0])
                : GsoPackets.Flow.v6(1, GsoPackets.timestamps(1, 2));
        byte[] p = random.nextBoolean()
                ? GsoPackets.tcp(flow, 1, random.nextInt(), 1, GsoPackets.ACK, 1, GsoPackets.random(random, random.nextInt(3000)))
                : GsoPackets.udp(flow, 1, GsoPackets.random(random, random.nextInt(3000)));
        for (int flips = random.nextInt(4); flips > 0; flips--) {
            p[random.nextInt(Math.min(p.length, 80))] ^= (byte) (1 << random.nextInt(8));
        }
        if (random.nextInt(4) == 0) {
            p = java.util.Arrays.copyOf(p, 1 + random.nextInt(p.length));
        }
        return p;
    }
}
