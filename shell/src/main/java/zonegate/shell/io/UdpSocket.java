package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * A non-blocking UDP socket (SOCK_NONBLOCK | SOCK_CLOEXEC) bound to one address. An IPv6 socket is
 * IPV6_V6ONLY, so a dual-stack gateway has one socket per family and never sees IPv4-mapped addresses.
 *
 * <p>Buffers are set per socket, forced past {@code net.core.rmem_max} with SO_RCVBUFFORCE /
 * SO_SNDBUFFORCE when the process has CAP_NET_ADMIN (the sysctls are global and read-only inside a
 * network namespace, DESIGN.md section 7), else capped by the kernel (SO_RCVBUF / SO_SNDBUF).
 * Datagrams go in and out through {@link UdpBatchReceiver} and {@link UdpBatchSender}, one of each per
 * socket (each is single-threaded; the two may run on different threads).
 *
 * <pre>{@code
 * try (UdpSocket socket = UdpSocket.open(new InetSocketAddress("0.0.0.0", 51820), UdpSocket.DEFAULT_BUFFER_BYTES)) {
 *     int port = socket.localAddress().getPort();
 * }
 * }</pre>
 */
public final class UdpSocket implements AutoCloseable {
    /** 4 MiB: what lifted wireguard-go from ~0.2 to ~0.45 Gbit/s between namespaces here (DESIGN.md section 7). */
    public static final int DEFAULT_BUFFER_BYTES = 4 << 20;

    static final int SOL_SOCKET = 1;
    static final int SOL_UDP = 17;
    private static final int SO_SNDBUF = 7;
    private static final int SO_RCVBUF = 8;
    private static final int SO_SNDBUFFORCE = 32;
    private static final int SO_RCVBUFFORCE = 33;
    private static final int SO_MARK = 36;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    static final int UDP_GRO = 104;

    private final int fd;
    private final int family;
    private final InetSocketAddress localAddress;
    private volatile boolean closed;

    private UdpSocket(int fd, int family, InetSocketAddress localAddress) {
        this.fd = fd;
        this.family = family;
        this.localAddress = localAddress;
    }

    /**
     * Opens a socket in the calling thread's network namespace and binds it.
     *
     * @param bindAddress a resolved address; port 0 picks an ephemeral port ({@link #localAddress()} tells which)
     * @param bufferBytes receive and send buffer size to ask for, e.g. {@link #DEFAULT_BUFFER_BYTES}
     * @throws NativeIoException naming the failing call, e.g. {@code bind(127.0.0.1:53)} with EADDRINUSE
     */
    public static UdpSocket open(InetSocketAddress bindAddress, int bufferBytes) throws NativeIoException {
        if (bindAddress.isUnresolved()) {
            throw new IllegalArgumentException("cannot bind to an unresolved address: " + bindAddress);
        }
        int family = bindAddress.getAddress() instanceof Inet6Address ? Libc.AF_INET6 : Libc.AF_INET;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.newErrnoSlot(arena);
            int fd = Libc.socket(errno, family, Libc.SOCK_DGRAM | Libc.SOCK_NONBLOCK | Libc.SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeIoException("socket(" + (family == Libc.AF_INET ? "AF_INET" : "AF_INET6") + ", SOCK_DGRAM)",
                        Libc.errno(errno));
            }
            try {
                MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
                if (family == Libc.AF_INET6) {
                    setInt(arena, errno, fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY");
                }
                setBuffer(arena, errno, fd, SO_RCVBUFFORCE, SO_RCVBUF, bufferBytes, "SO_RCVBUF");
                setBuffer(arena, errno, fd, SO_SNDBUFFORCE, SO_SNDBUF, bufferBytes, "SO_SNDBUF");
                MemorySegment sockaddr = arena.allocate(DestinationAddressCache.SLOT_BYTES, 8);
                int length = DestinationAddressCache.encode(bindAddress, sockaddr, 0);
                if (Libc.bind(errno, fd, sockaddr, length) < 0) {
                    throw new NativeIoException("bind(" + bindAddress + ")", Libc.errno(errno));
                }
                value.set(ValueLayout.JAVA_INT, 0, DestinationAddressCache.SLOT_BYTES);
                if (Libc.getsockname(errno, fd, sockaddr, value) < 0) {
                    throw new NativeIoException("getsockname(" + bindAddress + ")", Libc.errno(errno));
                }
                InetSocketAddress bound = new SourceAddressCache(8).lookup(sockaddr, 0);
                return new UdpSocket(fd, family, bound);
            } catch (NativeIoException | RuntimeException e) {
                Libc.close(errno, fd);
                throw e;
            }
        }
    }

