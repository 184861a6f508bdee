package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Receives up to a batch of datagrams per system call with {@code recvmmsg(2)}, each into its own
 * direct buffer, with its source address from a {@link SourceAddressCache}.
 *
 * <p>The {@code mmsghdr}/{@code iovec}/{@code sockaddr} arrays are allocated once; a call re-points only
 * the iovecs whose buffer, position or room changed since the last call (a caller that reuses its buffers
 * re-points none) and resets only the name lengths the last call's datagrams changed, so nothing is
 * allocated per datagram once warm. A datagram larger
 * than its buffer is truncated by the kernel (MSG_TRUNC): it is reported with a null source and counted
 * in {@link #truncated()}, never passed on as if whole. One thread per receiver.
 *
 * <pre>
 * struct mmsghdr (64 bytes)          struct msghdr (56 bytes, LP64)
 *   0  struct msghdr msg_hdr           0 msg_name       8 msg_namelen (u32)
 *  56  unsigned int msg_len           16 msg_iov       24 msg_iovlen
 *                                     32 msg_control   40 msg_controllen   48 msg_flags (int)
 * </pre>
 */
public final class UdpBatchReceiver {
    /** Returned by {@link #receive} when no datagram is waiting (EAGAIN). */
    public static final int WOULD_BLOCK = -1;

    static final int MSGHDR_BYTES = 56;
    static final int MMSGHDR_BYTES = 64;
    static final int IOVEC_BYTES = 16;
    private static final int NAME_BYTES = 32;
    private static final int SOCKADDR_IN6_BYTES = 28;

    private final UdpSocket socket;
    private final int batchSize;
    private final SourceAddressCache sources;
    private final BufferAddresses addresses;
    private final MemorySegment errno;
    private final MemorySegment messages;
    private final MemorySegment iovecs;
    private final MemorySegment names;
    private final ByteBuffer[] pointedBuffers;
    private final int[] pointedPositions;
    private final int[] pointedLengths;
    private int lastReceived;
    private long truncated;

    /**
     * @param batchSize most datagrams per call, 1 to 1024
     * @param sourceCacheEntries bound of the source address cache, e.g. 4096
     */
    public UdpBatchReceiver(UdpSocket socket, int batchSize, int sourceCacheEntries) {
        if (batchSize < 1 || batchSize > 1024) {
            throw new IllegalArgumentException("batchSize must be 1 to 1024 (UIO_MAXIOV): " + batchSize);
        }
        this.socket = socket;
        this.batchSize = batchSize;
        this.sources = new SourceAddressCache(sourceCacheEntries);
        this.addresses = new BufferAddresses(4 * batchSize);
        Arena arena = Arena.ofAuto();
        errno = Libc.newErrnoSlot(arena);
        messages = arena.allocate((long) batchSize * MMSGHDR_BYTES, 8);
        iovecs = arena.allocate((long) batchSize * IOVEC_BYTES, 8);
        names = arena.allocate((long) batchSize * NAME_BYTES, 8);
        pointedBuffers = new ByteBuffer[batchSize];
        pointedPositions = new int[batchSize];
        pointedLengths = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            long m = (long) i * MMSGHDR_BYTES;
            messages.set(ValueLayout.JAVA_LONG, m, names.address() + (long) i * NAME_BYTES);
            messages.set(ValueLayout.JAVA_INT, m + 8, SOCKADDR_IN6_BYTES);
            messages.set(ValueLayout.JAVA_LONG, m + 16, iovecs.address() + (long) i * IOVEC_BYTES);
            messages.set(ValueLayout.JAVA_LONG, m + 24, 1L);
        }
    }

    /**
     * Receives up to {@code count} datagrams, the i-th into {@code buffers[i]} at its position (on
     * return its limit marks the datagram's end) with its sender in {@code sources[i]} (null when the
     * datagram was truncated or of an unknown family: skip it).
     *
     * @param count at most {@link #batchSize()}
     * @return datagrams received (at least 1), or {@link #WOULD_BLOCK}
     * @throws NativeIoException for an error other than EAGAIN/EINTR (EBADF after close)
     */
    public int receive(ByteBuffer[] buffers, InetSocketAddress[] sources, int count) throws NativeIoException {
        int n = Math.min(count, batchSize);
        for (int i = 0; i < n; i++) {
            ByteBuffer buffer = buffers[i];
            int position = buffer.position();
            int length = buffer.remaining();
            if (buffer != pointedBuffers[i] || position != pointedPositions[i] || length != pointedLengths[i]) {
                long iov = (long) i * IOVEC_BYTES;
                iovecs.set(ValueLayout.JAVA_LONG, iov, addresses.positionAddress(buffer));
                iovecs.set(ValueLayout.JAVA_LONG, iov + 8, length);
                pointedBuffers[i] = buffer;
                pointedPositions[i] = position;
                pointedLengths[i] = length;
            }
        }
        // The kernel writes msg_namelen of the messages it fills (msg_controllen stays 0: none is given).
        for (int i = 0; i < lastReceived; i++) {
            messages.set(ValueLayout.JAVA_INT, (long) i * MMSGHDR_BYTES + 8, SOCKADDR_IN6_BYTES);
        }
        lastReceived = 0;
        int received;
        while (true) {
            received = Libc.recvmmsg(errno, socket.fd(), messages, n, Libc.MSG_DONTWAIT);
            if (received >= 0) {
                lastReceived = received;
                break;
            }
            int e = Libc.errno(errno);
            if (e == Errno.EAGAIN) {
                return WOULD_BLOCK;
            }
            if (e != Errno.EINTR) {
                throw new NativeIoException("recvmmsg(" + socket.localAddress() + ")", e);
            }
        }
        for (int i = 0; i < received; i++) {
            long m = (long) i * MMSGHDR_BYTES;
            ByteBuffer buffer = buffers[i];
            buffer.limit(buffer.position() + messages.get(ValueLayout.JAVA_INT, m + MSGHDR_BYTES));
            if ((messages.get(ValueLayout.JAVA_INT, m + 48) & Libc.MSG_TRUNC) != 0) {
                truncated++;
                sources[i] = null;
            } else {
                sources[i] = this.sources.lookup(names, (long) i * NAME_BYTES);
            }
        }
        return received;
    }

    public int batchSize() {
        return batchSize;
    }

    /** Datagrams dropped because they did not fit their buffer. */
    public long truncated() {
        return truncated;
    }

    /** The receiver's source address cache (for its eviction counter). */
    public SourceAddressCache sourceCache() {
        return sources;
    }
}
