package zonegate.shell.loop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import zonegate.shell.io.UdpBatchReceiver;
import zonegate.shell.io.UdpBatchSender;
import zonegate.shell.io.UdpSocket;

/** The loop tests' traffic: datagrams carrying a sequence number (a big-endian int at offset 4), and waits. */
final class NumberedDatagrams {
    private NumberedDatagrams() {
    }

    /** Sends datagrams numbered {@code first..first+count-1}, of {@code bytes} each (5 s at most). */
    static void send(UdpSocket from, InetSocketAddress to, int first, int count, int bytes) {
        UdpBatchSender sender = new UdpBatchSender(from, false);
        ByteBuffer[] datagrams = numbered(first, count, bytes);
        InetSocketAddress[] destinations = to(to, count);
        int done = 0;
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (done < count && System.nanoTime() < deadlineNs) {
            done += sender.send(datagrams, destinations, done, count - done);
        }
    }

    static ByteBuffer[] numbered(int first, int count, int bytes) {
        ByteBuffer[] datagrams = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            datagrams[i] = ByteBuffer.allocateDirect(bytes).putInt(0, 0).putInt(4, first + i);
        }
        return datagrams;
    }

    static InetSocketAddress[] to(InetSocketAddress destination, int count) {
        InetSocketAddress[] all = new InetSocketAddress[count];
        Arrays.fill(all, destination);
        return all;
    }

    /** Receives up to {@code expected} datagrams (5 s at most) and returns their numbers in arrival order. */
    static List<Integer> receiveSequence(UdpSocket socket, int expected) throws Exception {
        return receive(socket, expected, datagram -> datagram.getInt(4));
    }

    /** Receives up to {@code expected} datagrams (5 s at most): what {@code read} makes of each, in arrival order. */
    static <T> List<T> receive(UdpSocket socket, int expected, Function<ByteBuffer, T> read) throws Exception {
        UdpBatchReceiver receiver = new UdpBatchReceiver(socket, 32, 64);
        ByteBuffer[] buffers = new ByteBuffer[32];
        InetSocketAddress[] sources = new InetSocketAddress[32];
        for (int i = 0; i < buffers.length; i++) {
            buffers[i] = ByteBuffer.allocateDirect(2048);
        }
        List<T> received = new ArrayList<>();
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received.size() < expected && System.nanoTime() < deadlineNs) {
            for (ByteBuffer buffer : buffers) {
                buffer.clear();
            }
            int n = receiver.receive(buffers, sources, buffers.length);
            if (n == UdpBatchReceiver.WOULD_BLOCK) {
                Thread.sleep(1);
                continue;
            }
            for (int i = 0; i < n; i++) {
                received.add(read.apply(buffers[i]));
            }
        }
        return received;
    }

    /** Whether {@code condition} held within 5 s. */
    static boolean awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadlineNs) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
