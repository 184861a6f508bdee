package zonegate.shell.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.shell.loop.NumberedDatagrams.awaitTrue;
import static zonegate.shell.loop.NumberedDatagrams.receiveSequence;
import static zonegate.shell.loop.NumberedDatagrams.send;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zonegate.shell.io.TestNamespace;
import zonegate.shell.io.TunDevice;
import zonegate.shell.io.TunQueue;
import zonegate.shell.io.UdpSocket;
import zonegate.packet.BufferPool;

/** The event loop with {@link EventLoopConfig#withStateThreadIo()}: the state thread reads and sends itself. */
class StateThreadIoTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
    /** No spinning, and a park long enough that only a wake-up or a deadline can end it within a test. */
    private static final EventLoopConfig PARKING = new EventLoopConfig(32, 8, 4, 32, 8, 2, 1024, 64, 4096, 0, 0,
            Duration.ofSeconds(30).toNanos(), Duration.ofSeconds(1).toNanos(), true, true);

    private final BufferPool pool = new BufferPool(2048, 2048, true);
    private final EchoDriver driver = new EchoDriver();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private EventLoop loop;

    @AfterEach
    void stopReleasesEveryBuffer() throws Exception {
        if (loop != null) {
            loop.close();
            assertThat(driver.stopped).isTrue();
            assertThat(pool.available()).as("buffers back in the pool").isEqualTo(pool.capacity());
            assertThat(pool.rejectedReleases()).isZero();
        }
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    @Test
    void theStateThreadEchoesInOrderAndSendsItself() throws Exception {
        UdpSocket server = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        loop = EventLoop.create(EventLoopConfig.defaults().withStateThreadIo(), driver, pool, null, List.of(server));
        loop.start();
        UdpSocket client = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));

        send(client, server.localAddress(), 0, 500, 64);

        assertThat(receiveSequence(client, 500)).isSorted().hasSize(500).doesNotHaveDuplicates();
        LoopCounters counters = loop.counters();
        OutboundChannel channel = loop.socketChannel(0);
        loop.close();
        assertThat(counters.datagramsIn()).isEqualTo(500);
        assertThat(counters.datagramsOut()).isEqualTo(500);
        assertThat(counters.socket(0).datagramsIn()).as("counted per socket too").isEqualTo(500);
        assertThat(counters.socket(0).bytesOut()).isEqualTo(500 * 64);
        assertThat(loop.queueDepths().get(1)).as("udp_in: no read batch ever waits")
                .isEqualTo(new QueueDepth("udp_in", 0, 0));
        assertThat(counters.outboundDrops()).isZero();
        assertThat(channel.directSends()).as("flushes sent on the state thread").isPositive();
        assertThat(channel.handOffs()).as("nothing refused: nothing for the writer").isZero();
    }

    @Test
    void aSocketThatWouldBlockKeepsItsOrderThroughTheWriterAndCloseAccountsForEveryDatagram() throws Exception {
        TestNamespace namespace = closing(TestNamespace.create());
        // The loop's output leaves through a TUN device behind a 2 Mbit/s token bucket: its qdisc holds the
        // datagrams, so the server's small send buffer fills and sends meet EAGAIN. The test reads the device.
        TunDevice sink = closing(namespace.call(() -> TunDevice.open("sink0", 1)));
        namespace.exec("ip", "addr", "add", "10.9.0.1/24", "dev", "sink0");
        namespace.exec("ip", "link", "set", "sink0", "up");
        namespace.exec("tc", "qdisc", "add", "dev", "sink0", "root", "tbf", "rate", "2mbit", "burst", "4000",
                "limit", "10000000");
        UdpSocket server = namespace.udpSocket(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), 0), 4 << 20);
        server.setSendBufferBytes(8 << 10);
        driver.forwardTo = new InetSocketAddress(InetAddress.ofLiteral("10.9.0.2"), 9);
        loop = EventLoop.create(EventLoopConfig.defaults().withStateThreadIo().withReadBatches(8, 4)
                .withWriteBatches(8, 4), driver, pool, null, List.of(server));
        loop.start();
        UdpSocket client = closing(namespace.udpSocket(LOOPBACK, 4 << 20));
        InetSocketAddress serverAddress = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"),
                server.localAddress().getPort());
        int count = 600;

        send(client, serverAddress, 0, count, 200);
        List<Integer> received = readSink(sink.queue(0), count);

        assertThat(received).as("every datagram, in order").hasSize(count).isSorted().doesNotHaveDuplicates();
        OutboundChannel channel = loop.socketChannel(0);
        LoopCounters counters = loop.counters();
        loop.close();
        assertThat(channel.handOffs()).as("sends that met EAGAIN went to the writer").isPositive();
        assertThat(counters.outboundDrops()).isZero();
        assertThat(counters.datagramsIn()).as("every datagram read was sent, refused or discarded at stop")
                .isEqualTo(counters.datagramsOut() + counters.discardedAtStop() + counters.sendErrors());
    }

    @Test
    void aCloseWhileTheWriterWaitsFlushesForAtMostTheFlushTimeAndReleasesEveryBuffer() throws Exception {
        TestNamespace namespace = closing(TestNamespace.create());
        closing(namespace.call(() -> TunDevice.open("sink0", 1)));
        namespace.exec("ip", "addr", "add", "10.9.0.1/24", "dev", "sink0");
        namespace.exec("ip", "link", "set", "sink0", "up");
        namespace.exec("tc", "qdisc", "add", "dev", "sink0", "root", "tbf", "rate", "8kbit", "burst", "2000",
                "limit", "1000000");
        UdpSocket server = namespace.udpSocket(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), 0), 4 << 20);
        server.setSendBufferBytes(8 << 10);
        driver.forwardTo = new InetSocketAddress(InetAddress.ofLiteral("10.9.0.2"), 9);
        loop = EventLoop.create(EventLoopConfig.defaults().withStateThreadIo().withReadBatches(4, 4)
                .withWriteBatches(4, 4), driver, pool, null, List.of(server));
        loop.start();
        UdpSocket client = closing(namespace.udpSocket(LOOPBACK, 4 << 20));
        InetSocketAddress serverAddress = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"),
                server.localAddress().getPort());
        send(client, serverAddress, 0, 300, 1000);
        LoopCounters counters = loop.counters();
        assertThat(awaitTrue(() -> counters.backPressuredCycles() > 0)).as("the writer holds back the reading").isTrue();

        long startNs = System.nanoTime();
        loop.close();

        assertThat(System.nanoTime() - startNs).as("flush is bounded").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(counters.discardedAtStop()).as("what the sink could not take in the flush time").isPositive();
        assertThat(counters.datagramsIn())
                .isEqualTo(counters.datagramsOut() + counters.discardedAtStop() + counters.sendErrors());
        assertThat(counters.outboundDrops()).isZero();
    }

    @Test
    void aCycleReadsAReadySocketForAtMostItsDrainLimitAndTheOtherSocketsToo() throws Exception {
        UdpSocket flooded = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        UdpSocket quiet = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        EventLoopConfig config = EventLoopConfig.defaults().withStateThreadIo().withReadBatches(8, 2)
                .withDrainBatchesPerCycle(2);
        loop = EventLoop.create(config, driver, pool, null, List.of(flooded, quiet));
        loop.startEmbedded();
        UdpSocket client = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));
        // Loopback queues a datagram at the receiver before sendmsg returns: both sockets are ready now.
        send(client, flooded.localAddress(), 0, 100, 64);
        send(client, quiet.localAddress(), 0, 1, 64);
        loop.submit("reconfigure");

        loop.invoke();

        assertThat(driver.events.getFirst()).isEqualTo("command reconfigure");
        assertThat(driver.events).contains("datagram 1");
        assertThat(driver.events.stream().filter("datagram 0"::equals).count())
                .isEqualTo((long) config.readBatchSize() * config.drainBatchesPerCycle());
        int cycles = 1;
        while (driver.events.stream().filter("datagram 0"::equals).count() < 100 && cycles < 100) {
            loop.invoke();
            cycles++;
        }
        assertThat(cycles).as("16 per cycle: 7 cycles for 100").isEqualTo(7);
        assertThat(receiveSequence(client, 101)).hasSize(101);
    }

    @Test
    void aCommandWakesTheStateThreadSleepingInEpoll() throws Exception {
        UdpSocket server = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        loop = EventLoop.create(PARKING, driver, pool, null, List.of(server));
        loop.start();
        LoopCounters counters = loop.counters();
        assertThat(awaitQuietCycles(counters)).as("the state thread went to sleep").isTrue();

        long startNs = System.nanoTime();
        Thread.ofVirtual().start(() -> loop.submit("hello")).join();

        assertThat(awaitTrue(() -> driver.events.contains("command hello"))).isTrue();
        assertThat(System.nanoTime() - startNs).as("woken, not timed out").isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void aDatagramWakesTheStateThreadSleepingInEpoll() throws Exception {
        UdpSocket server = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        loop = EventLoop.create(PARKING, driver, pool, null, List.of(server));
        loop.start();
        assertThat(awaitQuietCycles(loop.counters())).isTrue();
        UdpSocket client = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));

        send(client, server.localAddress(), 7, 1, 64);

        assertThat(receiveSequence(client, 1)).containsExactly(7);
    }

    @Test
    void aDeadlineEndsTheSleepNoEarlierThanDue() throws Exception {
        loop = EventLoop.create(PARKING, driver, pool, null, List.of(UdpSocket.open(LOOPBACK, 1 << 16)));
        loop.start();
        assertThat(awaitQuietCycles(loop.counters())).isTrue();
        long dueNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
        driver.deadlineNs = dueNs;
        loop.submit("deadline set");                   // the sleeping thread reads the new deadline when woken

        assertThat(awaitTrue(() -> !driver.timeoutsNs.isEmpty())).isTrue();
        long firedNs = driver.timeoutsNs.getFirst();
        assertThat(firedNs).as("not before the deadline").isGreaterThanOrEqualTo(dueNs);
        assertThat(firedNs - dueNs).as("and soon after it, not at the 30 s park bound")
                .isLessThan(TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void theEmbeddedModeEchoesAndIdlesInEpoll() throws Exception {
        UdpSocket server = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        loop = EventLoop.create(EventLoopConfig.defaults().withStateThreadIo().withIdle(0, 0), driver, pool, null,
                List.of(server));
        loop.startEmbedded();
        UdpSocket client = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));
        Thread sender = Thread.ofVirtual().start(() -> send(client, server.localAddress(), 0, 200, 64));

        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (loop.counters().datagramsOut() < 200 && System.nanoTime() < deadlineNs) {
            loop.idle(loop.invoke());
        }
        sender.join();

        assertThat(receiveSequence(client, 200)).isSorted().hasSize(200);
        driver.deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        while (driver.timeoutsNs.isEmpty() && System.nanoTime() < deadlineNs) {
            loop.idle(loop.invoke());
        }
        assertThat(driver.timeoutsNs).hasSize(1);
        assertThat(loop.counters().parkedNs()).as("idled in the epoll set until the deadline").isPositive();
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /** Reads IPv4 UDP packets to port 9 from {@code queue} (10 s at most) and returns their numbers in order. */
    private static List<Integer> readSink(TunQueue queue, int expected) throws Exception {
        ByteBuffer packet = ByteBuffer.allocateDirect(2048);
        List<Integer> numbers = new ArrayList<>();
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (numbers.size() < expected && System.nanoTime() < deadlineNs) {
            packet.clear();
            int n = queue.read(packet);
            if (n == TunQueue.WOULD_BLOCK) {
                Thread.sleep(1);
                continue;
            }
            int headerBytes = (packet.get(0) & 0x0F) * 4;
            if ((packet.get(0) & 0xF0) == 0x40 && packet.get(9) == 17 && packet.getShort(headerBytes + 2) == 9) {
                numbers.add(packet.getInt(headerBytes + 8 + 4));
            }
        }
        return numbers;
    }

    /** Waits (5 s at most) until the loop ran no cycle for 200 ms: its thread sleeps. */
    private static boolean awaitQuietCycles(LoopCounters counters) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long last = -1;
        long stableSinceNs = System.nanoTime();
        while (System.nanoTime() < deadlineNs) {
            long cycles = counters.cycles();
            if (cycles != last) {
                last = cycles;
                stableSinceNs = System.nanoTime();
            } else if (cycles > 0 && System.nanoTime() - stableSinceNs > TimeUnit.MILLISECONDS.toNanos(200)) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}
