package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Receives from a socket with UDP_GRO on ({@link UdpSocket#enableUdpGro()}): {@code recvmmsg(2)} of up to
 * {@link #messagesPerCall()} messages, each into its own 64 KiB scratch area with room for a control
 * message, and each super-datagram (a UDP_GRO control message gives its segment size: the datagrams are that
 * size back to back, the last may be shorter) cut back into ordinary datagrams, copied into the caller's
 * buffers in arrival order, every one with the super-datagram's source. Segments that do not fit in one
 * call's buffers wait for the next call ({@link #hasPending()}), which delivers them before it reads again.
 *
 * <p>Memory: {@code messagesPerCall} x (64 KiB + 176 bytes) of native memory per receiver, allocated once;
 * nothing per datagram once warm. A message whose control data is truncated (MSG_CTRUNC), malformed, or
 * gives a segment size of 0 cannot be cut: it is dropped whole and counted in {@link #malformed()}, and the
 * other messages of the call are delivered. A datagram larger than the caller's buffer, or a message the
 * kernel truncated (MSG_TRUNC), is reported with a null source and counted in {@link #truncated()}, like
 * {@link UdpBatchReceiver}. One thread per receiver.
 *
 * <pre>
 * control message (LP64)     0 cmsg_len (u64)   8 cmsg_level (SOL_UDP)   12 cmsg_type (UDP_GRO)   16 int segment size
 * </pre>
 */
public final class UdpGroReceiver {
    /** Returned by {@link #receive} when no datagram is waiting (EAGAIN). */
    public static final int WOULD_BLOCK = -1;
    /** Room per message: the largest UDP payload (65,535 - 8) fits, so a super-datagram is never truncated. */
    public static final int SCRATCH_BYTES = 65_536;
    /** {@link #segmentSize} of a message without a UDP_GRO control message: an ordinary datagram. */
    static final int NOT_SEGMENTED = 0;
    /** {@link #segmentSize} of a message whose control data cannot be trusted. */
    static final int MALFORMED = -1;
    static final int CONTROL_BYTES = 64;
    private static final int CMSG_HEADER_BYTES = 16;
    private static final int MSG_CTRUNC = 0x08;
    private static final int NAME_BYTES = 32;
    private static final int SOCKADDR_IN6_BYTES = 28;

    private final UdpSocket socket;
    private final int messagesPerCall;
    private final SourceAddressCache sources;
    private final MemorySegment errno;
    private final MemorySegment messages;
    private final MemorySegment names;
    private final MemorySegment control;
    private final ByteBuffer scratch;
    private final int[] lengths;
    private final int[] segmentBytes;
    private final int[] segmentCounts;
    private final InetSocketAddress[] messageSources;
    private int received;
    private int message;
    private int segment;
    private NativeIoException deferredError;
    private long superDatagrams;
    private long malformed;
    private long truncated;

    /**
     * @param messagesPerCall most messages (super-datagrams or single datagrams) per recvmmsg, 1 to 64
     * @param sourceCacheEntries bound of the source address cache, e.g. 4096
     */
    public UdpGroReceiver(UdpSocket socket, int messagesPerCall, int sourceCacheEntries) {
        if (messagesPerCall < 1 || messagesPerCall > 64) {
            throw new IllegalArgumentException("messagesPerCall must be 1 to 64: " + messagesPerCall);
        }
        this.socket = socket;
        this.messagesPerCall = messagesPerCall;
        this.sources = new SourceAddressCache(sourceCacheEntries);
        Arena arena = Arena.ofAuto();
        errno = Libc.newErrnoSlot(arena);
        messages = arena.allocate((long) messagesPerCall * UdpBatchReceiver.MMSGHDR_BYTES, 8);
        MemorySegment iovecs = arena.allocate((long) messagesPerCall * UdpBatchReceiver.IOVEC_BYTES, 8);
        names = arena.allocate((long) messagesPerCall * NAME_BYTES, 8);
        control = arena.allocate((long) messagesPerCall * CONTROL_BYTES, 8);
        MemorySegment scratchSegment = arena.allocate((long) messagesPerCall * SCRATCH_BYTES, 64);
        scratch = scratchSegment.asByteBuffer();
        lengths = new int[messagesPerCall];
        segmentBytes = new int[messagesPerCall];
        segmentCounts = new int[messagesPerCall];
        messageSources = new InetSocketAddress[messagesPerCall];
        for (int i = 0; i < messagesPerCall; i++) {
            long m = (long) i * UdpBatchReceiver.MMSGHDR_BYTES;
            long iov = (long) i * UdpBatchReceiver.IOVEC_BYTES;
            iovecs.set(ValueLayout.JAVA_LONG, iov, scratchSegment.address() + (long) i * SCRATCH_BYTES);
            iovecs.set(ValueLayout.JAVA_LONG, iov + 8, SCRATCH_BYTES);
            messages.set(ValueLayout.JAVA_LONG, m, names.address() + (long) i * NAME_BYTES);
            messages.set(ValueLayout.JAVA_LONG, m + 16, iovecs.address() + iov);
            messages.set(ValueLayout.JAVA_LONG, m + 24, 1L);
            messages.set(ValueLayout.JAVA_LONG, m + 32, control.address() + (long) i * CONTROL_BYTES);
            resetLengths(i);
        }
    }

    /**
     * Receives up to {@code count} datagrams, the i-th into {@code buffers[i]} at its position (on return its
     * limit marks the datagram's end) with its sender in {@code sources[i]} (null when it was truncated or of
     * an unknown family: skip it). Segments left from the last call come first. It reads until the buffers
     * are full or a recvmmsg finds fewer messages than it could take (the socket is drained).
     *
     * @return datagrams delivered (at least 1), or {@link #WOULD_BLOCK}
     * @throws NativeIoException for an error other than EAGAIN/EINTR (EBADF after close); an error met after
     *         some datagrams were delivered is thrown by the next call
     */
    public int receive(ByteBuffer[] buffers, InetSocketAddress[] sources, int count) throws NativeIoException {
        int n = 0;
        boolean drained = false;
        while (n < count) {
            if (message == received) {
                if (drained) {
                    break;
                }
                int got = receiveMessages(n > 0);
                if (got == WOULD_BLOCK) {
                    break;
                }
                drained = got < messagesPerCall;
                continue;
            }
            deliverSegment(buffers[n], sources, n);
            n++;
        }
        return n == 0 ? WOULD_BLOCK : n;
    }

    /** Whether segments of a super-datagram already read wait for the next {@link #receive}. */
    public boolean hasPending() {
        return message < received;
    }

    public int messagesPerCall() {
        return messagesPerCall;
    }

    /** Messages that came with a UDP_GRO control message (each held one or more datagrams). */
    public long superDatagrams() {
        return superDatagrams;
    }

    /** Messages dropped whole because their control data could not be trusted. */
    public long malformed() {
        return malformed;
    }

    /** Datagrams reported with a null source because they were truncated. */
    public long truncated() {
        return truncated;
    }

    /** The receiver's source address cache (for its eviction counter). */
    public SourceAddressCache sourceCache() {
        return sources;
    }

    /**
     * The segment size that the control data of one received message gives: positive, {@link #NOT_SEGMENTED}
     * without a UDP_GRO control message, or {@link #MALFORMED}.
     *
     * @param controlBytes msg_controllen as the kernel returned it
     * @param flags msg_flags as the kernel returned them
     */
    static int segmentSize(MemorySegment control, long offset, long controlBytes, int flags) {
        if ((flags & MSG_CTRUNC) != 0 || controlBytes < 0 || controlBytes > CONTROL_BYTES) {
            return MALFORMED;
        }
        int size = NOT_SEGMENTED;
        long at = 0;
        while (at + CMSG_HEADER_BYTES <= controlBytes) {
            long length = control.get(ValueLayout.JAVA_LONG_UNALIGNED, offset + at);
            if (length < CMSG_HEADER_BYTES || length > controlBytes - at) {
                return MALFORMED;
            }
            if (control.get(ValueLayout.JAVA_INT_UNALIGNED, offset + at + 8) == UdpSocket.SOL_UDP
                    && control.get(ValueLayout.JAVA_INT_UNALIGNED, offset + at + 12) == UdpSocket.UDP_GRO) {
                if (length < CMSG_HEADER_BYTES + 4) {
                    return MALFORMED;
                }
                size = control.get(ValueLayout.JAVA_INT_UNALIGNED, offset + at + CMSG_HEADER_BYTES);
                if (size <= 0) {
                    return MALFORMED;
                }
            }
            at += (length + 7) & ~7L;
        }
        return size;
    }

    /**
     * One recvmmsg into the scratch areas; the messages it got become the pending ones.
     *
     * @param deferErrors whether an error is kept for the next call (datagrams were delivered in this one)
     * @return messages received (dropped ones included), or {@link #WOULD_BLOCK} (also for a deferred error)
     */
    private int receiveMessages(boolean deferErrors) throws NativeIoException {
        if (deferredError != null) {
            NativeIoException e = deferredError;
            deferredError = null;
            throw e;
        }
        for (int i = 0; i < received; i++) {
            resetLengths(i);
        }
        received = 0;
        message = 0;
        segment = 0;
        int got;
        while (true) {
            got = Libc.recvmmsg(errno, socket.fd(), messages, messagesPerCall, Libc.MSG_DONTWAIT);
            if (got >= 0) {
                break;
            }
            int e = Libc.errno(errno);
            if (e == Errno.EAGAIN) {
                return WOULD_BLOCK;
            }
            if (e != Errno.EINTR) {
                NativeIoException error = new NativeIoException("recvmmsg(" + socket.localAddress() + ")", e);
                if (!deferErrors) {
                    throw error;
                }
                deferredError = error;
                return WOULD_BLOCK;
            }
        }
        for (int i = 0; i < got; i++) {
            classify(i);
        }
        received = got;
        skipDropped();
        return got;
    }

    /** Reads message {@code i}'s length, flags, control data and source; a malformed one gets no segments. */
    private void classify(int i) {
        long m = (long) i * UdpBatchReceiver.MMSGHDR_BYTES;
        int length = messages.get(ValueLayout.JAVA_INT, m + UdpBatchReceiver.MSGHDR_BYTES);
        int flags = messages.get(ValueLayout.JAVA_INT, m + 48);
        long controlBytes = messages.get(ValueLayout.JAVA_LONG, m + 40);
        int size = segmentSize(control, (long) i * CONTROL_BYTES, controlBytes, flags);
        if (size == MALFORMED) {
            malformed++;
            segmentCounts[i] = 0;
            return;
        }
        InetSocketAddress source = (flags & Libc.MSG_TRUNC) != 0 ? null : sources.lookup(names, (long) i * NAME_BYTES);
        messageSources[i] = source;
        lengths[i] = length;
        if (size == NOT_SEGMENTED || source == null) {
            segmentBytes[i] = length;
            segmentCounts[i] = 1;
        } else {
            superDatagrams++;
            segmentBytes[i] = size;
            segmentCounts[i] = Math.max(1, (length + size - 1) / size);
        }
    }

    private void deliverSegment(ByteBuffer buffer, InetSocketAddress[] sources, int slot) {
        InetSocketAddress source = messageSources[message];
        int start = segment * segmentBytes[message];
        int length = Math.min(segmentBytes[message], lengths[message] - start);
        int position = buffer.position();
        if (source == null || length > buffer.remaining()) {
            truncated++;
            buffer.limit(position);
            sources[slot] = null;
        } else {
            buffer.put(position, scratch, message * SCRATCH_BYTES + start, length);
            buffer.limit(position + length);
            sources[slot] = source;
        }
        if (++segment == segmentCounts[message]) {
            segment = 0;
            message++;
            skipDropped();
        }
    }

    private void skipDropped() {
        while (message < received && segmentCounts[message] == 0) {
            message++;
        }
    }

    private void resetLengths(int i) {
        long m = (long) i * UdpBatchReceiver.MMSGHDR_BYTES;
        messages.set(ValueLayout.JAVA_INT, m + 8, SOCKADDR_IN6_BYTES);
        messages.set(ValueLayout.JAVA_LONG, m + 40, CONTROL_BYTES);
    }
}
