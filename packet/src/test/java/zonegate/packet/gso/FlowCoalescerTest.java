package zonegate.packet.gso;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.packet.gso.GsoPackets.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;
import org.junit.jupiter.api.Test;

class FlowCoalescerTest {
    private final GsoSegmenter segmenter = new GsoSegmenter();
    private final RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom").create(1414);

    @Test
    void interleavedSegmentsOfFourFlowsJoinTheirOwnSuperPackets() {
        Flow[] flows = {Flow.v4(1, timestamps(1, 2)), Flow.v4(2, new byte[0]), Flow.v6(3, new byte[0]),
                Flow.v6(4, timestamps(3, 4))};
        List<Packet> in = new ArrayList<>();
        int[] seq = new int[4];
        for (int k = 0; k < 8; k++) {
            for (int f = 0; f < 4; f++) {
                in.add(new Packet(f, tcp(flows[f], k, seq[f], 7, ACK, 100, random(random, 1000))));
                seq[f] += 1000;
            }
        }

        Run run = coalesce(8, in, 0);

        assertThat(run.frames).extracting(Frame::segments).containsExactly(8, 8, 8, 8);
        assertThat(run.frames).extracting(f -> f.ids[0]).containsExactly(0, 1, 2, 3);
        assertProperties(in, run);
    }

    @Test
    void withOneFlowOnlyNeighboursJoin() {
        Flow a = Flow.v4(1, new byte[0]);
        Flow b = Flow.v4(2, new byte[0]);
        List<Packet> in = List.of(new Packet(0, tcp(a, 1, 0, 7, ACK, 100, random(random, 1000))),
                new Packet(0, tcp(a, 2, 1000, 7, ACK, 100, random(random, 1000))),
                new Packet(1, tcp(b, 1, 0, 7, ACK, 100, random(random, 1000))),
                new Packet(0, tcp(a, 3, 2000, 7, ACK, 100, random(random, 1000))));

        Run run = coalesce(1, in, 0);

        assertThat(run.frames).extracting(Frame::segments).containsExactly(2, 1, 1);
        assertProperties(in, run);
    }

    @Test
    void aPacketThatCannotJoinGoesOutAfterItsFlowsEarlierSegmentsAndUdpDoesNotWait() {
        Flow a = Flow.v4(1, new byte[0]);
        Flow b = Flow.v4(2, new byte[0]);
        List<Packet> in = List.of(
                new Packet(0, tcp(a, 1, 0, 7, ACK, 100, random(random, 1000))),
                new Packet(1, tcp(b, 1, 0, 7, ACK, 100, random(random, 1000))),
                new Packet(0, tcp(a, 2, 1000, 7, ACK, 100, random(random, 1000))),
                new Packet(2, udp(a, 9, random(random, 300))),
                new Packet(0, tcp(a, 3, 2000, 7, ACK, 100, new byte[0])),               // pure ACK
                new Packet(1, tcp(b, 2, 1000, 7, ACK, 100, random(random, 1000))),
                new Packet(0, tcp(a, 4, 2000, 7, ACK | FIN, 100, random(random, 10))));

        Run run = coalesce(8, in, 0);

        assertThat(run.frames).extracting(f -> List.of(Arrays.stream(f.ids).boxed().toArray()))
                .containsExactly(List.of(3), List.of(0, 2), List.of(4), List.of(6), List.of(1, 5));
        assertProperties(in, run);
    }

    @Test
    void aSegmentOfOneFlowTooManyHasTheOldestSuperPacketWritten() {
        List<Packet> in = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            for (int f = 0; f < 3; f++) {
                in.add(new Packet(f, tcp(Flow.v4(f, new byte[0]), k, k * 500, 7, ACK, 100, random(random, 500))));
            }
        }

        Run run = coalesce(2, in, 0);

