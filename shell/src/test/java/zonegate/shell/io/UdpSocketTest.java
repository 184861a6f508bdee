package zonegate.shell.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** UDP sockets on loopback: batched receive, GSO send and its fallback, both families. */
class UdpSocketTest {
    private static final InetSocketAddress ANY_V4 = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
    private static final InetSocketAddress ANY_V6 = new InetSocketAddress(InetAddress.ofLiteral("::1"), 0);

    @Test
    void bindingToPortZeroReportsTheEphemeralPort() throws Exception {
        try (UdpSocket socket = UdpSocket.open(ANY_V4, UdpSocket.DEFAULT_BUFFER_BYTES)) {
            assertThat(socket.localAddress().getPort()).isPositive();
            assertThat(socket.localAddress().getAddress()).isEqualTo(ANY_V4.getAddress());
        }
    }

    @Test
    void buffersAreForcedPastTheSysctlLimitWithNetAdmin() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Capabilities.hasNetAdmin(), "needs CAP_NET_ADMIN");
        try (UdpSocket socket = UdpSocket.open(ANY_V4, UdpSocket.DEFAULT_BUFFER_BYTES)) {
            assertThat(socket.receiveBufferBytes()).isGreaterThanOrEqualTo(UdpSocket.DEFAULT_BUFFER_BYTES);
            assertThat(socket.sendBufferBytes()).isGreaterThanOrEqualTo(UdpSocket.DEFAULT_BUFFER_BYTES);
        }
    }

    @Test
    void recvmmsgDeliversABatchWithSizesAndTheSameSourceInstance() throws Exception {
        try (UdpSocket receiver = UdpSocket.open(ANY_V4, 1 << 20); UdpSocket sender = UdpSocket.open(ANY_V4, 1 << 20)) {
            UdpBatchSender out = new UdpBatchSender(sender, false);
            ByteBuffer[] datagrams = datagrams(100, 200, 300, 400, 500);
            assertThat(out.send(datagrams, destinations(receiver.localAddress(), 5), 0, 5)).isEqualTo(5);

            List<Received> got = receiveAll(new UdpBatchReceiver(receiver, 8, 64), 5);

            assertThat(got).extracting(Received::bytes).containsExactly(100, 200, 300, 400, 500);
            assertThat(got.getFirst().source()).isEqualTo(sender.localAddress());
            assertThat(got).allSatisfy(r -> assertThat(r.source()).isSameAs(got.getFirst().source()));
        }
    }

    @Test
    void gsoSendOfARunArrivesAsSeparateDatagramsOfTheRightSizes() throws Exception {
        assertGsoRun(ANY_V4);
    }

    @Test
    void gsoWorksOverIpv6Too() throws Exception {
        assertGsoRun(ANY_V6);
    }

    @Test
    void runsBreakAtAnotherDestinationOrALongerDatagram() throws Exception {
        try (UdpSocket a = UdpSocket.open(ANY_V4, 1 << 20); UdpSocket b = UdpSocket.open(ANY_V4, 1 << 20);
             UdpSocket sender = UdpSocket.open(ANY_V4, 1 << 20)) {
            UdpBatchSender out = new UdpBatchSender(sender, true);
            ByteBuffer[] datagrams = datagrams(500, 500, 500, 500, 700);
            InetSocketAddress[] to = {a.localAddress(), a.localAddress(), b.localAddress(), b.localAddress(), b.localAddress()};

            assertThat(out.send(datagrams, to, 0, 5)).isEqualTo(5);

            assertThat(out.gsoSends()).isEqualTo(2);
            assertThat(out.singleSends()).isEqualTo(1);
            assertThat(receiveAll(new UdpBatchReceiver(a, 8, 64), 2)).extracting(Received::bytes).containsExactly(500, 500);
            assertThat(receiveAll(new UdpBatchReceiver(b, 8, 64), 3)).extracting(Received::bytes).containsExactly(500, 500, 700);
        }
    }

    @Test
    void withoutGsoEveryDatagramIsItsOwnSend() throws Exception {
        try (UdpSocket receiver = UdpSocket.open(ANY_V6, 1 << 20); UdpSocket sender = UdpSocket.open(ANY_V6, 1 << 20)) {
            UdpBatchSender out = new UdpBatchSender(sender, false);

            out.send(datagrams(1000, 1000, 1000), destinations(receiver.localAddress(), 3), 0, 3);

            assertThat(out.singleSends()).isEqualTo(3);
            assertThat(out.gsoSends()).isZero();
            assertThat(receiveAll(new UdpBatchReceiver(receiver, 8, 64), 3)).hasSize(3);
        }
    }

    @Test
    void kernelRefusingGsoFallsBackToOneSendPerDatagramAndRemembers() throws Exception {
        try (TestNamespace namespace = TestNamespace.create()) {
            // Segments above the path MTU make the kernel refuse GSO with EINVAL; alone they are fragmented.
            namespace.exec("ip", "link", "set", "lo", "mtu", "1500");
            UdpSocket receiver = namespace.call(() -> UdpSocket.open(ANY_V4, 1 << 20));
            UdpSocket sender = namespace.call(() -> UdpSocket.open(ANY_V4, 1 << 20));
            try (receiver; sender) {
                UdpBatchSender out = new UdpBatchSender(sender, true);

                assertThat(out.send(datagrams(2000, 2000, 2000), destinations(receiver.localAddress(), 3), 0, 3)).isEqualTo(3);

                assertThat(out.gsoEnabled()).isFalse();
                assertThat(out.singleSends()).isEqualTo(3);
                assertThat(receiveAll(new UdpBatchReceiver(receiver, 8, 64), 3)).extracting(Received::bytes)
                        .containsExactly(2000, 2000, 2000);
            }
        }
    }

    @Test
    void aDatagramLargerThanItsBufferIsReportedTruncated() throws Exception {
        try (UdpSocket receiver = UdpSocket.open(ANY_V4, 1 << 20); UdpSocket sender = UdpSocket.open(ANY_V4, 1 << 20)) {
            new UdpBatchSender(sender, false).send(datagrams(300), destinations(receiver.localAddress(), 1), 0, 1);
            UdpBatchReceiver in = new UdpBatchReceiver(receiver, 4, 64);
            ByteBuffer[] buffers = {ByteBuffer.allocateDirect(100)};
            InetSocketAddress[] sources = new InetSocketAddress[1];

            long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            int n;
            while ((n = in.receive(buffers, sources, 1)) == UdpBatchReceiver.WOULD_BLOCK && System.nanoTime() < deadlineNs) {
                Thread.sleep(1);
            }

            assertThat(n).isEqualTo(1);
            assertThat(sources[0]).isNull();
            assertThat(in.truncated()).isEqualTo(1);
        }
    }

    private static void assertGsoRun(InetSocketAddress bind) throws Exception {
        try (UdpSocket receiver = UdpSocket.open(bind, 1 << 20); UdpSocket sender = UdpSocket.open(bind, 1 << 20)) {
            UdpBatchSender out = new UdpBatchSender(sender, true);
            int[] sizes = new int[11];
            java.util.Arrays.fill(sizes, 1200);
            sizes[10] = 345;

            assertThat(out.send(datagrams(sizes), destinations(receiver.localAddress(), 11), 0, 11)).isEqualTo(11);

            assertThat(out.gsoSends()).isEqualTo(1);
            assertThat(receiveAll(new UdpBatchReceiver(receiver, 16, 64), 11)).extracting(Received::bytes)
                    .containsExactly(1200, 1200, 1200, 1200, 1200, 1200, 1200, 1200, 1200, 1200, 345);
        }
    }

    record Received(int bytes, InetSocketAddress source, byte firstByte) {
    }

    /** Datagrams of the given sizes, each filled with its index. */
    static ByteBuffer[] datagrams(int... sizes) {
        ByteBuffer[] buffers = new ByteBuffer[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            buffers[i] = ByteBuffer.allocateDirect(sizes[i]);
            for (int k = 0; k < sizes[i]; k++) {
                buffers[i].put(k, (byte) i);
            }
        }
        return buffers;
    }

    static InetSocketAddress[] destinations(InetSocketAddress to, int count) {
        InetSocketAddress[] all = new InetSocketAddress[count];
        java.util.Arrays.fill(all, to);
        return all;
    }

    /** Receives until {@code expected} datagrams came, for 5 s at most. */
    static List<Received> receiveAll(UdpBatchReceiver in, int expected) throws Exception {
        List<Received> got = new ArrayList<>();
        ByteBuffer[] buffers = new ByteBuffer[in.batchSize()];
        InetSocketAddress[] sources = new InetSocketAddress[in.batchSize()];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.allocateDirect(65536);
        }
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (got.size() < expected && System.nanoTime() < deadlineNs) {
            for (ByteBuffer buffer : buffers) {
                buffer.clear();
            }
            int n = in.receive(buffers, sources, buffers.length);
            if (n == UdpBatchReceiver.WOULD_BLOCK) {
                Thread.sleep(1);
                continue;
            }
            for (int i = 0; i < n; i++) {
                got.add(new Received(buffers[i].remaining(), sources[i], buffers[i].get(0)));
            }
        }
        return got;
    }
}
