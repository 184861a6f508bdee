package zonegate.shell.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zonegate.shell.io.UdpBatchSender;
import zonegate.shell.io.UdpSocket;
import zonegate.packet.BufferPool;

/**
 * The event loop with {@link EventLoopConfig#withUdpGro}: clients send GSO runs on loopback, the loop's socket
 * gets them as super-datagrams, and the driver sees every datagram, in order, from its sender (the echo proves
 * it: each client gets its own numbers back, with their lengths). Read batches of 8 are smaller than a run of
 * 21, so segments wait from one read to the next. With state-thread I/O and with reader threads.
 */
class UdpGroLoopTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
    private static final int RUNS = 10;
    private static final int RUN = 21;
    private static final int SEGMENT_BYTES = 1000;
    private static final int LAST_BYTES = 300;

    private final BufferPool pool = new BufferPool(2048, 2048, true);
    private final EchoDriver driver = new EchoDriver();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private EventLoop loop;

    @AfterEach
    void stopReleasesEveryBuffer() throws Exception {
        if (loop != null) {
            loop.close();
            assertThat(pool.available()).as("buffers back in the pool").isEqualTo(pool.capacity());
            assertThat(pool.rejectedReleases()).isZero();
        }
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    @Test
    void stateThreadIoDeliversEverySegmentInOrderFromItsSender() throws Exception {
        assertEchoedThroughGro(EventLoopConfig.defaults().withStateThreadIo().withIdle(0, 0));
    }

    @Test
    void readerThreadsDeliverEverySegmentInOrderFromItsSender() throws Exception {
        assertEchoedThroughGro(EventLoopConfig.defaults());
    }

    @Test
    void groIsOffUnlessAsked() throws Exception {
        UdpSocket server = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        loop = EventLoop.create(EventLoopConfig.defaults().withStateThreadIo(), driver, pool, null, List.of(server));
        loop.start();
        UdpSocket client = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));

        sendRun(client, server.localAddress(), 0);

        assertThat(receive(client, RUN)).hasSize(RUN);
        assertThat(server.udpGro()).isFalse();
        assertThat(loop.counters().udpGroReads()).isZero();
        assertThat(loop.counters().datagramsIn()).isEqualTo(RUN);
    }

    private void assertEchoedThroughGro(EventLoopConfig base) throws Exception {
        UdpSocket server = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        loop = EventLoop.create(base.withUdpGro(true).withReadBatches(8, 4), driver, pool, null, List.of(server));
        loop.start();
        UdpSocket a = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));
        UdpSocket b = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));

        for (int run = 0; run < RUNS; run++) {
            sendRun(a, server.localAddress(), run * RUN);
            sendRun(b, server.localAddress(), 100_000 + run * RUN);
        }

        List<Echo> toA = receive(a, RUNS * RUN);
        List<Echo> toB = receive(b, RUNS * RUN);
        assertThat(server.udpGro()).isTrue();
        assertThat(toA).containsExactlyElementsOf(expected(0));
        assertThat(toB).containsExactlyElementsOf(expected(100_000));
        LoopCounters counters = loop.counters();
        assertThat(counters.udpGroReads()).as("runs came as super-datagrams").isPositive();
        assertThat(counters.datagramsIn()).isEqualTo(2L * RUNS * RUN);
        assertThat(counters.socket(0).bytesIn()).isEqualTo(2L * RUNS * ((RUN - 1) * SEGMENT_BYTES + LAST_BYTES));
        assertThat(counters.udpGroDrops()).isZero();
        assertThat(counters.truncatedDatagrams()).isZero();
    }

    /** One GSO send: {@code RUN - 1} datagrams of {@code SEGMENT_BYTES} and a shorter last, numbered from {@code first}. */
    private static void sendRun(UdpSocket from, InetSocketAddress to, int first) {
        UdpBatchSender sender = new UdpBatchSender(from, true);
        ByteBuffer[] datagrams = NumberedDatagrams.numbered(first, RUN, SEGMENT_BYTES);
        datagrams[RUN - 1] = ByteBuffer.allocateDirect(LAST_BYTES).putInt(4, first + RUN - 1);
        assertThat(sender.send(datagrams, NumberedDatagrams.to(to, RUN), 0, RUN)).isEqualTo(RUN);
        assertThat(sender.gsoSends()).isEqualTo(1);
    }

    private static List<Echo> expected(int first) {
        List<Echo> all = new ArrayList<>();
        for (int i = 0; i < RUNS * RUN; i++) {
            all.add(new Echo(first + i, i % RUN == RUN - 1 ? LAST_BYTES : SEGMENT_BYTES));
        }
        return all;
    }

    /** Receives up to {@code expected} datagrams (5 s at most): their numbers and lengths in arrival order. */
    private static List<Echo> receive(UdpSocket socket, int expected) throws Exception {
        return NumberedDatagrams.receive(socket, expected, datagram -> new Echo(datagram.getInt(4), datagram.remaining()));
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    record Echo(int number, int bytes) {
    }
}
