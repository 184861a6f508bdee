package zonegate.shell.loop;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import zonegate.shell.io.UdpBatchReceiver;
import zonegate.shell.io.UdpBatchSender;
import zonegate.shell.io.UdpGroReceiver;
import zonegate.shell.io.UdpSocket;

/**
 * A measurement, not a test: datagrams/s one receiving thread takes on loopback with recvmmsg into the
 * batch's buffers against the UDP_GRO receiver (16 messages a call, a copy per datagram), from a sender of
 * single datagrams (nothing to join: GRO's cost) and from a GSO sender (runs of 32: its gain), alternating in
 * one run. Run with {@code ./build -pl shell test -Dtest=UdpGroThroughputTest -Dzg.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "zg.measure", matches = "true")
class UdpGroThroughputTest {
    private static final int DATAGRAM_BYTES = 1312;
    private static final int RUN = 32;

    @Test
    void measureGroAgainstPlainReceive() throws Exception {
        for (int round = 0; round < 3; round++) {
            for (boolean gsoSender : new boolean[] {false, true}) {
                double plain = received(false, gsoSender);
                double gro = received(true, gsoSender);
                System.out.printf("UDP loopback, %d-byte datagrams, %s sender: plain recvmmsg %.0f/s, GRO receiver %.0f/s"
                        + " (x%.2f)%n", DATAGRAM_BYTES, gsoSender ? "GSO" : "single-datagram", plain, gro, gro / plain);
            }
        }
    }

    /** Datagrams per second the receiver took over 2 s while a platform thread sent as fast as it could. */
    private static double received(boolean gro, boolean gsoSender) throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
        try (UdpSocket receiver = UdpSocket.open(loopback, UdpSocket.DEFAULT_BUFFER_BYTES);
             UdpSocket sender = UdpSocket.open(loopback, UdpSocket.DEFAULT_BUFFER_BYTES)) {
            if (gro && !receiver.enableUdpGro()) {
                throw new IllegalStateException("no UDP_GRO");
            }
            AtomicBoolean sending = new AtomicBoolean(true);
            Thread send = Thread.ofPlatform().daemon().start(() -> send(sender, receiver.localAddress(), gsoSender, sending));
            ByteBuffer[] buffers = new ByteBuffer[32];
            InetSocketAddress[] sources = new InetSocketAddress[32];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ByteBuffer.allocateDirect(2048);
            }
            UdpBatchReceiver plain = gro ? null : new UdpBatchReceiver(receiver, 32, 16);
            UdpGroReceiver joined = gro ? new UdpGroReceiver(receiver, 16, 16) : null;
            long count = 0;
            long startNs = System.nanoTime();
            long endNs = startNs + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < endNs) {
                for (ByteBuffer buffer : buffers) {
                    buffer.clear();
                }
                int n = gro ? joined.receive(buffers, sources, 32) : plain.receive(buffers, sources, 32);
                if (n > 0) {
                    count += n;
                }
            }
            double perSecond = count / ((System.nanoTime() - startNs) / 1e9);
            sending.set(false);
            send.join();
            return perSecond;
        }
    }

    private static void send(UdpSocket from, InetSocketAddress to, boolean gso, AtomicBoolean sending) {
        UdpBatchSender out = new UdpBatchSender(from, gso);
        ByteBuffer[] datagrams = new ByteBuffer[RUN];
        for (int i = 0; i < RUN; i++) {
            datagrams[i] = ByteBuffer.allocateDirect(DATAGRAM_BYTES);
        }
        InetSocketAddress[] destinations = new InetSocketAddress[RUN];
        Arrays.fill(destinations, to);
        while (sending.get()) {
            out.send(datagrams, destinations, 0, RUN);
        }
    }
}
