package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.tinylog.Logger;

/**
 * A Linux TUN device (/dev/net/tun, IFF_TUN | IFF_NO_PI) with one or more queues. With more than one
 * queue it is created IFF_MULTI_QUEUE: every queue is its own fd on the same interface, the kernel
 * spreads outbound flows over them by flow hash, and one reader per queue reads in parallel.
 *
 * <p>The interface is created in the network namespace of the calling thread and lives as long as one
 * of its queues is open (it is not persistent). Configure it with {@link LinkControl} and
 * {@link Rtnetlink}.
 *
 * <p>With offloads ({@link #open(String, int, boolean)}) the device is IFF_VNET_HDR and TUNSETOFFLOAD
 * asks for checksum offload, TSO over IPv4 and IPv6 and, where the kernel knows it (6.2+), USO: every
 * read and write then starts with a {@code struct virtio_net_hdr} ({@link zonegate.packet.gso.VirtioNetHeader})
 * and a read may return a super-packet of up to 64 KiB. A kernel that refuses the flag set gets the set
 * without USO, then none, and then a device without the header at all; {@link #offloads()} says what
 * was granted, and it is logged once at INFO.
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
    private static final short IFF_VNET_HDR = 0x4000;
    private static final long TUNSETOFFLOAD = 0x400454d0L;
    /** TUN_F_CSUM: the device takes and gives packets with partial checksums. */
    public static final int TUN_F_CSUM = 0x01;
    /** TUN_F_TSO4: TCP segmentation offload over IPv4. */
    public static final int TUN_F_TSO4 = 0x02;
    /** TUN_F_TSO6: TCP segmentation offload over IPv6. */
    public static final int TUN_F_TSO6 = 0x04;
    /** TUN_F_USO4: UDP segmentation offload over IPv4 (Linux 6.2+). */
    public static final int TUN_F_USO4 = 0x20;
    /** TUN_F_USO6: UDP segmentation offload over IPv6 (Linux 6.2+). */
    public static final int TUN_F_USO6 = 0x40;
    private static final int[] OFFLOAD_ATTEMPTS = {
        TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 | TUN_F_USO6,
        TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6,
    };

    private final String name;
    private final List<TunQueue> queues;
    private final int[] fds;
    private final Arena arena;
    private final int offloads;
    private boolean closed;

    private TunDevice(String name, List<TunQueue> queues, int[] fds, Arena arena, int offloads) {
        this.name = name;
        this.queues = queues;
        this.fds = fds;
        this.arena = arena;
        this.offloads = offloads;
    }

    /** {@link #open(String, int, boolean)} without offloads: one IP packet per read and write, no header. */
    public static TunDevice open(String name, int queueCount) throws NativeIoException {
        return open(name, queueCount, false);
    }

    /**
     * Creates (or attaches to) the TUN interface {@code name} with {@code queueCount} non-blocking queues.
     *
     * @param name interface name, at most 15 bytes; a pattern such as {@code "zg%d"} lets the kernel pick
     * @param queueCount 1 to {@link #MAX_QUEUES}; above 1 the device is multi-queue
     * @param offload whether to ask for IFF_VNET_HDR and TSO/USO (see the class comment); every queue gets the
     *        same flags
     * @throws NativeIoException naming the failing call: ENOENT without /dev/net/tun, EPERM without
     *         CAP_NET_ADMIN, EBUSY/EINVAL when {@code name} exists with other flags
     */
    public static TunDevice open(String name, int queueCount, boolean offload) throws NativeIoException {
        return open(name, queueCount, offload ? OFFLOAD_ATTEMPTS : new int[0]);
    }

    /** Tries the offload sets {@code attempts} in order (none: no IFF_VNET_HDR); tests pass sets the kernel refuses. */
    static TunDevice open(String name, int queueCount, int[] attempts) throws NativeIoException {
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length == 0 || nameBytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must be 1 to 15 bytes: " + name);
        }
        if (queueCount < 1 || queueCount > MAX_QUEUES) {
            throw new IllegalArgumentException("queueCount must be 1 to " + MAX_QUEUES + ": " + queueCount);
        }
        if (attempts.length > 0) {
            TunDevice device = openWith(name, queueCount, attempts);
            if (device != null) {
                Logger.info("TUN {}: IFF_VNET_HDR with offloads {}", device.name, offloadNames(device.offloads));
                return device;
            }
            Logger.info("TUN {}: the kernel refused every offload (TUNSETOFFLOAD), so no IFF_VNET_HDR", name);
        }
        return openWith(name, queueCount, new int[0]);
    }

    /** Null when {@code attempts} is not empty and the first queue takes none of them (its fd is closed again). */
    private static TunDevice openWith(String name, int queueCount, int[] attempts) throws NativeIoException {
        boolean vnetHeader = attempts.length > 0;
        // Automatic, not shared: the queues' errno slots may still be in a call on a reader thread when
        // the device is closed, and a shared arena would refuse to close under it.
        Arena arena = Arena.ofAuto();
        MemorySegment errno = Libc.newErrnoSlot(arena);
        MemorySegment path = arena.allocateFrom("/dev/net/tun");
        MemorySegment ifreq = arena.allocate(IFREQ_BYTES);
        short flags = (short) (IFF_TUN | IFF_NO_PI | (queueCount > 1 ? IFF_MULTI_QUEUE : 0)
                | (vnetHeader ? IFF_VNET_HDR : 0));
        int[] fds = new int[queueCount];
        Arrays.fill(fds, -1);
        String actualName = name;
        int offloads = 0;
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
                if (vnetHeader) {
                    if (i == 0) {
                        offloads = negotiateOffloads(errno, fd, attempts);
                        if (offloads == 0) {
                            Libc.close(errno, fd);
                            return null;
                        }
                    } else if (setOffload(errno, fd, offloads) < 0) {
                        throw new NativeIoException("ioctl(TUNSETOFFLOAD) for " + actualName + " queue " + i,
                                Libc.errno(errno));
                    }
                }
                queues[i] = new TunQueue(actualName, i, fd, arena, vnetHeader, offloads);
            }
            return new TunDevice(actualName, List.of(queues), fds, arena, offloads);
        } catch (NativeIoException | RuntimeException e) {
            for (int fd : fds) {
                if (fd >= 0) {
                    Libc.close(errno, fd);
                }
            }
            throw e;
        }
    }

    /** The first offload set the kernel accepts on {@code fd}, or 0. */
    private static int negotiateOffloads(MemorySegment errno, int fd, int[] attempts) {
        for (int attempt : attempts) {
            if (setOffload(errno, fd, attempt) == 0) {
                return attempt;
            }
        }
        return 0;
    }

    private static int setOffload(MemorySegment errno, int fd, int offloads) {
        // TUNSETOFFLOAD takes the flags as the argument's value, not through a pointer.
        return Libc.ioctl(errno, fd, TUNSETOFFLOAD, MemorySegment.ofAddress(offloads));
    }

    static String offloadNames(int offloads) {
        StringBuilder names = new StringBuilder();
        String[] labels = {"csum", "tso4", "tso6", "uso4", "uso6"};
        int[] bits = {TUN_F_CSUM, TUN_F_TSO4, TUN_F_TSO6, TUN_F_USO4, TUN_F_USO6};
        for (int i = 0; i < bits.length; i++) {
            if ((offloads & bits[i]) != 0) {
                names.append(names.isEmpty() ? "" : ",").append(labels[i]);
            }
        }
        return names.isEmpty() ? "none" : names.toString();
    }

    /** The interface name the kernel gave the device. */
    public String name() {
        return name;
    }

    /**
     * The TUN_F_* offloads the kernel granted (0 without offloads). Non-zero means every queue reads and
     * writes a virtio_net_hdr before each packet ({@link TunQueue#vnetHeader()}).
     */
    public int offloads() {
        return offloads;
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
