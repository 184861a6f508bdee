package zonegate.shell.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The epoll poller parks virtual threads instead of pinning carriers, and wakes them on readiness or close. */
class EpollPollerTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);

    private EpollPoller poller;
    private final List<UdpSocket> sockets = new ArrayList<>();

    @BeforeEach
    void startPoller() throws Exception {
        poller = EpollPoller.start("test-epoll", 64);
    }

    @AfterEach
    void stop() {
        poller.close();
        sockets.forEach(UdpSocket::close);
    }

    @Test
    void readersWaitingOnIdleSocketsLeaveCarriersToOtherVirtualThreads() throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CountDownLatch waiting = new CountDownLatch(4);
            for (int i = 0; i < 4; i++) {
                EpollPoller.Registration registration = poller.register(socket().fd());
                executor.submit(() -> {
                    waiting.countDown();
                    return registration.awaitReadable();
                });
            }
            assertThat(waiting.await(5, TimeUnit.SECONDS)).isTrue();
            AtomicInteger finished = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(100);

            for (int i = 0; i < 100; i++) {
                executor.submit(() -> {
                    finished.incrementAndGet();
                    done.countDown();
                });
            }

            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(finished).hasValue(100);
            poller.close();                                      // lets the four readers return
        }
    }

    @Test
    void aWaitingReaderIsUnparkedWhenDataArrives() throws Exception {
        UdpSocket receiver = socket();
        EpollPoller.Registration registration = poller.register(receiver.fd());
        UdpBatchReceiver in = new UdpBatchReceiver(receiver, 4, 16);
        CompletableFuture<Integer> read = new CompletableFuture<>();
        CountDownLatch parked = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                ByteBuffer[] buffers = {ByteBuffer.allocateDirect(2048)};
                InetSocketAddress[] sources = new InetSocketAddress[1];
                int n;
                while ((n = in.receive(buffers, sources, 1)) == UdpBatchReceiver.WOULD_BLOCK) {
                    parked.countDown();
                    registration.awaitReadable();
                }
                read.complete(buffers[0].remaining());
            } catch (Exception e) {
                read.completeExceptionally(e);
            }
        });
        assertThat(parked.await(5, TimeUnit.SECONDS)).isTrue();

        new UdpBatchSender(socket(), false).send(UdpSocketTest.datagrams(77),
                UdpSocketTest.destinations(receiver.localAddress(), 1), 0, 1);

        assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(77);
    }

    @Test
    void aWriterAndAReaderOfOneFdWaitIndependently() throws Exception {
        UdpSocket socket = socket();
        EpollPoller.Registration registration = poller.register(socket.fd());
        CompletableFuture<Boolean> reader = CompletableFuture.supplyAsync(() -> await(registration, true),
                Executors.newVirtualThreadPerTaskExecutor());

        assertThat(await(registration, false)).isTrue();        // an idle socket is writable at once
        assertThat(reader).isNotDone();

        new UdpBatchSender(socket(), false).send(UdpSocketTest.datagrams(10),
                UdpSocketTest.destinations(socket.localAddress(), 1), 0, 1);
        assertThat(reader.get(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void closingWakesEveryWaiterWithFalse() throws Exception {
        EpollPoller.Registration registration = poller.register(socket().fd());
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> await(registration, true),
                Executors.newVirtualThreadPerTaskExecutor());
        Thread.sleep(50);

        poller.close();

        assertThat(waiter.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(poller.isClosed()).isTrue();
    }

    @Test
    void wakeWaitersReleasesAWaiterWithoutReadiness() throws Exception {
        EpollPoller.Registration registration = poller.register(socket().fd());
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> await(registration, true),
                Executors.newVirtualThreadPerTaskExecutor());
        while (!waiter.isDone()) {
            registration.wakeWaiters();
            Thread.sleep(10);
        }

        assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
    }

    private static boolean await(EpollPoller.Registration registration, boolean read) {
        try {
            return read ? registration.awaitReadable() : registration.awaitWritable();
        } catch (NativeIoException e) {
            throw new IllegalStateException(e);
        }
    }

    private UdpSocket socket() throws NativeIoException {
        UdpSocket socket = UdpSocket.open(LOOPBACK, 1 << 16);
        sockets.add(socket);
        return socket;
    }
}
