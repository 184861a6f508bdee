package zonegate.shell.loop;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import zonegate.shell.io.UdpBatchReceiver;
import zonegate.shell.io.UdpBatchSender;
import zonegate.shell.io.UdpSocket;

/**
 * A measurement, not a test: datagrams/s sent on loopback with one syscall each against GSO runs of 32,
 * in one run (this VM is noisy: compare the two numbers, not against another run). A receiver drains
 * concurrently so the socket buffer does not fill. Run with
 * {@code ./build -pl gateway-app verify -Dtest=UdpGsoThroughputTest -Dzg.measure=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "zg.measure", matches = "true")
class UdpGsoThroughputTest {
    private static final int DATAGRAM_BYTES = 1200;
    private static final int RUN = 32;

    @Test
    void measureGsoAgainstOneSyscallPerDatagram() throws Exception {
        for (int round = 0; round < 2; round++) {
            double single = datagramsPerSecond(false);
            double gso = datagramsPerSecond(true);
            System.out.printf("UDP loopback, %d-byte datagrams: one syscall each %.0f/s, GSO runs of %d %.0f/s (x%.1f)%n",
                    DATAGRAM_BYTES, single, RUN, gso, gso / single);
        }
    }

    private static double datagramsPerSecond(boolean gso) throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
        try (UdpSocket receiver = UdpSocket.open(loopback, UdpSocket.DEFAULT_BUFFER_BYTES);
             UdpSocket sender = UdpSocket.open(loopback, UdpSocket.DEFAULT_BUFFER_BYTES)) {
            Thread drain = Thread.ofPlatform().daemon().start(() -> drain(receiver));
            UdpBatchSender out = new UdpBatchSender(sender, gso);
            ByteBuffer[] datagrams = new ByteBuffer[RUN];
            for (int i = 0; i < RUN; i++) {
                datagrams[i] = ByteBuffer.allocateDirect(DATAGRAM_BYTES);
            }
            InetSocketAddress[] to = new InetSocketAddress[RUN];
            Arrays.fill(to, receiver.localAddress());
            long sent = 0;
            long startNs = System.nanoTime();
            long endNs = startNs + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < endNs) {
                sent += out.send(datagrams, to, 0, RUN);
            }
            double perSecond = sent / ((System.nanoTime() - startNs) / 1e9);
            drain.interrupt();
            return perSecond;
        }
    }

    private static void drain(UdpSocket socket) {
        UdpBatchReceiver in = new UdpBatchReceiver(socket, 64, 16);
        ByteBuffer[] buffers = new ByteBuffer[64];
        InetSocketAddress[] sources = new InetSocketAddress[64];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.allocateDirect(2048);
        }
        try {
            while (!Thread.currentThread().isInterrupted()) {
                for (ByteBuffer buffer : buffers) {
                    buffer.clear();
                }
                if (in.receive(buffers, sources, buffers.length) == UdpBatchReceiver.WOULD_BLOCK) {
                    Thread.onSpinWait();
                }
            }
        } catch (Exception e) {
            // the socket closed under us: the measurement is over
        }
    }
}
