package zonegate.shell.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The state thread's own epoll set over real loopback sockets. */
class EpollSetTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);

    @Test
    void aReadableSocketIsReportedWithItsTokenUntilItIsDrained() throws Exception {
        try (EpollSet set = EpollSet.open(2);
             UdpSocket quiet = UdpSocket.open(LOOPBACK, 1 << 16);
             UdpSocket busy = UdpSocket.open(LOOPBACK, 1 << 16);
             UdpSocket client = UdpSocket.open(LOOPBACK, 1 << 16)) {
            set.add(quiet.fd(), 0);
            set.add(busy.fd(), 1);
            sendOne(client, busy.localAddress());

            assertThat(set.await(TimeUnit.SECONDS.toNanos(5))).isOne();
            assertThat(set.readyToken(0)).isEqualTo(1);
            assertThat(set.await(0)).as("level-triggered: still unread").isOne();
            drain(busy);
            assertThat(set.await(0)).isZero();
        }
    }

    @Test
    void aWakeFromAnotherThreadEndsTheWaitAndIsNotAReadyFd() throws Exception {
        try (EpollSet set = EpollSet.open(1); UdpSocket socket = UdpSocket.open(LOOPBACK, 1 << 16)) {
            set.add(socket.fd(), 0);
            long startNs = System.nanoTime();
            Thread.ofVirtual().start(() -> {
                sleep(50);
                set.wake();
            });

            assertThat(set.await(TimeUnit.SECONDS.toNanos(30))).isZero();

            assertThat(System.nanoTime() - startNs).isLessThan(TimeUnit.SECONDS.toNanos(10));
            assertThat(set.wakeUps()).isOne();
            assertThat(set.await(0)).as("the wake-up was consumed").isZero();
            assertThat(set.wakeUps()).isOne();
        }
    }

    @Test
    void aWaitForAWakeUpIgnoresReadableSockets() throws Exception {
        try (EpollSet set = EpollSet.open(1);
             UdpSocket socket = UdpSocket.open(LOOPBACK, 1 << 16);
             UdpSocket client = UdpSocket.open(LOOPBACK, 1 << 16)) {
            set.add(socket.fd(), 0);
            sendOne(client, socket.localAddress());
            long startNs = System.nanoTime();

            set.awaitWakeUp(TimeUnit.MILLISECONDS.toNanos(40));

            assertThat(System.nanoTime() - startNs).as("slept its timeout despite the datagram")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
            set.wake();
            set.awaitWakeUp(TimeUnit.SECONDS.toNanos(30));
            assertThat(set.wakeUps()).isOne();
        }
    }

    @Test
    void aTimeoutIsNotCutShort() throws Exception {
        try (EpollSet set = EpollSet.open(1)) {
            long startNs = System.nanoTime();

            assertThat(set.await(TimeUnit.MICROSECONDS.toNanos(2_500))).isZero();

            assertThat(System.nanoTime() - startNs).isGreaterThanOrEqualTo(TimeUnit.MICROSECONDS.toNanos(2_500));
        }
    }

    private static void sendOne(UdpSocket from, InetSocketAddress to) {
        ByteBuffer datagram = ByteBuffer.allocateDirect(16);
        new UdpBatchSender(from, false).send(new ByteBuffer[] {datagram}, new InetSocketAddress[] {to}, 0, 1);
    }

    private static void drain(UdpSocket socket) throws NativeIoException {
        UdpBatchReceiver receiver = new UdpBatchReceiver(socket, 4, 8);
        ByteBuffer[] buffers = {ByteBuffer.allocateDirect(64), ByteBuffer.allocateDirect(64),
                ByteBuffer.allocateDirect(64), ByteBuffer.allocateDirect(64)};
        while (receiver.receive(buffers, new InetSocketAddress[4], 4) != UdpBatchReceiver.WOULD_BLOCK) {
            for (ByteBuffer buffer : buffers) {
                buffer.clear();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
