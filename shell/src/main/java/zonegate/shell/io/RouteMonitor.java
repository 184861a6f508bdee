package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Listens to the kernel's rtnetlink notifications (rtnetlink(7) multicast groups) about links, addresses
 * and routes, so a client notices that the host's network changed (a new Wi-Fi, a lost uplink, a new
 * default route) and can reset its connections. Only the interface each change concerns is reported:
 * callers filter out their own TUN device, whose addresses and routes they set themselves.
 *
 * <p>Acts in the network namespace of the thread that called {@link #open}. {@link #receive} blocks for at
 * most the timeout given at open, so a watcher thread can check whether it should stop: call it from a
 * platform thread (a blocked native call pins a virtual thread's carrier). One thread at a time.
 *
 * <pre>{@code
 * try (RouteMonitor monitor = RouteMonitor.open(RouteMonitor.ADDRESSES_AND_ROUTES, 500)) {
 *     while (running) {
 *         for (int ifIndex : monitor.receive()) { ... }
 *     }
 * }
 * }</pre>
 */
public final class RouteMonitor implements AutoCloseable {
    /** RTMGRP_LINK: interfaces appearing, disappearing, going up or down. */
    public static final int LINKS = 0x1;
    /** RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR. */
    public static final int ADDRESSES = 0x10 | 0x100;
    /** RTMGRP_IPV4_ROUTE | RTMGRP_IPV6_ROUTE. */
    public static final int ROUTES = 0x40 | 0x400;
    /** Everything a roaming client cares about. */
    public static final int ADDRESSES_AND_ROUTES = LINKS | ADDRESSES | ROUTES;
    /** The interface index reported for a route without an output interface (blackhole, multipath). */
    public static final int NO_INTERFACE = 0;

    private static final int NETLINK_ROUTE = 0;
    private static final int SO_RCVTIMEO = 20;
    private static final int NLMSGHDR_BYTES = 16;
    private static final short RTM_NEWLINK = 16;
    private static final short RTM_DELLINK = 17;
    private static final short RTM_NEWADDR = 20;
    private static final short RTM_DELADDR = 21;
    private static final short RTM_NEWROUTE = 24;
    private static final short RTM_DELROUTE = 25;
    private static final int RTMSG_BYTES = 12;
    private static final short RTA_OIF = 4;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment errno = Libc.newErrnoSlot(arena);
    private final MemorySegment buffer = arena.allocate(32 * 1024, 8);
    private final int fd;
    private long overruns;

    private RouteMonitor(int fd) {
        this.fd = fd;
    }

    /**
     * Opens a NETLINK_ROUTE socket subscribed to {@code groups} (e.g. {@link #ADDRESSES_AND_ROUTES}).
     *
     * @param receiveTimeoutMs the longest one {@link #receive} blocks
     */
    public static RouteMonitor open(int groups, int receiveTimeoutMs) throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.newErrnoSlot(arena);
            int fd = Libc.socket(errno, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
            if (fd < 0) {
                throw new NativeIoException("socket(AF_NETLINK, NETLINK_ROUTE)", Libc.errno(errno));
            }
            try {
                MemorySegment timeout = arena.allocate(16, 8);
                timeout.set(ValueLayout.JAVA_LONG, 0, receiveTimeoutMs / 1000);
                timeout.set(ValueLayout.JAVA_LONG, 8, (receiveTimeoutMs % 1000) * 1000L);
                if (Libc.setsockopt(errno, fd, UdpSocket.SOL_SOCKET, SO_RCVTIMEO, timeout, 16) < 0) {
                    throw new NativeIoException("setsockopt(SO_RCVTIMEO) on netlink", Libc.errno(errno));
                }
                MemorySegment local = arena.allocate(12, 4);
                local.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
                local.set(ValueLayout.JAVA_INT, 8, groups);
                if (Libc.bind(errno, fd, local, 12) < 0) {
                    throw new NativeIoException("bind(netlink groups 0x" + Integer.toHexString(groups) + ")",
                            Libc.errno(errno));
                }
                return new RouteMonitor(fd);
            } catch (NativeIoException | RuntimeException e) {
                Libc.close(errno, fd);
                throw e;
            }
        }
    }

    /**
     * Waits for the next batch of notifications (up to the timeout) and returns the interface index each
     * concerns, in order ({@link #NO_INTERFACE} for a route without one); empty after a quiet timeout. When the
     * kernel dropped notifications for want of room (ENOBUFS, counted in {@link #overruns()}), returns
     * {@code [NO_INTERFACE]}: something changed, but what is lost.
     */
    public List<Integer> receive() throws NativeIoException {
        long n = Libc.recv(errno, fd, buffer, buffer.byteSize(), 0);
        if (n < 0) {
            int e = Libc.errno(errno);
            if (e == Errno.EAGAIN || e == Errno.EINTR) {
                return List.of();
            }
            if (e == Errno.ENOBUFS) {
                overruns++;
                return List.of(NO_INTERFACE);
            }
            throw new NativeIoException("recv(netlink notifications)", e);
        }
        List<Integer> interfaces = new ArrayList<>();
        for (int at = 0; at + NLMSGHDR_BYTES <= n; ) {
            int messageBytes = buffer.get(ValueLayout.JAVA_INT, at);
            if (messageBytes < NLMSGHDR_BYTES || at + messageBytes > n) {
                break;
            }
            short type = buffer.get(ValueLayout.JAVA_SHORT, at + 4);
            int body = at + NLMSGHDR_BYTES;
            switch (type) {
                case RTM_NEWLINK, RTM_DELLINK, RTM_NEWADDR, RTM_DELADDR -> {
                    // ifinfomsg and ifaddrmsg both hold the index at offset 4 of the body.
                    if (messageBytes >= NLMSGHDR_BYTES + 8) {
                        interfaces.add(buffer.get(ValueLayout.JAVA_INT, body + 4));
                    }
                }
                case RTM_NEWROUTE, RTM_DELROUTE -> interfaces.add(routeInterface(body, at + messageBytes));
                default -> { }
            }
            at += (messageBytes + 3) & ~3;
        }
        return interfaces;
    }

    /** How often the kernel's notifications overran the socket's buffer. */
    public long overruns() {
        return overruns;
    }

    @Override
    public void close() {
        Libc.close(errno, fd);
        arena.close();
    }

    private int routeInterface(int body, int end) {
        for (int at = body + RTMSG_BYTES; at + 4 <= end; ) {
            int length = buffer.get(ValueLayout.JAVA_SHORT, at) & 0xFFFF;
            if (length < 4) {
                break;
            }
            if (buffer.get(ValueLayout.JAVA_SHORT, at + 2) == RTA_OIF && length >= 8) {
                return buffer.get(ValueLayout.JAVA_INT, at + 4);
            }
            at += (length + 3) & ~3;
        }
        return NO_INTERFACE;
    }
}