    /** The bound address, with the port the kernel chose when asked for port 0. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** The file descriptor, for {@link EpollPoller#register}. */
    public int fd() {
        return fd;
    }

    public boolean isIpv6() {
        return family == Libc.AF_INET6;
    }

    /**
     * Marks every packet this socket sends with {@code mark} (SO_MARK, socket(7)), so a policy routing rule can
     * route it apart from other traffic: a client that routes everything into its TUN device keeps its own
     * datagrams out of it this way. Needs CAP_NET_ADMIN.
     *
     * @param mark the fwmark; 0 removes it
     */
    public void setMark(int mark) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            setInt(arena, Libc.newErrnoSlot(arena), fd, SOL_SOCKET, SO_MARK, mark, "SO_MARK");
        }
    }

    /**
     * Asks the kernel for UDP_GRO (udp(7)): it may then hand one receive several datagrams of one flow back
     * to back, with their segment size in a control message ({@link UdpGroReceiver} splits them again).
     *
     * @return whether the kernel took the option; false when it has no UDP_GRO (ENOPROTOOPT) or refused it
     *         (then datagrams keep coming one per receive, and nothing else changes)
     */
    public boolean enableUdpGro() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.newErrnoSlot(arena);
            return Libc.setsockopt(errno, fd, SOL_UDP, UDP_GRO, arena.allocateFrom(ValueLayout.JAVA_INT, 1), 4) == 0;
        }
    }

    /** Whether UDP_GRO is on ({@link #enableUdpGro()}); false also when the kernel does not know the option. */
    public boolean udpGro() {
        try {
            return getInt(SOL_UDP, UDP_GRO, "UDP_GRO") != 0;
        } catch (NativeIoException e) {
            return false;
        }
    }

    /** The socket's fwmark (0 when none was set). */
    public int mark() throws NativeIoException {
        return getInt(SOL_SOCKET, SO_MARK, "SO_MARK");
    }

    /**
     * Sets the send buffer alone (forced past {@code net.core.wmem_max} with CAP_NET_ADMIN, as at open): a
     * small one makes sends meet EAGAIN while a queue downstream holds the socket's datagrams.
     */
    public void setSendBufferBytes(int bytes) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            setBuffer(arena, Libc.newErrnoSlot(arena), fd, SO_SNDBUFFORCE, SO_SNDBUF, bytes, "SO_SNDBUF");
        }
    }

    /** The receive buffer the kernel granted, in bytes (it reports double the requested size: bookkeeping). */
    public int receiveBufferBytes() throws NativeIoException {
        return getInt(SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF");
    }

    /** The send buffer the kernel granted, in bytes. */
    public int sendBufferBytes() throws NativeIoException {
        return getInt(SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF");
    }

    /** Closes the fd. Idempotent. Stop the threads using it first. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try (Arena arena = Arena.ofConfined()) {
            Libc.close(Libc.newErrnoSlot(arena), fd);
        }
    }

    private int getInt(int level, int option, String name) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.newErrnoSlot(arena);
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment length = arena.allocateFrom(ValueLayout.JAVA_INT, 4);
            if (Libc.getsockopt(errno, fd, level, option, value, length) < 0) {
                throw new NativeIoException("getsockopt(" + name + ") on " + localAddress, Libc.errno(errno));
            }
            return value.get(ValueLayout.JAVA_INT, 0);
        }
    }

    private static void setBuffer(Arena arena, MemorySegment errno, int fd, int forced, int capped, int bytes, String name)
            throws NativeIoException {
        MemorySegment value = arena.allocateFrom(ValueLayout.JAVA_INT, bytes);
        if (Libc.setsockopt(errno, fd, SOL_SOCKET, forced, value, 4) == 0) {
            return;
        }
        int e = Libc.errno(errno);
        if (e != Errno.EPERM) {
            throw new NativeIoException("setsockopt(" + name + "FORCE, " + bytes + ")", e);
        }
        setInt(arena, errno, fd, SOL_SOCKET, capped, bytes, name);
    }

    static void setInt(Arena arena, MemorySegment errno, int fd, int level, int option, int value, String name)
            throws NativeIoException {
        if (Libc.setsockopt(errno, fd, level, option, arena.allocateFrom(ValueLayout.JAVA_INT, value), 4) < 0) {
            throw new NativeIoException("setsockopt(" + name + ", " + value + ")", Libc.errno(errno));
        }
    }
}
