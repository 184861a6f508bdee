package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.tinylog.Logger;

/**
 * Sends batches of datagrams, coalescing each run of equal-size datagrams to one destination into a
 * single {@code sendmsg(2)} with a UDP_SEGMENT (GSO) control message: the kernel cuts the run back into
 * datagrams of that size (the last may be shorter). On loopback here that is ~460k datagrams/s against
 * ~150k/s with a syscall each (DESIGN.md section 7).
 *
 * <p>When the kernel refuses a GSO send (EINVAL: no GSO support; EMSGSIZE: segments above the path
 * MTU, which single datagrams get past by IP fragmentation; EIO: the NIC cannot checksum segments) the
 * run is re-sent one datagram per call; if those go out, GSO is switched off for this sender for good
 * and said once in the log. Other send errors (ENETUNREACH,
 * EHOSTUNREACH...) drop the datagrams concerned, count them in {@link #sendErrors()} and go on with the
 * rest. Nothing is allocated per datagram once warm. One thread per sender.
 */
public final class UdpBatchSender {
    /** UDP_MAX_SEGMENTS of Linux 5.x; newer kernels take more, older ones refuse more. */
    public static final int MAX_SEGMENTS = 64;
    /** Most bytes one GSO send carries: the IPv4 datagram limit (65535 - 20 - 8), rounded down for safety. */
    static final int MAX_GSO_BYTES = 65_000;
    private static final int UDP_SEGMENT = 103;
    private static final int CMSG_SPACE_U16 = 24;

    private final UdpSocket socket;
    private final DestinationAddressCache destinations;
    private final BufferAddresses addresses;
    private final MemorySegment errno;
    private final MemorySegment message;
    private final MemorySegment iovecs;
    private final MemorySegment control;
    private boolean gsoEnabled;
    private long gsoSends;
    private long singleSends;
    private long sendErrors;
    private int lastErrno;

    /** @param gso whether to try UDP_SEGMENT at all (false: one syscall per datagram, for comparison) */
    public UdpBatchSender(UdpSocket socket, boolean gso) {
        this.socket = socket;
        this.gsoEnabled = gso;
        this.destinations = new DestinationAddressCache(1024);
        this.addresses = new BufferAddresses(4096);
        Arena arena = Arena.ofAuto();
        errno = Libc.newErrnoSlot(arena);
        message = arena.allocate(UdpBatchReceiver.MSGHDR_BYTES, 8);
        iovecs = arena.allocate((long) MAX_SEGMENTS * UdpBatchReceiver.IOVEC_BYTES, 8);
        control = arena.allocate(CMSG_SPACE_U16, 8);
        control.set(ValueLayout.JAVA_LONG, 0, 18L);                  // cmsg_len = CMSG_LEN(sizeof(u16))
        control.set(ValueLayout.JAVA_INT, 8, UdpSocket.SOL_UDP);
        control.set(ValueLayout.JAVA_INT, 12, UDP_SEGMENT);
        message.set(ValueLayout.JAVA_LONG, 16, iovecs.address());
    }

    /**
     * Sends {@code datagrams[offset, offset + count)}, each from its position to its limit, the i-th to
     * {@code destinations[i]}. Buffers are left unchanged.
     *
     * @return how many datagrams were dealt with (sent, or dropped and counted); fewer than {@code count}
     *         means the socket's buffer is full (EAGAIN): wait until it is writable and send the rest
     */
    public int send(ByteBuffer[] datagrams, InetSocketAddress[] destinations, int offset, int count) {
        int end = offset + count;
        int i = offset;
        while (i < end) {
            int run = gsoEnabled ? runLength(datagrams, destinations, i, end) : 1;
            int done = run > 1 ? sendGso(datagrams, destinations, i, run) : sendOne(datagrams[i], destinations[i]);
            if (done == 0) {
                break;
            }
            i += done;
        }
        return i - offset;
    }

    /** Whether runs still go out as one GSO send (false once the kernel refused it). */
    public boolean gsoEnabled() {
        return gsoEnabled;
    }

    /** GSO sends made (each carried a run of two or more datagrams). */
    public long gsoSends() {
        return gsoSends;
    }

    /** Single-datagram sends made. */
    public long singleSends() {
        return singleSends;
    }

    /** Datagrams dropped because the kernel refused them (see {@link #lastErrno()}). */
    public long sendErrors() {
        return sendErrors;
    }

