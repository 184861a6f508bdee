package zonegate.shell.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.shell.loop.NumberedDatagrams.awaitTrue;
import static zonegate.shell.loop.NumberedDatagrams.receiveSequence;
import static zonegate.shell.loop.NumberedDatagrams.numbered;
import static zonegate.shell.loop.NumberedDatagrams.send;
import static zonegate.shell.loop.NumberedDatagrams.to;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zonegate.shell.io.TestNamespace;
import zonegate.shell.io.TunDevice;
import zonegate.shell.io.UdpBatchSender;
import zonegate.shell.io.UdpSocket;
import zonegate.packet.BufferPool;

/** The event loop with a fake echo driver over real sockets and TUN devices. */
class EventLoopTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);

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
    void datagramsOfOneFlowAreEchoedInOrder() throws Exception {
        UdpSocket server = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        loop = EventLoop.create(EventLoopConfig.defaults(), driver, pool, null, List.of(server));
        loop.start();
        UdpSocket client = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));

        send(client, server.localAddress(), 0, 500, 64);

        assertThat(receiveSequence(client, 500)).isSorted().hasSize(500).doesNotHaveDuplicates();
        assertThat(loop.counters().outboundDrops()).isZero();
    }

    @Test
    void eachSocketCountsItsOwnDatagramsAndBytesAndTheTotalsAreTheirSum() throws Exception {
        UdpSocket first = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        UdpSocket second = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        loop = EventLoop.create(EventLoopConfig.defaults(), driver, pool, null, List.of(first, second));
        loop.start();
        UdpSocket client = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));

        send(client, first.localAddress(), 0, 30, 100);
        send(client, second.localAddress(), 0, 7, 200);
        receiveSequence(client, 37);

        LoopCounters counters = loop.counters();
        assertThat(loop.socketAddresses()).containsExactly(first.localAddress(), second.localAddress());
        assertThat(counters.socketCount()).isEqualTo(2);
        assertThat(List.of(counters.socket(0).datagramsIn(), counters.socket(0).bytesIn(),
                counters.socket(1).datagramsIn(), counters.socket(1).bytesIn())).containsExactly(30L, 3_000L, 7L, 1_400L);
        assertThat(awaitTrue(() -> counters.socket(1).datagramsOut() == 7)).isTrue();
        assertThat(List.of(counters.socket(0).datagramsOut(), counters.socket(0).bytesOut(), counters.socket(1).bytesOut()))
                .containsExactly(30L, 3_000L, 1_400L);
        assertThat(List.of(counters.datagramsIn(), counters.datagramBytesIn(), counters.datagramsOut(),
                counters.datagramBytesOut())).containsExactly(37L, 4_400L, 37L, 4_400L);
    }

    @Test
    void aPoolTooSmallForTheReadersBatchesIsRefusedAtCreation() throws Exception {
        UdpSocket first = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));
        UdpSocket second = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));
        EventLoopConfig config = EventLoopConfig.defaults();
        int minimum = EventLoop.minimumPoolBuffers(config, 0, 2);
        BufferPool small = new BufferPool(2048, minimum - 1, true);

        assertThat(minimum).isEqualTo(2 * config.readBatchesPerSource() * config.readBatchSize());
        assertThatThrownBy(() -> EventLoop.create(config, driver, small, null, List.of(first, second)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a pool of " + (minimum - 1) + " buffers is too small for 0 TUN queues and 2 sockets");
        assertThat(EventLoop.minimumPoolBuffers(config.withStateThreadIo(), 0, 200)).isEqualTo(config.readBatchSize());
    }

    @Test
    void queueDepthsAreEmptyWhenIdleWithTheirCapacities() throws Exception {
        UdpSocket server = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        EventLoopConfig config = EventLoopConfig.defaults().withReadBatches(4, 3).withWriteBatches(4, 5);
        loop = EventLoop.create(config, driver, pool, null, List.of(server));
        loop.start();

        assertThat(loop.queueDepths()).containsExactly(new QueueDepth("device_in", 0, 0), new QueueDepth("udp_in", 0, 3),
                new QueueDepth("device_out", 0, 0), new QueueDepth("udp_out", 0, 5),
                new QueueDepth("commands", 0, config.commandCapacity()));
    }

    @Test
    void aFailingPacketInABatchDoesNotStopTheRest() throws Exception {
        UdpSocket server = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        loop = EventLoop.create(EventLoopConfig.defaults(), driver, pool, null, List.of(server));
        UdpSocket client = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));
        ByteBuffer[] datagrams = numbered(0, 10, 64);
        datagrams[3].put(0, EchoDriver.MALFORMED);
        datagrams[7].put(0, EchoDriver.MALFORMED);
        new UdpBatchSender(client, false).send(datagrams, to(server.localAddress(), 10), 0, 10);
        loop.start();

        assertThat(receiveSequence(client, 8)).containsExactly(0, 1, 2, 4, 5, 6, 8, 9);
        assertThat(loop.counters().driverErrors()).isEqualTo(2);
    }

    @Test
    void aFloodingSourceDoesNotStarveAnotherAndCommandsComeFirst() throws Exception {
        UdpSocket flooded = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        UdpSocket quiet = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        EventLoopConfig config = EventLoopConfig.defaults().withDrainBatchesPerCycle(1);
        loop = EventLoop.create(config, driver, pool, null, List.of(flooded, quiet));
        loop.startEmbedded();
        UdpSocket client = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));
        send(client, flooded.localAddress(), 0, 1000, 64);
        send(client, quiet.localAddress(), 0, 1, 64);
        // Nothing drains the readers' queues until invoke(): they fill up, then stop reading.
        assertThat(awaitQuiet(() -> loop.counters().datagramsIn())).isGreaterThan(config.readBatchesPerSource());
        loop.submit("reconfigure");

        loop.invoke();

        assertThat(driver.events.getFirst()).isEqualTo("command reconfigure");
        assertThat(driver.events).contains("datagram 1");
        assertThat(driver.events.stream().filter("datagram 0"::equals).count()).isLessThanOrEqualTo(config.readBatchSize());
    }

    @Test
    void aHeartbeatRunsOnTheCycleThreadAndNotAgainBeforeItsInterval() throws Exception {
        loop = EventLoop.create(EventLoopConfig.defaults(), driver, pool, null, List.of());
        loop.startEmbedded();
        List<Thread> beats = new ArrayList<>();
        loop.setHeartbeat(TimeUnit.DAYS.toNanos(1), () -> beats.add(Thread.currentThread()));

        loop.invoke();
        loop.invoke();

        assertThat(beats).containsExactly(Thread.currentThread());
    }

    @Test
    void anIdleLoopParksUntilTheDriversDeadlineAndSaysUntilWhen() throws Exception {
        UdpSocket server = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        driver.deadlineNs = deadlineNs;
        loop = EventLoop.create(longPark(EventLoopConfig.defaults()), driver, pool, null, List.of(server));
        loop.start();

        assertThat(awaitTrue(() -> loop.counters().parkedUntilNs() != 0)).as("parked").isTrue();

        assertThat(loop.counters().parkedUntilNs()).isEqualTo(deadlineNs);
    }

    @Test
    void withStateThreadIoAnIdleLoopParksUntilItsLongestParkAndWakesForADatagram() throws Exception {
        UdpSocket server = UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES);
        EventLoopConfig config = longPark(EventLoopConfig.defaults().withStateThreadIo().withIdle(0, 0));
        long beforeNs = System.nanoTime();
        loop = EventLoop.create(config, driver, pool, null, List.of(server));
        loop.start();
        assertThat(awaitTrue(() -> loop.counters().parkedUntilNs() != 0)).as("parked").isTrue();
        assertThat(loop.counters().parkedUntilNs() - beforeNs).isGreaterThanOrEqualTo(config.maxParkNs());
        UdpSocket client = closing(UdpSocket.open(LOOPBACK, UdpSocket.DEFAULT_BUFFER_BYTES));

        send(client, server.localAddress(), 0, 1, 64);

        assertThat(receiveSequence(client, 1)).containsExactly(0);
    }

    @Test
    void anIdleLoopWakesForItsHeartbeatOnTime() throws Exception {
        loop = EventLoop.create(longPark(EventLoopConfig.defaults().withIdle(0, 0)), driver, pool, null, List.of());
        loop.start();
        List<Long> beats = Collections.synchronizedList(new ArrayList<>());
        long intervalNs = TimeUnit.MILLISECONDS.toNanos(50);

        loop.setHeartbeat(intervalNs, () -> beats.add(System.nanoTime()));

        assertThat(awaitTrue(() -> beats.size() >= 5)).as("five beats, not one per 60 s park").isTrue();
    }

    @Test
    void aHeartbeatThatThrowsIsCountedAsADriverError() throws Exception {
        loop = EventLoop.create(EventLoopConfig.defaults(), driver, pool, null, List.of());
        loop.startEmbedded();
        loop.setHeartbeat(TimeUnit.DAYS.toNanos(1), () -> {
            throw new IllegalStateException("beat failed");
        });

        loop.invoke();

        assertThat(loop.counters().driverErrors()).isEqualTo(1);
    }

    @Test
    void packetsThroughAMultiQueueTunAreReflectedInOrder() throws Exception {
        TestNamespace namespace = closing(TestNamespace.create());
        TunDevice tun = namespace.configuredTun("zgloop0", 2);
        loop = EventLoop.create(EventLoopConfig.defaults(), driver, pool, tun, List.of());
        loop.start();
        UdpSocket client = closing(namespace.udpSocket(new InetSocketAddress(InetAddress.ofLiteral("100.64.0.1"), 0), 1 << 20));

        send(client, new InetSocketAddress(InetAddress.ofLiteral("100.64.0.2"), 7777), 0, 200, 64);

        assertThat(receiveSequence(client, 200)).isSorted().hasSize(200).doesNotHaveDuplicates();
        assertThat(loop.counters().devicePacketsOut()).isGreaterThanOrEqualTo(200);
    }

    @Test
    void aSlowWriterStopsTheReadingInsteadOfDropping() throws Exception {
        TestNamespace namespace = closing(TestNamespace.create());
        // A sink that drains 1 KB/s (a TUN nobody reads, behind a token bucket): its queue keeps the loop's
        // send buffer full, so the writer waits for writability.
        closing(namespace.call(() -> TunDevice.open("sink0", 1)));
        namespace.exec("ip", "addr", "add", "10.9.0.1/24", "dev", "sink0");
        namespace.exec("ip", "link", "set", "sink0", "up");
        namespace.exec("tc", "qdisc", "add", "dev", "sink0", "root", "tbf", "rate", "8kbit", "burst", "2000", "limit", "1000000");
        UdpSocket server = namespace.udpSocket(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), 0), 16 << 10);
        driver.forwardTo = new InetSocketAddress(InetAddress.ofLiteral("10.9.0.2"), 9);
        EventLoopConfig config = EventLoopConfig.defaults().withReadBatches(4, 4).withWriteBatches(4, 4);
        loop = EventLoop.create(config, driver, pool, null, List.of(server));
        loop.start();
        UdpSocket client = closing(namespace.udpSocket(LOOPBACK, 1 << 20));
        InetSocketAddress serverAddress = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), server.localAddress().getPort());

        // Until the sink holds the socket buffer full and the writer's batches stay taken, then until input
        // meets that: a back-pressured cycle counted only before (a writer not yet scheduled, with everything
        // sent after) would not show it, nor would input that ran out before the batches did.
        int held = config.writeBatchesPerChannel() - config.outboundReserveBatches();
        long pressureWhenHeld = -1;
        for (int round = 0; round < 80; round++) {
            if (loop.queueDepths().get(3).used() >= held) {
                if (pressureWhenHeld < 0) {
                    pressureWhenHeld = loop.counters().backPressuredCycles();
                } else if (loop.counters().backPressuredCycles() > pressureWhenHeld) {
                    break;
                }
            }
            send(client, serverAddress, round * 50, 50, 1000);
            Thread.sleep(20);
        }

        assertThat(loop.queueDepths().get(3)).satisfies(udpOut -> {
            assertThat(udpOut.queue()).isEqualTo("udp_out");
            assertThat(udpOut.used()).as("udp_out batches held").isGreaterThanOrEqualTo(held);
        });
        assertThat(pressureWhenHeld).as("batches held").isNotNegative();
        assertThat(loop.counters().backPressuredCycles()).as("back-pressured cycles while held")
                .isGreaterThan(pressureWhenHeld);
        assertThat(loop.counters().outboundDrops()).isZero();
        LoopCounters counters = loop.counters();
        int inFlightBound = config.readBatchSize() * config.readBatchesPerSource()
                + config.writeBatchSize() * config.writeBatchesPerChannel();
        Thread.sleep(200);
        assertThat(counters.datagramsIn() - counters.datagramsOut()).as("read but unsent stays bounded")
                .isLessThanOrEqualTo(inFlightBound);
        long startNs = System.nanoTime();
        loop.close();
        assertThat(System.nanoTime() - startNs).as("flush is bounded").isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(counters.datagramsIn()).as("every datagram read was sent or discarded at stop, none lost")
                .isEqualTo(counters.datagramsOut() + counters.discardedAtStop() + counters.sendErrors());
    }

    @Test
    void commandsSubmittedFromAnotherThreadReachTheDriver() throws Exception {
        loop = EventLoop.create(EventLoopConfig.defaults(), driver, pool, null, List.of());
        loop.start();

        Thread.ofVirtual().start(() -> loop.submit("hello")).join();

        assertThat(awaitTrue(() -> driver.events.contains("command hello"))).isTrue();
    }

    @Test
    void theLatestPublishedStateReachesTheDriverFirstEvenWhenTheCommandQueueIsFull() throws Exception {
        EventLoopConfig config = EventLoopConfig.defaults();
        loop = EventLoop.create(config, driver, pool, null, List.of());
        loop.startEmbedded();
        int queued = 0;
        while (loop.submit("dns " + queued)) {
            queued++;
        }

        assertThat(loop.queueDepths().getLast()).isEqualTo(new QueueDepth("commands", queued, config.commandCapacity()));
        loop.publishLatest("policy 1");
        loop.publishLatest("policy 2");
        loop.invoke();

        assertThat(loop.counters().commandsRefused()).isOne();
        assertThat(loop.counters().statesSuperseded()).isOne();
        assertThat(driver.events).contains("command policy 2").doesNotContain("command policy 1");
        assertThat(driver.events.indexOf("command policy 2")).isLessThan(driver.events.indexOf("command dns 0"));
        while (loop.invoke() > 0) {
            assertThat(driver.events).doesNotContain("command policy 1");
        }
        assertThat(driver.events.stream().filter(e -> e.startsWith("command policy")).count()).isOne();
    }

    @Test
    void aStatePublishedBeforeACommandWasQueuedReachesTheDriverBeforeThatCommand() throws Exception {
        loop = EventLoop.create(EventLoopConfig.defaults(), driver, pool, null, List.of());
        loop.startEmbedded();
        // While the cycle handles "first", past its look at the state slot, another party publishes then asks.
        driver.afterCommand = command -> {
            if (command.equals("first")) {
                loop.publishLatest("policy 2");
                loop.submit("snapshot");
            }
        };
        loop.submit("first");

        loop.invoke();

        assertThat(driver.events).containsExactly("command first", "command policy 2", "command snapshot");
    }

    private <T extends AutoCloseable> T closing(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /** Waits (5 s at most) until {@code counter} stops changing for 200 ms; returns its value. */
    private static long awaitQuiet(java.util.function.LongSupplier counter) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        long last = -1;
        long stableSinceNs = System.nanoTime();
        while (System.nanoTime() < deadlineNs) {
            long value = counter.getAsLong();
            if (value != last) {
                last = value;
                stableSinceNs = System.nanoTime();
            } else if (value > 0 && System.nanoTime() - stableSinceNs > TimeUnit.MILLISECONDS.toNanos(200)) {
                break;
            }
            Thread.sleep(10);
        }
        return last;
    }

    /** {@code config} with a 60 s longest park, so only a deadline, a beat or a wake-up ends a park in a test. */
    private static EventLoopConfig longPark(EventLoopConfig c) {
        return new EventLoopConfig(c.readBatchSize(), c.readBatchesPerSource(), c.drainBatchesPerCycle(),
                c.writeBatchSize(), c.writeBatchesPerChannel(), c.outboundReserveBatches(), c.commandCapacity(),
                c.commandsPerCycle(), c.sourceCacheEntries(), c.spinCycles(), c.yieldCycles(),
                TimeUnit.SECONDS.toNanos(60), c.flushTimeoutNs(), c.udpGso(), c.stateThreadIo(), c.udpGro(),
                c.ackThinning());
    }
}
