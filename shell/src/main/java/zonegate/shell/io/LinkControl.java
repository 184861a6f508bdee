package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Interface settings through the classic ioctls on an AF_INET datagram socket: index, MTU, up. Acts in
 * the network namespace of the calling thread. Set-up only (allocates); not for the data path.
 */
public final class LinkControl {
    /** The tunnel MTU of DESIGN.md section 5: 1280, the IPv6 minimum, so no client path needs PMTUD. */
    public static final int DEFAULT_MTU_BYTES = 1280;

    private static final long SIOCGIFFLAGS = 0x8913;
    private static final long SIOCSIFFLAGS = 0x8914;
    private static final long SIOCGIFMTU = 0x8921;
    private static final long SIOCSIFMTU = 0x8922;
    private static final short IFF_UP = 0x1;

    private LinkControl() {
    }

    /** The interface index of {@code name} (if_nametoindex), for rtnetlink requests. */
    public static int index(String name) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.newErrnoSlot(arena);
            int index = Libc.ifNameToIndex(errno, arena.allocateFrom(name));
            if (index == 0) {
                throw new NativeIoException("if_nametoindex(" + name + ")", Libc.errno(errno));
            }
            return index;
        }
    }

    /** Sets the MTU of {@code name}, e.g. {@link #DEFAULT_MTU_BYTES}. */
    public static void setMtu(String name, int mtuBytes) throws NativeIoException {
        if (mtuBytes < 68 || mtuBytes > 65535) {
            throw new IllegalArgumentException("MTU must be 68 to 65535 bytes: " + mtuBytes);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = ifreq(arena, name);
            ifreq.set(ValueLayout.JAVA_INT, TunDevice.IFNAMSIZ, mtuBytes);
            ioctl(arena, name, SIOCSIFMTU, "SIOCSIFMTU", ifreq);
        }
    }

    /** The MTU of {@code name} in bytes. */
    public static int mtu(String name) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = ifreq(arena, name);
            ioctl(arena, name, SIOCGIFMTU, "SIOCGIFMTU", ifreq);
            return ifreq.get(ValueLayout.JAVA_INT, TunDevice.IFNAMSIZ);
        }
    }

    /** Brings {@code name} up (IFF_UP), keeping its other flags. */
    public static void setUp(String name) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = ifreq(arena, name);
            ioctl(arena, name, SIOCGIFFLAGS, "SIOCGIFFLAGS", ifreq);
            short flags = ifreq.get(ValueLayout.JAVA_SHORT, TunDevice.IFNAMSIZ);
            ifreq.set(ValueLayout.JAVA_SHORT, TunDevice.IFNAMSIZ, (short) (flags | IFF_UP));
            ioctl(arena, name, SIOCSIFFLAGS, "SIOCSIFFLAGS", ifreq);
        }
    }

    /** Whether {@code name} is up. */
    public static boolean isUp(String name) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifreq = ifreq(arena, name);
            ioctl(arena, name, SIOCGIFFLAGS, "SIOCGIFFLAGS", ifreq);
            return (ifreq.get(ValueLayout.JAVA_SHORT, TunDevice.IFNAMSIZ) & IFF_UP) != 0;
        }
    }

    private static MemorySegment ifreq(Arena arena, String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length == 0 || bytes.length >= TunDevice.IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must be 1 to 15 bytes: " + name);
        }
        MemorySegment ifreq = arena.allocate(TunDevice.IFREQ_BYTES);
        MemorySegment.copy(bytes, 0, ifreq, ValueLayout.JAVA_BYTE, 0, bytes.length);
        return ifreq;
    }

    private static void ioctl(Arena arena, String name, long request, String requestName, MemorySegment ifreq)
            throws NativeIoException {
        MemorySegment errno = Libc.newErrnoSlot(arena);
        int fd = Libc.socket(errno, Libc.AF_INET, Libc.SOCK_DGRAM | Libc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new NativeIoException("socket(AF_INET, SOCK_DGRAM) for ioctl", Libc.errno(errno));
        }
        try {
            if (Libc.ioctl(errno, fd, request, ifreq) < 0) {
                throw new NativeIoException("ioctl(" + requestName + ") on " + name, Libc.errno(errno));
            }
        } finally {
            Libc.close(errno, fd);
        }
    }
}