    /** The errno of the latest refused datagram, 0 if none. */
    public int lastErrno() {
        return lastErrno;
    }

    private static int runLength(ByteBuffer[] datagrams, InetSocketAddress[] destinations, int start, int end) {
        int segmentBytes = datagrams[start].remaining();
        InetSocketAddress destination = destinations[start];
        int total = segmentBytes;
        int i = start + 1;
        while (i < end && i - start < MAX_SEGMENTS) {
            int bytes = datagrams[i].remaining();
            if (bytes > segmentBytes || total + bytes > MAX_GSO_BYTES
                    || (destinations[i] != destination && !destinations[i].equals(destination))) {
                break;
            }
            total += bytes;
            i++;
            if (bytes < segmentBytes) {
                break;                                           // a shorter datagram can only end a run
            }
        }
        return i - start;
    }

    /** @return {@code run} when sent or dropped, 0 on EAGAIN, or fewer after a fallback met EAGAIN */
    private int sendGso(ByteBuffer[] datagrams, InetSocketAddress[] destinations, int start, int run) {
        int bytes = 0;
        for (int k = 0; k < run; k++) {
            ByteBuffer datagram = datagrams[start + k];
            long iov = (long) k * UdpBatchReceiver.IOVEC_BYTES;
            iovecs.set(ValueLayout.JAVA_LONG, iov, addresses.positionAddress(datagram));
            iovecs.set(ValueLayout.JAVA_LONG, iov + 8, datagram.remaining());
            bytes += datagram.remaining();
        }
        control.set(ValueLayout.JAVA_SHORT, 16, (short) datagrams[start].remaining());
        int e = transmit(destinations[start], run, true);
        if (e == 0) {
            gsoSends++;
            return run;
        }
        if (e == Errno.EAGAIN) {
            return 0;
        }
        if (e == Errno.EINVAL || e == Errno.EIO || e == Errno.EMSGSIZE) {
            long singlesBefore = singleSends;
            int sent = 0;
            while (sent < run) {
                int done = sendOne(datagrams[start + sent], destinations[start + sent]);
                if (done == 0) {
                    break;
                }
                sent++;
            }
            if (singleSends > singlesBefore) {
                gsoEnabled = false;
                Logger.info("UDP GSO refused by the kernel ({}) for a run of {} x {} bytes on {}: sending one datagram "
                        + "per syscall from now on", Errno.name(e), run, datagrams[start].remaining(), socket.localAddress());
            }
            return sent;
        }
        refused(e, run, destinations[start], bytes);
        return run;
    }

    private int sendOne(ByteBuffer datagram, InetSocketAddress destination) {
        iovecs.set(ValueLayout.JAVA_LONG, 0, addresses.positionAddress(datagram));
        iovecs.set(ValueLayout.JAVA_LONG, 8, datagram.remaining());
        int e = transmit(destination, 1, false);
        if (e == 0) {
            singleSends++;
            return 1;
        }
        if (e == Errno.EAGAIN) {
            return 0;
        }
        refused(e, 1, destination, datagram.remaining());
        return 1;
    }

    /** @return 0 when sent, else the errno (never EINTR) */
    private int transmit(InetSocketAddress destination, int iovecCount, boolean withSegmentSize) {
        int slot = this.destinations.slotOf(destination);
        message.set(ValueLayout.JAVA_LONG, 0, this.destinations.nativeAddress(slot));
        message.set(ValueLayout.JAVA_INT, 8, this.destinations.length(slot));
        message.set(ValueLayout.JAVA_LONG, 24, iovecCount);
        message.set(ValueLayout.JAVA_LONG, 32, withSegmentSize ? control.address() : 0L);
        message.set(ValueLayout.JAVA_LONG, 40, withSegmentSize ? CMSG_SPACE_U16 : 0L);
        while (true) {
            if (Libc.sendmsg(errno, socket.fd(), message, Libc.MSG_DONTWAIT) >= 0) {
                return 0;
            }
            int e = Libc.errno(errno);
            if (e != Errno.EINTR) {
                return e;
            }
        }
    }

    private void refused(int e, int datagrams, InetSocketAddress destination, int bytes) {
        if (e != lastErrno) {
            Logger.debug("UDP send of {} bytes from {} to {} refused: {}; dropped", bytes, socket.localAddress(),
                    destination, Errno.name(e));
        }
        sendErrors += datagrams;
        lastErrno = e;
    }
}
