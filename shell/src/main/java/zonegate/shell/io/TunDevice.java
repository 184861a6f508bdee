package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A Linux TUN device (/dev/net/tun, IFF_TUN | IFF_NO_PI) with one or more queues. With more than one
 * queue it is created IFF_MULTI_QUEUE: every queue is its own fd on the same interface, the kernel
 * spreads outbound flows over them by flow hash, and one reader per queue reads in parallel.
 *
 * <p>The interface is created in the network namespace of the calling thread and lives as long as one
 * of its queues is open (it is not persistent). Configure it with {@link LinkControl} and
 * {@link Rtnetlink}.
 *
 * <pre>{@code
 * Capabilities.requireNetAdmin();
 * try (TunDevice tun = TunDevice.open("zg0", 2)) {
 *     LinkControl.setMtu(tun.name(), 1280);
 *     LinkControl.setUp(tun.name());
 *     int n = tun.queue(0).read(buffer);  // TunQueue.WOULD_BLOCK when nothing is waiting
 * }
 * }</pre>
 */
public final class TunDevice implements AutoCloseable {
    /** The most queues Linux accepts on one TUN device (MAX_TAP_QUEUES). */
    public static final int MAX_QUEUES = 256;

    static final int IFNAMSIZ = 16;
    static final int IFREQ_BYTES = 40;
    private static final long TUNSETIFF = 0x400454caL;
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000;
    private static final short IFF_MULTI_QUEUE = 0x0100;

    private final String name;
    private final List<TunQueue> queues;
    private final int[] fds;
    private final Arena arena;
    private boolean closed;

    private TunDevice(String name, List<TunQueue> queues, int[] fds, Arena arena) {
        this.name = name;
        this.queues = queues;
        this.fds = fds;
        this.arena = arena;
    }

    /**
     * Creates (or attaches to) the TUN interface {@code name} with {@code queueCount} non-blocking queues.
     *
     * @param name interface name, at most 15 bytes; a pattern such as {@code "zg%d"} lets the kernel pick
     * @param queueCount 1 to {@link #MAX_QUEUES}; above 1 the device is multi-queue
     * @throws NativeIoException naming the failing call: ENOENT without /dev/net/tun, EPERM without
     *         CAP_NET_ADMIN, EBUSY/EINVAL when {@code name} exists with other flags
     */
    public static TunDevice open(String name, int queueCount) throws NativeIoException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must be 1 to 15 bytes: " + name);
        }
        if (queueCount < 1 || queueCount > MAX_QUEUES) {
            throw new IllegalArgumentException("queueCount must be 1 to " + MAX_QUEUES + ": " + queueCount);
        }
        // Automatic, not shared: the queues' errno slots may still be in a call on a reader thread when
        // the device is closed, and a shared arena would refuse to close under it.
        Arena arena = Arena.ofAuto();
        MemorySegment errno = Libc.newErrnoSlot(arena);
        MemorySegment path = arena.allocateFrom("/dev/net/tun");
        MemorySegment ifreq = arena.allocate(IFREQ_BYTES);
        short flags = (short) (IFF_TUN | IFF_NO_PI | (queueCount > 1 ? IFF_MULTI_QUEUE : 0));
        int[] fds = new int[queueCount];
        Arrays.fill(fds, -1);
        String actualName = name;
        try {
            TunQueue[] queues = new TunQueue[queueCount];
            for (int i = 0; i < queueCount; i++) {
                int fd = Libc.open(errno, path, Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
                if (fd < 0) {
                    throw new NativeIoException("open(/dev/net/tun)", Libc.errno(errno));
                }
                fds[i] = fd;
                ifreq.fill((byte) 0);
                MemorySegment.copy(actualName.getBytes(StandardCharsets.US_ASCII), 0, ifreq, ValueLayout.JAVA_BYTE, 0,
                        actualName.length());
                ifreq.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, flags);
                if (Libc.ioctl(errno, fd, TUNSETIFF, ifreq) < 0) {
                    throw new NativeIoException("ioctl(TUNSETIFF) for " + actualName + " queue " + i,
                            Libc.errno(errno));
                }
                // The kernel writes back the name it chose, which matters for a pattern like "zg%d".
                actualName = ifreq.getString(0, StandardCharsets.US_ASCII);
                queues[i] = new TunQueue(actualName, i, fd, arena);
            }
            return new TunDevice(actualName, List.of(queues), fds, arena);
        } catch (NativeIoException | RuntimeException e) {
            for (int fd : fds) {
                if (fd >= 0) {
                    Libc.close(errno, fd);
                }
            }
            throw e;
        }
    }

    /** The interface name the kernel gave the device. */
    public String name() {
        return name;
    }

    public int queueCount() {
        return queues.size();
    }

    public TunQueue queue(int index) {
        return queues.get(index);
    }

    public List<TunQueue> queues() {
        return queues;
    }

    /** Closes every queue; the interface disappears with the last one. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        MemorySegment errno = Libc.newErrnoSlot(arena);
        for (int fd : fds) {
            Libc.close(errno, fd);
        }
    }
}