        assertThat(run.frames).extracting(f -> f.ids[0]).containsExactly(0, 1, 2, 3, 4, 5);
        assertProperties(in, run);
    }

    @Test
    void flowsBetweenTheSameAddressesAreToldApartByTheirPorts() {
        Flow a = Flow.v4(1, new byte[0]);
        Flow b = new Flow(4, a.source(), a.destination(), a.sourcePort() + 1, a.destinationPort(), new byte[0]);
        List<Packet> in = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            in.add(new Packet(0, tcp(a, k, k * 800, 7, ACK, 100, random(random, 800))));
            in.add(new Packet(1, tcp(b, k, k * 800, 7, ACK, 100, random(random, 800))));
        }

        Run run = coalesce(8, in, 0);

        assertThat(run.frames).extracting(Frame::segments).containsExactly(4, 4);
        assertProperties(in, run);
    }

    @Test
    void tcpWhosePortsCannotBeReadGoesOutAfterEverySuperPacketBetweenItsAddresses() {
        Flow a = Flow.v6(1, new byte[0]);
        Flow b = Flow.v6(2, new byte[0]);
        Flow c = Flow.v4(3, new byte[0]);
        Flow d = Flow.v4(4, new byte[0]);
        byte[] fragment = tcp(c, 2, 500, 7, ACK, 100, random(random, 500));
        fragment[6] |= 0x20;                                                       // more fragments
        fixChecksums(fragment, 16);
        List<Packet> in = List.of(
                new Packet(0, tcp(a, 1, 0, 7, ACK, 100, random(random, 500))),
                new Packet(1, tcp(b, 1, 0, 7, ACK, 100, random(random, 500))),
                new Packet(2, tcp(c, 1, 0, 7, ACK, 100, random(random, 500))),
                new Packet(3, tcp(d, 1, 0, 7, ACK, 100, random(random, 500))),
                new Packet(0, withDestinationOptions(tcp(a, 2, 500, 7, ACK, 100, random(random, 500)))),
                new Packet(2, fragment));

        Run run = coalesce(8, in, 0);

        assertThat(run.frames).extracting(f -> f.ids[0]).containsExactly(0, 4, 2, 5, 1, 3);
        assertProperties(in, run);
    }

    @Test
    void randomInterleavingsOfUpToEightFlowsKeepEachFlowsOrderAndEveryByte() {
        for (int n = 0; n < 400; n++) {
            List<Packet> in = randomInterleavedFlows(random);
            int flows = 1 + random.nextInt(8);

            Run run = coalesce(flows, in, 0);

            assertProperties(in, run);
        }
    }

    @Test
    void withUdpOnRandomInterleavingsKeepEachFlowsOrderAndEveryByteAndJoinDatagrams() {
        int joined = 0;
        for (int n = 0; n < 400; n++) {
            List<Packet> in = randomInterleavedFlows(random, true);

            Run run = coalesce(1 + random.nextInt(8), in, n % 2 == 0 ? 0 : 4, true);

            assertProperties(in, run);
            joined += (int) run.frames.stream().filter(f -> f.segments() > 1 && in.get(f.ids[0]).flow >= 8).count();
        }
        assertThat(joined).as("UDP super-packets").isGreaterThan(100);
    }

    @Test
    void datagramsOfOneUdpFlowJoinUpToAShorterOneAndOtherProtocolsDoNotWait() {
        Flow a = Flow.v4(1, new byte[0]);
        Flow b = Flow.v6(2, new byte[0]);
        List<Packet> in = List.of(
                new Packet(0, udp(a, 1, random(random, 1200))),
                new Packet(1, udp(b, 1, random(random, 900))),
                new Packet(0, udp(a, 2, random(random, 1200))),
                new Packet(2, tcp(a, 3, 0, 7, ACK, 100, random(random, 1000))),
                new Packet(1, udp(b, 2, random(random, 900))),
                new Packet(0, udp(a, 3, random(random, 700))),                     // shorter: ends A's
                new Packet(0, udp(a, 4, random(random, 1200))),
                new Packet(1, udp(b, 3, random(random, 1000))));                   // longer: cannot join B's

        Run run = coalesce(8, in, 0, true);

        assertThat(run.frames).extracting(f -> List.of(Arrays.stream(f.ids).boxed().toArray()))
                .containsExactly(List.of(0, 2, 5), List.of(1, 4), List.of(3), List.of(6), List.of(7));
        assertProperties(in, run);
    }

    @Test
    void withoutUdpCoalescingDatagramsGoOutAlone() {
        Flow a = Flow.v4(1, new byte[0]);
        List<Packet> in = List.of(new Packet(0, udp(a, 1, random(random, 500))),
                new Packet(0, udp(a, 2, random(random, 500))));

        assertThat(coalesce(8, in, 0, false).frames).extracting(Frame::segments).containsExactly(1, 1);
        assertThat(coalesce(8, in, 0, true).frames).extracting(Frame::segments).containsExactly(2);
    }

    @Test
    void aUdpSuperPacketHoldsAtMostSixtyFourDatagrams() {
        Flow a = Flow.v4(1, new byte[0]);
        List<Packet> in = new ArrayList<>();
        for (int k = 0; k < 70; k++) {
            in.add(new Packet(0, udp(a, k, random(random, 100))));
        }

        Run run = coalesce(8, in, 0, true);

        assertThat(run.frames).extracting(Frame::segments).containsExactly(UdpCoalescer.MAX_SEGMENTS, 6);
        assertProperties(in, run);
    }

    @Test
    void moreOpenFlowsNeverMeanMoreFramesThanJoiningNeighboursOnly() {
        for (int n = 0; n < 200; n++) {
            List<Packet> in = randomInterleavedFlows(random);

            int neighbours = coalesce(1, in, 0).frames.size();
            int eight = coalesce(8, in, 0).frames.size();

            assertThat(eight).as("case %d", n).isLessThanOrEqualTo(neighbours);
        }
    }

    @Test
    void aRefusedFrameLeavesTheRestToBeAddedAgainWithoutBreakingAnyFlowsOrder() {
        for (int n = 0; n < 300; n++) {
            List<Packet> in = randomInterleavedFlows(random);

            Run run = coalesce(1 + random.nextInt(8), in, 4);

            assertProperties(in, run);
        }
    }

    @Test
    void withThinningARunOfPureAcksOfAFlowLeavesItsLastOnly() {
        Flow a = Flow.v4(1, timestamps(5, 6));
        Flow b = Flow.v6(2, new byte[0]);
        List<Packet> in = List.of(
                new Packet(0, tcp(a, 1, 7, 1000, ACK, 100, new byte[0])),
                new Packet(0, tcp(a, 2, 7, 3000, ACK, 100, new byte[0])),
                new Packet(1, tcp(b, 1, 7, 0xFFFF_FF00, ACK, 100, new byte[0])),
                new Packet(0, tcp(a, 3, 7, 5000, ACK, 90, new byte[0])),
                new Packet(1, tcp(b, 2, 7, 0x100, ACK, 100, new byte[0])),        // past 2^32: still more
                new Packet(0, tcp(a, 4, 7, 7000, ACK, 80, new byte[0])));

        Run run = coalesce(8, in, 0, false, true);

        assertThat(run.superseded).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(run.frames).extracting(f -> f.ids[0]).containsExactlyInAnyOrder(4, 5);
        assertProperties(in, run);
        assertThat(coalesce(8, in, 0, false, false).superseded).isEmpty();
    }

    @Test
    void ecnDataFinOtherOptionsAndAnUnreadablePacketBetweenAreNeverThinnedAcross() {
        Flow a = Flow.v4(1, new byte[0]);
        Flow mptcp = Flow.v4(1, new byte[] {30, 4, 0, 0});
        byte[] fragment = tcp(a, 9, 7, 1, ACK, 100, random(random, 100));
        put16(fragment, 6, 0x2000);                                                 // more fragments follow
        GsoPackets.fixChecksums(fragment, 16);
        List<Packet> in = List.of(
                new Packet(0, tcp(a, 1, 7, 100, ACK, 100, new byte[0])),
                new Packet(0, tcp(a, 2, 7, 100, ACK, 200, new byte[0])),             // a duplicate (window update)
                new Packet(0, tcp(mptcp, 3, 7, 150, ACK, 200, new byte[0])),         // an option of another kind
                new Packet(0, tcp(a, 4, 7, 200, ACK | 0x40, 200, new byte[0])),      // ECE
                new Packet(0, tcp(a, 5, 7, 300, ACK, 200, new byte[0])),
                new Packet(0, tcp(a, 6, 7, 400, ACK, 200, random(random, 10))),     // data
                new Packet(0, tcp(a, 7, 17, 500, ACK, 200, new byte[0])),
                new Packet(0, tcp(a, 8, 17, 600, ACK | FIN, 200, new byte[0])),
                new Packet(0, tcp(a, 9, 18, 700, ACK, 200, new byte[0])),
                new Packet(2, fragment),
                new Packet(0, tcp(a, 10, 18, 800, ACK, 200, new byte[0])),
                new Packet(0, tcp(a, 11, 18, 900, ACK, 200, new byte[0])));

        Run run = coalesce(8, in, 0, false, true);

        assertThat(run.superseded).containsExactly(10);
        assertProperties(in, run);
    }

    @Test
    void anAckIsThinnedOnlyWhenTheNextOneReportsEverySackBlockItDoesNotAcknowledgeAndSomethingNew() {
        assertThinned(sack(100, 200, 300), sack(100, 200, 400));                 // a dupack with a grown block
        assertThinned(sack(100), sack(100, 200, 300));                          // the first SACK block
        assertThinned(sack(100, 200, 300, 500, 600), sack(300, 500, 700));      // acknowledged and held
        assertThinned(sack(100, 200, 300), sack(400));                          // acknowledged past it
        assertKept(sack(100, 200, 300, 500, 600), sack(100, 500, 700));         // [200, 300) no longer reported
        assertKept(sack(100, 200, 300), sack(100, 200, 300));                   // nothing new
        assertKept(sack(100), sack(100));
        assertKept(sack(300, 100, 200), sack(400));                             // a D-SACK below the ACK
        assertKept(sack(300, 400, 500, 350, 600), sack(700));                   // a D-SACK within the second block
        assertKept(sack(300), sack(200));                                       // a reordered older ACK
    }

    /** An ACK of flow 1 (with timestamps) acknowledging {@code ack}, with SACK blocks from {@code edges} (left, right, ...). */
    private static byte[] sack(int ack, int... edges) {
        byte[] options = timestamps(7, 8);
        if (edges.length > 0) {
            byte[] sackOption = new byte[4 + 4 * edges.length];
            sackOption[0] = 1;
            sackOption[1] = 1;
            sackOption[2] = 5;
            sackOption[3] = (byte) (2 + 4 * edges.length);
            for (int k = 0; k < edges.length; k++) {
                put32(sackOption, 4 + 4 * k, edges[k]);
            }
            options = Arrays.copyOf(options, options.length + sackOption.length);
            System.arraycopy(sackOption, 0, options, 12, sackOption.length);
        }
        return tcp(Flow.v4(1, options), 1, 7, ack, ACK, 100, new byte[0]);
    }

    private void assertThinned(byte[] earlier, byte[] later) {
        List<Packet> in = List.of(new Packet(0, earlier), new Packet(0, later));
        Run run = coalesce(8, in, 0, false, true);
        assertThat(run.superseded).as(describe(in)).containsExactly(0);
        assertProperties(in, run);
    }

    private void assertKept(byte[] earlier, byte[] later) {
        List<Packet> in = List.of(new Packet(0, earlier), new Packet(0, later));
        Run run = coalesce(8, in, 0, false, true);
        assertThat(run.superseded).as(describe(in)).isEmpty();
        assertProperties(in, run);
    }

    @Test
    void thinnedBatchesOfManyFlowsKeepEveryOtherPacketAndEachFlowsOrderThroughRefusals() {
        int thinned = 0;
        int withSack = 0;
        for (int n = 0; n < 300; n++) {
            List<Packet> in = randomAckBatch(random);

            Run run = coalesce(1 + random.nextInt(8), in, n % 2 == 0 ? 0 : 4, random.nextBoolean(), true);

            assertProperties(in, run);
            thinned += run.superseded.size();
            withSack += (int) run.superseded.stream().filter(id -> ackBlocks(in.get(id).bytes).length > 0).count();
        }
        assertThat(thinned).as("ACKs thinned in all").isGreaterThan(300);
        assertThat(withSack).as("ACKs with SACK blocks thinned").isGreaterThan(30);
    }

    @Test
    void memoryIsOneBufferPerFlowAndOneForPacketsAlone() {
        assertThat(new FlowCoalescer(8, 32, new CountingSink(0)).memoryBytes())
                .isEqualTo(9L * FlowCoalescer.BUFFER_BYTES + 8 * 32 * 4 + 32);
    }

    @Test
    void aNewBatchAfterARefusalStartsAfresh() {
        Flow a = Flow.v4(1, new byte[0]);
        Flow b = Flow.v4(2, new byte[0]);
        List<Packet> in = List.of(new Packet(0, tcp(a, 1, 0, 7, ACK, 100, random(random, 500))),
                new Packet(1, tcp(b, 1, 0, 7, ACK, 100, random(random, 500))),
                new Packet(1, tcp(b, 2, 500, 7, ACK, 100, new byte[0])));
        CountingSink sink = new CountingSink(2);                     // the third frame (A's, at the end) is refused
        FlowCoalescer coalescer = new FlowCoalescer(8, 3, sink);

        ByteBuffer[] packets = buffers(in);
        assertThat(coalescer.writeBatch(packets, 0, 3, false)).isZero();
        assertThat(sink.packets).isEqualTo(2);
        assertThat(coalescer.writeBatch(packets, 0, 3, false)).as("not resumed: a new batch").isEqualTo(3);
        assertThat(sink.packets).isEqualTo(5);
    }

    @Test
    void aPacketLongerThan64KiBIsReportedAndSkipped() {
        CountingSink sink = new CountingSink(-1);
        FlowCoalescer coalescer = new FlowCoalescer(8, 2, sink);
        ByteBuffer[] packets = {ByteBuffer.allocateDirect(70_000),
                ByteBuffer.wrap(udp(Flow.v4(1, new byte[0]), 1, random(random, 10)))};

        assertThat(coalescer.writeBatch(packets, 0, 2, false)).isEqualTo(2);
        assertThat(sink.tooLong).containsExactly(0);
        assertThat(sink.packets).isEqualTo(1);
    }

    @Test
    void aWarmCoalescerAllocatesNothingPerBatch() throws ReflectiveOperationException {
        // Reached by reflection: this module does not read java.management (see tunnel's AllocationFreeTest).
        Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                .invoke(null);
        Class<?> extended;
        try {
            extended = Class.forName("com.sun.management.ThreadMXBean");
        } catch (ClassNotFoundException e) {
            extended = null;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(extended != null && extended.isInstance(threads)
                && (boolean) extended.getMethod("isThreadAllocatedMemorySupported").invoke(threads));
        java.lang.reflect.Method allocated = extended.getMethod("getCurrentThreadAllocatedBytes");
        List<Packet> in = new ArrayList<>();
        int[] seq = new int[4];
        for (int k = 0; in.size() < 32; k++) {
            int f = k % 4;
            int length = k % 11 == 10 ? 0 : 1200;
            in.add(new Packet(f, k % 13 == 12 ? udp(Flow.v4(f, new byte[0]), k, random(random, 100))
                    : tcp(Flow.v4(f, timestamps(1, 2)), k, seq[f], 7, ACK, 100, random(random, length))));
            seq[f] += length;
        }
        CountingSink sink = new CountingSink(-1);
        FlowCoalescer coalescer = new FlowCoalescer(8, 32, sink);
        ByteBuffer[] packets = buffers(in);
        for (int i = 0; i < 20_000; i++) {
            coalescer.writeBatch(packets, 0, 32, false);
        }

        long before = (long) allocated.invoke(threads);
        for (int i = 0; i < 20_000; i++) {
            coalescer.writeBatch(packets, 0, 32, false);
        }
        long bytes = (long) allocated.invoke(threads) - before;

        assertThat(bytes).as("bytes allocated by 20,000 batches").isLessThan(16_384);
        assertThat(sink.packets).isEqualTo(40_000 * 32);
    }

    /** Counts the packets written; refuses the frame numbered {@code refuse} (from 0; -1: none). */
    private static final class CountingSink implements FlowCoalescer.Sink {
        private final int refuse;
        private final List<Integer> tooLong = new ArrayList<>();
        private int frames;
        private int packets;

        CountingSink(int refuse) {
            this.refuse = refuse;
        }

        @Override
        public boolean write(ByteBuffer frame, int[] ids, int count) {
            if (frames++ == refuse) {
                return false;
            }
            packets += count;
            return true;
        }

        @Override
        public void onTooLong(int id) {
            tooLong.add(id);
        }

        @Override
        public void onSuperseded(int id) {
            throw new AssertionError("packet " + id + " thinned with thinning off");
        }
    }

    /** The IPv6 packet with an empty destination options header (PadN) before its TCP header. */
    private static byte[] withDestinationOptions(byte[] p) {
        byte[] q = new byte[p.length + 8];
        System.arraycopy(p, 0, q, 0, 40);
        System.arraycopy(p, 40, q, 48, p.length - 40);
        put16(q, 4, u16(p, 4) + 8);
        q[6] = 60;
        q[40] = TCP;
        q[42] = 1;
        q[43] = 4;
        return q;
    }

    /** A packet of test flow {@code flow} (TCP flows 0-7; UDP packets have flows of their own). */
    private record Packet(int flow, byte[] bytes) {
    }

    private record Frame(int[] ids, byte[] withHeader) {
        int segments() {
            return ids.length;
        }
    }

    private record Run(List<Frame> frames, List<Integer> superseded) {
    }

    /**
     * What a TUN writer does: {@link FlowCoalescer#writeBatch} until every packet is written; a sink that
     * refuses one frame in {@code refuseOneIn} (0: never) makes it go on from the index returned.
     */
    private Run coalesce(int flows, List<Packet> in, int refuseOneIn) {
        return coalesce(flows, in, refuseOneIn, false);
    }

    /** The same, with UDP coalescing on for both IP versions when {@code udp}. */
    private Run coalesce(int flows, List<Packet> in, int refuseOneIn, boolean udp) {
        return coalesce(flows, in, refuseOneIn, udp, false);
    }

    /** The same, with ACK thinning on when {@code thin}. */
    private Run coalesce(int flows, List<Packet> in, int refuseOneIn, boolean udp, boolean thin) {
        List<Frame> frames = new ArrayList<>();
        List<Integer> superseded = new ArrayList<>();
        boolean[] written = new boolean[in.size()];
        FlowCoalescer coalescer = new FlowCoalescer(flows, Math.max(1, in.size()), udp, udp, thin, new FlowCoalescer.Sink() {
            @Override
            public boolean write(ByteBuffer frame, int[] ids, int count) {
                if (refuseOneIn > 0 && random.nextInt(refuseOneIn) == 0) {
                    return false;
                }
                int[] copy = Arrays.copyOf(ids, count);
                for (int id : copy) {
                    assertThat(written[id]).as("packet %d written twice", id).isFalse();
                    written[id] = true;
                }
                frames.add(new Frame(copy, read(frame, frame.position(), frame.remaining())));
                return true;
            }

            @Override
            public void onTooLong(int id) {
                throw new AssertionError("packet " + id + " too long");
            }

            @Override
            public void onSuperseded(int id) {
                assertThat(thin).as("packet %d thinned with thinning off", id).isTrue();
                assertThat(written[id]).as("packet %d written and thinned", id).isFalse();
                written[id] = true;
                superseded.add(id);
            }
        });
        ByteBuffer[] packets = buffers(in);
        int end = 0;
        for (int attempt = 0; attempt < 10_000 && end < in.size(); attempt++) {
            int next = coalescer.writeBatch(packets, end, in.size(), attempt > 0);
            assertThat(next).isBetween(end, in.size());
            for (int i = 0; i < next; i++) {
                assertThat(written[i]).as("packet %d below the index returned", i).isTrue();
            }
            end = next;
        }
        assertThat(end).as("every packet written").isEqualTo(in.size());
        return new Run(frames, superseded);
    }

    /** Each packet in a direct buffer of its own, between position 3 and the limit. */
    private static ByteBuffer[] buffers(List<Packet> in) {
        ByteBuffer[] packets = new ByteBuffer[in.size()];
        for (int i = 0; i < packets.length; i++) {
            byte[] p = in.get(i).bytes;
            packets[i] = ByteBuffer.allocateDirect(p.length + 8).put(3, p).position(3).limit(3 + p.length);
        }
        return packets;
    }

    /**
     * Every packet back byte for byte, once, but the thinned ones; each flow's packets in their order; non-TCP
     * packets in theirs; and each thinned packet an ACK that its flow's next packet not thinned supersedes.
     */
    private void assertProperties(List<Packet> in, Run run) {
        for (int id : run.superseded) {
            int next = id + 1;
            while (next < in.size() && (in.get(next).flow != in.get(id).flow || run.superseded.contains(next))) {
                next++;
            }
            int later = next;
            assertThat(next < in.size() && supersedes(in.get(next).bytes, in.get(id).bytes))
                    .as(() -> "packet " + id + " thinned, the next of its flow written is " + later + ":" + describe(in))
                    .isTrue();
        }
        Map<Integer, Integer> lastOfFlow = new HashMap<>();
        int seen = 0;
        for (Frame frame : run.frames) {
            List<byte[]> packets = resegment(frame);
            assertThat(packets).hasSize(frame.segments());
            for (int k = 0; k < frame.segments(); k++) {
                int id = frame.ids[k];
                assertThat(packets.get(k)).as("packet %d", id).isEqualTo(in.get(id).bytes);
                int flow = in.get(id).flow;
                Integer last = lastOfFlow.put(flow, id);
                assertThat(last == null || last < id).as("flow %d: packet %d after %d", flow, id, last).isTrue();
                seen++;
            }
        }
        assertThat(seen + run.superseded.size()).isEqualTo(in.size());
    }

    /**
     * The test's own reading of an ACK that may be thinned or supersede: the ACK flag alone, no payload, options
     * timestamps, SACK, NOP or end only. Its SACK blocks' edges, or null when it is not one.
     */
    private static int[] ackBlocks(byte[] p) {
        int l4 = ipHeaderBytes(p);
        if (protocol(p) != TCP || p[l4 + 13] != ACK || (p[l4 + 12] & 0x0F) != 0) {
            return null;
        }
        int header = ((p[l4 + 12] & 0xFF) >>> 4) * 4;
        if (l4 + header != p.length) {
            return null;
        }
        int[] edges = new int[0];
        for (int o = l4 + 20; o < l4 + header && p[o] != 0; ) {
            if (p[o] == 1) {
                o++;
            } else if (p[o] == 8 && p[o + 1] == 10) {
                o += 10;
            } else if (p[o] == 5) {
                edges = new int[(p[o + 1] - 2) / 4];
                for (int k = 0; k < edges.length; k++) {
                    edges[k] = i32(p, o + 2 + 4 * k);
                }
                o += p[o + 1];
            } else {
                return null;
            }
        }
        return edges;
    }

    /** Whether ACK {@code later} tells all that ACK {@code earlier} does and something new, by the test's reading. */
    private static boolean supersedes(byte[] later, byte[] earlier) {
        int[] a = ackBlocks(earlier);
        int[] b = ackBlocks(later);
        if (a == null || b == null) {
            return false;
        }
        int ackA = ackNumber(earlier);
        int ackB = ackNumber(later);
        boolean dsack = a.length > 0 && (before(a[1], ackA + 1) || a.length > 2 && !before(a[0], a[2]) && !before(a[3], a[1]));
        if (dsack || before(ackB, ackA)) {
            return false;
        }
        for (int k = 0; k < a.length; k += 2) {
            if (before(ackB, a[k + 1]) && !holds(b, a[k], a[k + 1])) {
                return false;
            }
        }
        if (ackB != ackA) {
            return true;
        }
        for (int k = 0; k < b.length; k += 2) {
            if (!holds(a, b[k], b[k + 1])) {
                return true;
            }
        }
        return false;
    }

    /** Whether sequence number {@code x} comes before {@code y} (RFC 1982 arithmetic on 32 bits). */
    private static boolean before(int x, int y) {
        return x - y < 0;
    }

    private static boolean holds(int[] edges, int left, int right) {
        for (int k = 0; k < edges.length; k += 2) {
            if (!before(left, edges[k]) && !before(edges[k + 1], right)) {
                return true;
            }
        }
        return false;
    }

    private static int i32(byte[] p, int i) {
        return (u16(p, i) << 16) | u16(p, i + 2);
    }

    /** The batch, a line per packet, for a failure's message. */
    private static String describe(List<Packet> in) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < in.size(); i++) {
            byte[] p = in.get(i).bytes;
            int l4 = ipHeaderBytes(p);
            boolean tcp = protocol(p) == TCP;
            b.append(String.format("%n%d: flow %d, IPv%d, %s, flags %x, ack %d, %d bytes%s", i, in.get(i).flow, version(p),
                    tcp ? "TCP" : "protocol " + protocol(p), tcp ? p[l4 + 13] : 0, tcp ? ackNumber(p) : 0, p.length,
                    tcp && ackBlocks(p) != null ? ", ACK " + Arrays.toString(ackBlocks(p)) : ""));
        }
        return b.toString();
    }

    private static int ackNumber(byte[] p) {
        return i32(p, ipHeaderBytes(p) + 8);
    }

    private List<byte[]> resegment(Frame frame) {
        List<byte[]> packets = new ArrayList<>();
        ByteBuffer b = ByteBuffer.allocateDirect(frame.withHeader.length);
        b.put(0, frame.withHeader);
        ByteBuffer dst = ByteBuffer.allocateDirect(2048);
        int count = segmenter.prepare(b, 0, VirtioNetHeader.BYTES, frame.withHeader.length - VirtioNetHeader.BYTES);
        if (frame.segments() > 1) {
            assertThat(VirtioNetHeader.gsoType(b, 0)).isNotEqualTo(VirtioNetHeader.GSO_NONE);
            byte[] p = read(b, VirtioNetHeader.BYTES, frame.withHeader.length - VirtioNetHeader.BYTES);
            assertThat(u16(p, ipHeaderBytes(p) + VirtioNetHeader.csumOffset(b, 0))).as("partial checksum")
                    .isEqualTo((int) fold(pseudo(p)));
        }
        for (int i = 0; i < count; i++) {
            packets.add(read(dst, 0, segmenter.writeSegment(i, dst, 0)));
        }
        return packets;
    }

    private static List<Packet> randomInterleavedFlows(RandomGenerator r) {
        return randomInterleavedFlows(r, false);
    }

    /**
     * Up to 8 TCP flows (IPv4 and IPv6, some between the same addresses) interleaved in runs of 1 to 6,
     * with now and then a PSH, a short segment, a pure ACK, a FIN or a UDP packet. Without {@code udp}
     * (UDP not coalesced) UDP packets count as one extra flow, so their order to each other is checked too;
     * with it, each TCP flow's addresses and ports also carry a UDP flow of their own (flows 8-15), a quarter
     * of the packets, mostly of that flow's datagram size, sometimes shorter, without payload or with no
     * IPv4 checksum.
     */
    private static List<Packet> randomInterleavedFlows(RandomGenerator r, boolean udp) {
        int flows = 1 + r.nextInt(8);
        Flow[] flow = randomFlows(r, flows);
        int[] seq = new int[flows];
        int[] id = new int[flows];
        int[] udpId = new int[flows];
        int[] mss = new int[flows];
        int[] datagram = new int[flows];
        for (int f = 0; f < flows; f++) {
            seq[f] = r.nextInt();
            id[f] = r.nextInt(0x10000);
            mss[f] = 200 + r.nextInt(1200);
            datagram[f] = 1 + r.nextInt(1400);
        }
        List<Packet> out = new ArrayList<>();
        int total = 1 + r.nextInt(64);
        while (out.size() < total) {
            int f = r.nextInt(flows);
            int run = 1 + r.nextInt(6);
            for (int k = 0; k < run && out.size() < total; k++) {
                int kind = r.nextInt(24);
                if (kind == 0 && !udp) {
                    out.add(new Packet(8, udp(flow[f], udpId[f]++ & 0xFFFF, random(r, 1 + r.nextInt(1000)))));
                    continue;
                }
                if (udp && kind < 6) {
                    int size = kind == 0 ? r.nextInt(datagram[f]) : datagram[f];
                    byte[] datagramBytes = udp(flow[f], udpId[f]++ & 0xFFFF, random(r, size));
                    if (kind == 1 && flow[f].version() == 4) {
                        put16(datagramBytes, 26, 0);                     // no UDP checksum (IPv4 only)
                    }
                    out.add(new Packet(8 + f, datagramBytes));
                    continue;
                }
                int length = kind == 1 ? 0 : kind == 2 ? 1 + r.nextInt(mss[f]) : mss[f];
                int flags = ACK | (kind == 3 ? PSH : 0) | (kind == 4 ? FIN : 0);
                out.add(new Packet(f, tcp(flow[f], id[f]++ & 0xFFFF, seq[f], 42, flags, 1000, random(r, length))));
                seq[f] += length;
            }
        }
        return out;
    }

    /**
     * Up to 12 TCP flows' packets bound for a host that mostly sends (IPv4 and IPv6, some between the same
     * addresses), interleaved: mostly ACKs with or without timestamps, whose number mostly grows and sometimes
     * stays (duplicates), some with one to four SACK blocks near it (now and then a D-SACK), now and then one
     * with ECE, data or a FIN, and a UDP datagram
     * (with consecutive IPv4 identifications per flow, as a joined run comes back from the kernel).
     */
    private static List<Packet> randomAckBatch(RandomGenerator r) {
        int flows = 1 + r.nextInt(12);
        Flow[] flow = randomFlows(r, flows);
        int[] ack = new int[flows];
        int[] udpId = new int[flows];
        for (int f = 0; f < flows; f++) {
            ack[f] = r.nextInt();
        }
        List<Packet> out = new ArrayList<>();
        int total = 1 + r.nextInt(64);
        for (int k = 0; k < total; k++) {
            int f = r.nextInt(flows);
            int kind = r.nextInt(20);
            if (kind < 14) {
                ack[f] += r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(20_000);
            }
            Packet p = switch (kind) {
                case 14, 13, 12 -> new Packet(f, tcp(withSack(flow[f], ack[f], r), k, 7, ack[f], ACK, 100, new byte[0]));
                case 15 -> new Packet(f, tcp(flow[f], k, 7, ack[f], ACK | 0x40, 100, new byte[0]));
                case 16 -> new Packet(f, tcp(flow[f], k, 7, ack[f], ACK, 100, random(r, 1 + r.nextInt(100))));
                case 17 -> new Packet(f, tcp(flow[f], k, 7, ack[f], ACK | FIN, 100, new byte[0]));
                case 18 -> new Packet(12 + f, udp(flow[f], udpId[f]++, random(r, 1 + r.nextInt(100))));
                default -> new Packet(f, tcp(flow[f], k, 7, ack[f], ACK, r.nextInt(0x10000), new byte[0]));
            };
            out.add(p);
        }
        return out;
    }

    /**
     * {@code count} TCP flows, each IPv4 or IPv6, with or without timestamps, source ports 40000 up; all between
     * the same two addresses or each between its own.
     */
    private static Flow[] randomFlows(RandomGenerator r, int count) {
        Flow[] flow = new Flow[count];
        boolean sameAddresses = r.nextBoolean();
        for (int f = 0; f < count; f++) {
            byte[] options = r.nextBoolean() ? timestamps(r.nextInt(), r.nextInt()) : new byte[0];
            Flow base = r.nextBoolean() ? Flow.v4(sameAddresses ? 1 : f, options) : Flow.v6(sameAddresses ? 1 : f, options);
            flow[f] = new Flow(base.version(), base.source(), base.destination(), 40000 + f, 5201, options);
        }
        return flow;
    }

    /** The flow with its options and a SACK option of 1-4 blocks within 6,000 of {@code ack}, mostly above it. */
    private static Flow withSack(Flow flow, int ack, RandomGenerator r) {
        int blocks = 1 + r.nextInt(flow.tcpOptions().length > 0 ? 3 : 4);
        byte[] options = Arrays.copyOf(flow.tcpOptions(), flow.tcpOptions().length + 4 + 8 * blocks);
        int o = flow.tcpOptions().length;
        options[o] = 1;
        options[o + 1] = 1;
        options[o + 2] = 5;
        options[o + 3] = (byte) (2 + 8 * blocks);
        for (int k = 0; k < blocks; k++) {
            int left = ack - 1000 + 500 * r.nextInt(10);
            put32(options, o + 4 + 8 * k, left);
            put32(options, o + 8 + 8 * k, left + 500 * (1 + r.nextInt(3)));
        }
        return new Flow(flow.version(), flow.source(), flow.destination(), flow.sourcePort(), flow.destinationPort(), options);
    }
}
