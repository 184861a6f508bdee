package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * One queue (one non-blocking file descriptor) of a {@link TunDevice}: reads and writes whole IP
 * packets, without a packet-information header (IFF_NO_PI). On a device with offloads
 * ({@link #vnetHeader()}) every packet read or written starts with a 10-byte virtio_net_hdr, and a read
 * may return a TSO/USO super-packet of up to 64 KiB: read into a buffer that large.
 *
 * <p>Threading: one reader thread and one writer thread may use a queue at once (each direction has
 * its own errno slot and address cache); calls never block: {@link #WOULD_BLOCK} says "wait for the
 * fd with {@link EpollPoller}". Buffers must be direct.
 */
public final class TunQueue {
    /** Returned by {@link #read} and {@link #write} when the fd is not ready (EAGAIN). */
    public static final int WOULD_BLOCK = -1;

    private final String deviceName;
    private final int index;
    private final int fd;
    private final boolean vnetHeader;
    private final int offloads;
    private final MemorySegment readErrno;
    private final MemorySegment writeErrno;
    private final BufferAddresses readAddresses = new BufferAddresses(1024);
    private final BufferAddresses writeAddresses = new BufferAddresses(1024);

    TunQueue(String deviceName, int index, int fd, Arena arena, boolean vnetHeader, int offloads) {
        this.deviceName = deviceName;
        this.index = index;
        this.fd = fd;
        this.vnetHeader = vnetHeader;
        this.offloads = offloads;
        this.readErrno = Libc.newErrnoSlot(arena);
        this.writeErrno = Libc.newErrnoSlot(arena);
    }

    /**
     * Reads one packet into {@code dst} at its position; on success sets the limit to the packet's end,
     * leaving the position at its start.
     *
     * @return the packet's length in bytes, or {@link #WOULD_BLOCK}
     * @throws NativeIoException when the read fails otherwise (EBADF after close, EIO when the device went away)
     */
    public int read(ByteBuffer dst) throws NativeIoException {
        int start = dst.position();
        while (true) {
            long n = Libc.read(readErrno, fd, readAddresses.baseAddress(dst) + start, dst.limit() - start);
            if (n >= 0) {
                dst.limit(start + (int) n);
                return (int) n;
            }
            int errno = Libc.errno(readErrno);
            if (errno == Errno.EAGAIN) {
                return WOULD_BLOCK;
            }
            if (errno != Errno.EINTR) {
                throw new NativeIoException("read(" + deviceName + " queue " + index + ")", errno);
            }
        }
    }

    /**
     * Writes the packet in {@code src}'s [position, limit) to the device. Leaves {@code src} unchanged.
     *
     * @return the bytes written, or {@link #WOULD_BLOCK}
     * @throws NativeIoException when the kernel refuses the packet (EINVAL for a malformed one) or the fd
     */
    public int write(ByteBuffer src) throws NativeIoException {
        while (true) {
            long n = Libc.write(writeErrno, fd, writeAddresses.positionAddress(src), src.remaining());
            if (n >= 0) {
                return (int) n;
            }
            int errno = Libc.errno(writeErrno);
            if (errno == Errno.EAGAIN) {
                return WOULD_BLOCK;
            }
            if (errno != Errno.EINTR) {
                throw new NativeIoException("write(" + deviceName + " queue " + index + ")", errno);
            }
        }
    }

    /** Whether every read and write carries a virtio_net_hdr (the device was opened with offloads). */
    public boolean vnetHeader() {
        return vnetHeader;
    }

    /** The device's TUN_F_* offloads ({@link TunDevice#offloads()}); 0 without the virtio_net_hdr. */
    public int offloads() {
        return offloads;
    }

    /** The file descriptor, for {@link EpollPoller#register}. */
    public int fd() {
        return fd;
    }

    /** 0 to {@link TunDevice#queueCount()} - 1. */
    public int index() {
        return index;
    }

    public String deviceName() {
        return deviceName;
    }
}
