package zonegate.bench.flood;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;

/**
 * A connected IPv4 UDP socket (its own source port) that sends up to {@value #MAX_COPIES} copies of
 * one datagram with a single {@code send}: Linux UDP segmentation offload ({@code UDP_SEGMENT}) cuts
 * the buffer into datagrams of the datagram's length. A JDK DatagramChannel pays a syscall per
 * datagram, which on these 2 vCPUs tops out far below the flood rate the benchmark asks for.
 */
final class GsoSocket implements AutoCloseable {
    static final int MAX_COPIES = 64;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOL_UDP = 17;
    private static final int UDP_SEGMENT = 103;
    private static final int MSG_DONTWAIT = 0x40;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = downcall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECT = downcall("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = downcall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SEND = downcall("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle RECV = downcall("recv", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final Arena arena = Arena.ofShared();
    private final int fd;
    private final int datagramBytes;
    private final MemorySegment copies;
    private final MemorySegment received;

    GsoSocket(InetSocketAddress target, byte[] datagram) throws IOException {
        this.datagramBytes = datagram.length;
        this.copies = arena.allocate((long) datagram.length * MAX_COPIES);
        this.received = arena.allocate(2048);
        set(datagram);
        try {
            fd = (int) SOCKET.invokeExact(AF_INET, SOCK_DGRAM, 0);
            if (fd < 0) {
                throw new IOException("socket() failed");
            }
            MemorySegment address = arena.allocate(16);
            address.set(JAVA_BYTE, 0, (byte) AF_INET);
            address.set(JAVA_BYTE, 2, (byte) (target.getPort() >>> 8));
            address.set(JAVA_BYTE, 3, (byte) target.getPort());
            MemorySegment.copy(target.getAddress().getAddress(), 0, address, JAVA_BYTE, 4, 4);
            MemorySegment segment = arena.allocate(JAVA_INT);
            segment.set(JAVA_INT, 0, datagram.length);
            if ((int) CONNECT.invokeExact(fd, address, 16) != 0
                    || (int) SETSOCKOPT.invokeExact(fd, SOL_UDP, UDP_SEGMENT, segment, 4) != 0) {
                throw new IOException("connect() or setsockopt(UDP_SEGMENT) failed");
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    /** Replaces the datagram (same length) in every copy. */
    void set(byte[] datagram) {
        for (int i = 0; i < MAX_COPIES; i++) {
            MemorySegment.copy(datagram, 0, copies, JAVA_BYTE, (long) i * datagramBytes, datagramBytes);
        }
    }

    /** Sends {@code count} (1 to {@value #MAX_COPIES}) copies without blocking; returns how many left. */
    int send(int count) {
        try {
            long sent = (long) SEND.invokeExact(fd, copies, (long) count * datagramBytes, MSG_DONTWAIT);
            return sent < 0 ? 0 : (int) (sent / datagramBytes);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** One received datagram without blocking, or null. */
    byte[] receive() {
        try {
            long n = (long) RECV.invokeExact(fd, received, received.byteSize(), MSG_DONTWAIT);
            return n <= 0 ? null : received.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }

    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }
}
