package zonegate.shell.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * UDP_GRO on loopback: a sender's UDP_SEGMENT (GSO) run reaches a socket with UDP_GRO as one super-datagram,
 * which {@link UdpGroReceiver} cuts back into the datagrams that were sent.
 */
class UdpGroReceiverTest {
    private static final InetSocketAddress ANY_V4 = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
    private static final InetSocketAddress ANY_V6 = new InetSocketAddress(InetAddress.ofLiteral("::1"), 0);

    @Test
    void theKernelTakesUdpGroAndReportsItOn() throws Exception {
        try (UdpSocket socket = UdpSocket.open(ANY_V4, 1 << 20)) {
            assertThat(socket.udpGro()).isFalse();

            assertThat(socket.enableUdpGro()).isTrue();

            assertThat(socket.udpGro()).isTrue();
        }
    }

    @Test
    void aGsoRunArrivesAsOneSuperDatagramCutIntoItsDatagramsWithAShortLastOne() throws Exception {
        assertRunIsCut(ANY_V4);
    }

    @Test
    void ipv6SuperDatagramsAreCutToo() throws Exception {
        assertRunIsCut(ANY_V6);
    }

    @Test
    void segmentsThatDoNotFitInOneCallComeFirstInTheNext() throws Exception {
        try (UdpSocket receiver = groSocket(ANY_V4); UdpSocket sender = UdpSocket.open(ANY_V4, 1 << 20)) {
            UdpGroReceiver in = new UdpGroReceiver(receiver, 4, 64);
            sendGso(sender, receiver.localAddress(), 0, 40, 1000, 1000);
            sendGso(sender, receiver.localAddress(), 40, 40, 1000, 1000);

            List<Received> got = new ArrayList<>();
            List<Boolean> pendingAfterCalls = new ArrayList<>();
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.size() < 80 && System.nanoTime() < deadlineNs) {
                int before = got.size();
                receive(in, 3, got);
                if (got.size() > before) {
                    pendingAfterCalls.add(in.hasPending());
                }
            }

            assertThat(got).extracting(Received::number).containsExactlyElementsOf(range(0, 80));
            assertThat(got).allSatisfy(r -> assertThat(r.source()).isEqualTo(sender.localAddress()));
            assertThat(pendingAfterCalls).as("3 slots a call: segments wait between calls").contains(true);
            assertThat(in.hasPending()).isFalse();
            assertThat(in.superDatagrams()).isEqualTo(2);
        }
    }

    @Test
    void mixedFlowsKeepTheirOwnOrderAndSource() throws Exception {
        try (UdpSocket receiver = groSocket(ANY_V4); UdpSocket a = UdpSocket.open(ANY_V4, 1 << 20);
             UdpSocket b = UdpSocket.open(ANY_V4, 1 << 20)) {
            UdpGroReceiver in = new UdpGroReceiver(receiver, 4, 64);
            for (int round = 0; round < 5; round++) {
                sendGso(a, receiver.localAddress(), round * 10, 10, 700, 100);
                sendGso(b, receiver.localAddress(), 1000 + round * 7, 7, 1300, 1300);
                sendGso(a, receiver.localAddress(), 5000 + round, 1, 50, 50);  // a single datagram
            }

            List<Received> got = new ArrayList<>();
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.size() < 5 * 18 && System.nanoTime() < deadlineNs) {
                receive(in, 16, got);
            }

            List<Integer> fromA = got.stream().filter(r -> r.source().equals(a.localAddress())).map(Received::number).toList();
            List<Integer> fromB = got.stream().filter(r -> r.source().equals(b.localAddress())).map(Received::number).toList();
            assertThat(got).hasSize(90);
            assertThat(fromB).containsExactlyElementsOf(range(1000, 1035));
            List<Integer> expectedA = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                expectedA.addAll(range(round * 10, round * 10 + 10));
                expectedA.add(5000 + round);
            }
            assertThat(fromA).containsExactlyElementsOf(expectedA);
            assertThat(got).filteredOn(r -> r.number() == 9).extracting(Received::bytes).containsExactly(100);
            assertThat(in.superDatagrams()).as("the runs, not the single datagrams").isEqualTo(10);
        }
    }

    @Test
    void aSegmentLargerThanTheCallersBufferIsReportedTruncatedAndTheRestArrives() throws Exception {
        try (UdpSocket receiver = groSocket(ANY_V4); UdpSocket sender = UdpSocket.open(ANY_V4, 1 << 20)) {
            UdpGroReceiver in = new UdpGroReceiver(receiver, 4, 64);
            sendGso(sender, receiver.localAddress(), 0, 3, 1500, 1500);
            sendGso(sender, receiver.localAddress(), 3, 3, 500, 500);

            List<Received> got = new ArrayList<>();
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.size() < 6 && System.nanoTime() < deadlineNs) {
                receive(in, 8, 1024, got);
            }

            assertThat(got).hasSize(6);
            assertThat(got.subList(0, 3)).extracting(Received::source).containsOnlyNulls();
            assertThat(got.subList(3, 6)).extracting(Received::number).containsExactly(3, 4, 5);
            assertThat(got.subList(3, 6)).extracting(Received::source).containsOnly(sender.localAddress());
            assertThat(in.truncated()).isEqualTo(3);
        }
    }

    @Test
    void anErrorAfterDatagramsWereDeliveredIsThrownByTheNextCall() throws Exception {
        UdpSocket receiver = groSocket(ANY_V4);
        try (UdpSocket sender = UdpSocket.open(ANY_V4, 1 << 20)) {
            UdpGroReceiver in = new UdpGroReceiver(receiver, 4, 64);
            sendGso(sender, receiver.localAddress(), 0, 40, 1000, 1000);
            List<Received> got = new ArrayList<>();
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.isEmpty() && System.nanoTime() < deadlineNs) {
                receive(in, 32, got);
            }
            assertThat(got).hasSize(32);
            receiver.close();

            receive(in, 32, got);

            assertThat(got).as("the pending segments, then recvmmsg met EBADF").hasSize(40);
            assertThat(got).extracting(Received::number).containsExactlyElementsOf(range(0, 40));
            assertThat(in.hasPending()).isFalse();
            assertThatThrownBy(() -> in.receive(new ByteBuffer[] {ByteBuffer.allocateDirect(2048)},
                    new InetSocketAddress[1], 1))
                    .isInstanceOfSatisfying(NativeIoException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
        } finally {
            receiver.close();
        }
    }

    @Test
    void controlDataIsParsedAndAnythingMalformedIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(UdpGroReceiver.CONTROL_BYTES, 8);

            assertThat(UdpGroReceiver.segmentSize(control, 0, 0, 0)).as("no control data").isEqualTo(UdpGroReceiver.NOT_SEGMENTED);
            cmsg(control, 0, 20, UdpSocket.SOL_UDP, UdpSocket.UDP_GRO, 1280);
            assertThat(UdpGroReceiver.segmentSize(control, 0, 24, 0)).isEqualTo(1280);
            assertThat(UdpGroReceiver.segmentSize(control, 0, 24, 0x08)).as("MSG_CTRUNC").isEqualTo(UdpGroReceiver.MALFORMED);
            assertThat(UdpGroReceiver.segmentSize(control, 0, 16, 0)).as("cmsg_len past the control data")
                    .isEqualTo(UdpGroReceiver.MALFORMED);
            cmsg(control, 0, 20, UdpSocket.SOL_UDP, UdpSocket.UDP_GRO, 0);
            assertThat(UdpGroReceiver.segmentSize(control, 0, 24, 0)).as("segment size 0").isEqualTo(UdpGroReceiver.MALFORMED);
            cmsg(control, 0, 16, UdpSocket.SOL_UDP, UdpSocket.UDP_GRO, 1280);
            assertThat(UdpGroReceiver.segmentSize(control, 0, 16, 0)).as("no room for the int").isEqualTo(UdpGroReceiver.MALFORMED);
            cmsg(control, 0, 8, UdpSocket.SOL_UDP, UdpSocket.UDP_GRO, 1280);
            assertThat(UdpGroReceiver.segmentSize(control, 0, 24, 0)).as("cmsg_len below a header").isEqualTo(UdpGroReceiver.MALFORMED);
            cmsg(control, 0, 20, 0, 8, 7);                          // IP_PKTINFO-like, not ours
            cmsg(control, 24, 20, UdpSocket.SOL_UDP, UdpSocket.UDP_GRO, 1400);
            assertThat(UdpGroReceiver.segmentSize(control, 0, 48, 0)).as("after another cmsg").isEqualTo(1400);
            assertThat(UdpGroReceiver.segmentSize(control, 0, 24, 0)).as("another cmsg alone").isEqualTo(UdpGroReceiver.NOT_SEGMENTED);
            assertThat(UdpGroReceiver.segmentSize(control, 0, UdpGroReceiver.CONTROL_BYTES + 8, 0))
                    .as("a length past the buffer").isEqualTo(UdpGroReceiver.MALFORMED);
        }
    }

    @Test
    void singleDatagramsFromANonGsoSenderArriveAsTheyAre() throws Exception {
        try (UdpSocket receiver = groSocket(ANY_V4); UdpSocket sender = UdpSocket.open(ANY_V4, 1 << 20)) {
            UdpGroReceiver in = new UdpGroReceiver(receiver, 4, 64);
            UdpBatchSender out = new UdpBatchSender(sender, false);
            ByteBuffer[] datagrams = numbered(0, 10, 600, 0);
            datagrams[9] = ByteBuffer.allocateDirect(0);
            out.send(datagrams, UdpSocketTest.destinations(receiver.localAddress(), 10), 0, 10);

            List<Received> got = new ArrayList<>();
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (got.size() < 10 && System.nanoTime() < deadlineNs) {
                receive(in, 32, got);
            }

            assertThat(got.subList(0, 9)).extracting(Received::number).containsExactlyElementsOf(range(0, 9));
            assertThat(got.get(9).bytes()).as("an empty datagram is a datagram").isZero();
            assertThat(in.superDatagrams()).isZero();
        }
    }

    @Test
    void receivingAndCuttingAllocatesNothingOnceWarm() throws Exception {
        java.lang.reflect.Method allocatedBytes = allocationCounter();
        org.junit.jupiter.api.Assumptions.assumeTrue(allocatedBytes != null, "no per-thread allocation counter");
        try (UdpSocket receiver = groSocket(ANY_V4); UdpSocket sender = UdpSocket.open(ANY_V4, 1 << 20)) {
            UdpGroReceiver in = new UdpGroReceiver(receiver, 4, 64);
            ByteBuffer[] buffers = new ByteBuffer[4];
            InetSocketAddress[] sources = new InetSocketAddress[4];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.allocateDirect(2048);
            }
            UdpBatchSender out = new UdpBatchSender(sender, true);
            ByteBuffer[] run = numbered(0, 10, 1000, 700);
            InetSocketAddress[] to = UdpSocketTest.destinations(receiver.localAddress(), 10);
            AtomicLong received = new AtomicLong();
            // Another thread sends, so the counter of this one sees only the receiving; it keeps at most 2,000
            // datagrams ahead of the receiver, far below what the socket buffer holds, so none is dropped.
            Thread sending = Thread.ofPlatform().start(() -> {
                for (long sent = 0; !Thread.currentThread().isInterrupted(); sent += 10) {
                    while (sent - received.get() > 2_000 && !Thread.currentThread().isInterrupted()) {
                        Thread.onSpinWait();
                    }
                    for (int done = 0; done < 10 && !Thread.currentThread().isInterrupted(); ) {
                        done += out.send(run, to, done, 10 - done);
                    }
                }
            });
            Object threads = allocationBean();
            List<Long> windows = new ArrayList<>();
            try {
                assertThat(drain(in, buffers, sources, 20_000, received)).isEqualTo(20_000);
                // Before C2 has compiled the path (its escape analysis removes what the interpreter and C1
                // allocate) windows show tens of bytes per datagram; when that happens depends on the compile
                // queue, not on how many datagrams went by, so the bound is time. An allocation per datagram
                // would show in every window (10,000 x 16 bytes and more), however long it runs.
                long untilNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (System.nanoTime() < untilNs && (windows.isEmpty() || windows.getLast() >= 16_384)) {
                    long before = (long) allocatedBytes.invoke(threads);
                    assertThat(drain(in, buffers, sources, 10_000, received)).isEqualTo(10_000);
                    windows.add((long) allocatedBytes.invoke(threads) - before);
                }
            } finally {
                sending.interrupt();
                sending.join();
            }

            assertThat(windows).as("bytes allocated per 10,000 datagrams received").anyMatch(bytes -> bytes < 16_384);
            assertThat(in.superDatagrams()).isPositive();
        }
    }

    /** Receives {@code count} datagrams (10 s at most) into the same buffers, adding them to {@code received}. */
    private static long drain(UdpGroReceiver in, ByteBuffer[] buffers, InetSocketAddress[] sources, int count,
                              AtomicLong received) throws NativeIoException {
        long got = 0;
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (got < count && System.nanoTime() < deadlineNs) {
            for (ByteBuffer buffer : buffers) {
                buffer.clear();
            }
            int n = in.receive(buffers, sources, (int) Math.min(buffers.length, count - got));
            if (n > 0) {
                got += n;
                received.addAndGet(n);
            }
        }
        return got;
    }

    /** com.sun.management.ThreadMXBean's counter, by reflection (this module reads neither management module). */
    private static java.lang.reflect.Method allocationCounter() {
        try {
            Object bean = allocationBean();
            Class<?> extended = Class.forName("com.sun.management.ThreadMXBean");
            if (!extended.isInstance(bean) || !(boolean) extended.getMethod("isThreadAllocatedMemorySupported").invoke(bean)) {
                return null;
            }
            extended.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(bean, true);
            return extended.getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Object allocationBean() throws ReflectiveOperationException {
        return Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
    }

    private static void assertRunIsCut(InetSocketAddress bind) throws Exception {
        try (UdpSocket receiver = groSocket(bind); UdpSocket sender = UdpSocket.open(bind, 1 << 20)) {
            UdpGroReceiver in = new UdpGroReceiver(receiver, 4, 64);

            sendGso(sender, receiver.localAddress(), 0, 11, 1200, 345);

            List<Received> got = new ArrayList<>();
            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int calls = 0;
            while (got.size() < 11 && System.nanoTime() < deadlineNs) {
                calls += receive(in, 32, got) ? 1 : 0;
            }

            assertThat(got).extracting(Received::number).containsExactlyElementsOf(range(0, 11));
            assertThat(got).extracting(Received::bytes).containsExactly(1200, 1200, 1200, 1200, 1200, 1200, 1200, 1200,
                    1200, 1200, 345);
            assertThat(got).allSatisfy(r -> assertThat(r.source()).isEqualTo(sender.localAddress()));
            assertThat(in.superDatagrams()).isEqualTo(1);
            assertThat(calls).as("one receive for the lot").isEqualTo(1);
        }
    }

    private static UdpSocket groSocket(InetSocketAddress bind) throws NativeIoException {
        UdpSocket socket = UdpSocket.open(bind, 4 << 20);
        assertThat(socket.enableUdpGro()).isTrue();
        return socket;
    }

    /** Sends datagrams numbered {@code first..}: {@code count - 1} of {@code bytes} and a last of {@code lastBytes}, one GSO run. */
    static void sendGso(UdpSocket from, InetSocketAddress to, int first, int count, int bytes, int lastBytes) {
        UdpBatchSender out = new UdpBatchSender(from, true);
        ByteBuffer[] datagrams = numbered(first, count, bytes, lastBytes);
        assertThat(out.send(datagrams, UdpSocketTest.destinations(to, count), 0, count)).isEqualTo(count);
        assertThat(out.gsoSends()).isEqualTo(count > 1 ? 1 : 0);
    }

    private static ByteBuffer[] numbered(int first, int count, int bytes, int lastBytes) {
        ByteBuffer[] datagrams = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            datagrams[i] = ByteBuffer.allocateDirect(i == count - 1 ? lastBytes : bytes);
            if (datagrams[i].capacity() >= 8) {
                datagrams[i].putInt(4, first + i);
            }
        }
        return datagrams;
    }

    private static boolean receive(UdpGroReceiver in, int slots, List<Received> into) throws Exception {
        return receive(in, slots, 2048, into);
    }

    /** One receive into {@code slots} fresh buffers of {@code bufferBytes}; sleeps 1 ms when nothing came. */
    private static boolean receive(UdpGroReceiver in, int slots, int bufferBytes, List<Received> into) throws Exception {
        ByteBuffer[] buffers = new ByteBuffer[slots];
        InetSocketAddress[] sources = new InetSocketAddress[slots];
        for (int i = 0; i < slots; i++) {
            buffers[i] = ByteBuffer.allocateDirect(bufferBytes);
        }
        int n = in.receive(buffers, sources, slots);
        if (n == UdpGroReceiver.WOULD_BLOCK) {
            Thread.sleep(1);
            return false;
        }
        for (int i = 0; i < n; i++) {
            int number = buffers[i].remaining() >= 8 ? buffers[i].getInt(4) : -1;
            into.add(new Received(buffers[i].remaining(), sources[i], number));
        }
        return true;
    }

    private static void cmsg(MemorySegment control, long at, long length, int level, int type, int value) {
        control.set(ValueLayout.JAVA_LONG, at, length);
        control.set(ValueLayout.JAVA_INT, at + 8, level);
        control.set(ValueLayout.JAVA_INT, at + 12, type);
        control.set(ValueLayout.JAVA_INT, at + 16, value);
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> numbers = new ArrayList<>();
        for (int i = from; i < to; i++) {
            numbers.add(i);
        }
        return numbers;
    }

    record Received(int bytes, InetSocketAddress source, int number) {
    }
}
