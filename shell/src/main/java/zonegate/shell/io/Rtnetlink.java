package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;

/**
 * Addresses and routes through rtnetlink (AF_NETLINK, NETLINK_ROUTE; rtnetlink(7)): RTM_NEWADDR and
 * RTM_NEWROUTE, each with NLM_F_ACK so the kernel's verdict (the errno in its NLMSG_ERROR reply) becomes
 * a {@link NativeIoException} naming the request. Requests replace what exists (NLM_F_REPLACE), so a
 * restarted gateway re-applies its configuration without EEXIST.
 *
 * <p>Acts in the network namespace of the thread that called {@link #open}. Set-up only: not
 * thread-safe, blocking, allocates.
 *
 * <pre>{@code
 * try (Rtnetlink netlink = Rtnetlink.open()) {
 *     int index = LinkControl.index("zg0");
 *     netlink.addAddress(index, InetAddress.ofLiteral("100.64.0.1"), 32);
 *     netlink.addRoute(index, InetAddress.ofLiteral("100.64.0.0"), 11);
 * }
 * }</pre>
 */
public final class Rtnetlink implements AutoCloseable {
    private static final int NETLINK_ROUTE = 0;
    private static final short NLMSG_ERROR = 2;
    private static final short RTM_NEWADDR = 20;
    private static final short RTM_NEWROUTE = 24;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_ACK = 0x4;
    private static final short NLM_F_REPLACE = 0x100;
    private static final short NLM_F_CREATE = 0x400;
    private static final int NLMSGHDR_BYTES = 16;
    private static final short IFA_ADDRESS = 1;
    private static final short IFA_LOCAL = 2;
    private static final short IFA_FLAGS = 8;
    /** No duplicate address detection: a TUN has no other host on its link, and DAD would delay use by ~1 s. */
    private static final int IFA_F_NODAD = 0x02;
    private static final short RTA_DST = 1;
    private static final short RTA_OIF = 4;
    private static final byte RT_TABLE_MAIN = (byte) 254;
    private static final byte RTPROT_STATIC = 4;
    private static final byte RT_SCOPE_UNIVERSE = 0;
    private static final byte RT_SCOPE_LINK = (byte) 253;
    private static final byte RTN_UNICAST = 1;

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment errno = Libc.newErrnoSlot(arena);
    private final MemorySegment request = arena.allocate(256, 8);
    private final MemorySegment reply = arena.allocate(8192, 8);
    private final MemorySegment kernel = arena.allocate(12, 4);
    private final int fd;
    private int sequence;

    private Rtnetlink(int fd) {
        this.fd = fd;
        kernel.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
    }

    /** Opens a NETLINK_ROUTE socket in the calling thread's network namespace. */
    public static Rtnetlink open() throws NativeIoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = Libc.newErrnoSlot(arena);
            int fd = Libc.socket(errno, Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, NETLINK_ROUTE);
            if (fd < 0) {
                throw new NativeIoException("socket(AF_NETLINK, NETLINK_ROUTE)", Libc.errno(errno));
            }
            return new Rtnetlink(fd);
        }
    }

    /** Assigns {@code address}/{@code prefixBits} to interface {@code ifIndex} (like {@code ip addr replace}). */
    public void addAddress(int ifIndex, InetAddress address, int prefixBits) throws NativeIoException {
        byte[] bytes = checkedBytes(address, prefixBits);
        request.fill((byte) 0);
        int at = NLMSGHDR_BYTES;
        request.set(ValueLayout.JAVA_BYTE, at, family(bytes));
        request.set(ValueLayout.JAVA_BYTE, at + 1, (byte) prefixBits);
        request.set(ValueLayout.JAVA_BYTE, at + 3, RT_SCOPE_UNIVERSE);
        request.set(ValueLayout.JAVA_INT, at + 4, ifIndex);
        at += 8;
        at = attribute(at, IFA_LOCAL, bytes);
        at = attribute(at, IFA_ADDRESS, bytes);
        if (bytes.length == 16) {
            at = intAttribute(at, IFA_FLAGS, IFA_F_NODAD);
        }
        transact(at, RTM_NEWADDR, "RTM_NEWADDR " + address.getHostAddress() + "/" + prefixBits + " on if " + ifIndex);
    }

    /** Routes {@code destination}/{@code prefixBits} to interface {@code ifIndex} (like {@code ip route replace ... dev}). */
    public void addRoute(int ifIndex, InetAddress destination, int prefixBits) throws NativeIoException {
        byte[] bytes = checkedBytes(destination, prefixBits);
        maskHostBits(bytes, prefixBits);
        request.fill((byte) 0);
        int at = NLMSGHDR_BYTES;
        request.set(ValueLayout.JAVA_BYTE, at, family(bytes));
        request.set(ValueLayout.JAVA_BYTE, at + 1, (byte) prefixBits);
        request.set(ValueLayout.JAVA_BYTE, at + 4, RT_TABLE_MAIN);
        request.set(ValueLayout.JAVA_BYTE, at + 5, RTPROT_STATIC);
        // IPv4 device routes are link-scoped (as `ip route add ... dev` makes them); IPv6 has no route scopes.
        request.set(ValueLayout.JAVA_BYTE, at + 6, bytes.length == 4 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
        request.set(ValueLayout.JAVA_BYTE, at + 7, RTN_UNICAST);
        at += 12;
        at = attribute(at, RTA_DST, bytes);
        at = intAttribute(at, RTA_OIF, ifIndex);
        transact(at, RTM_NEWROUTE, "RTM_NEWROUTE " + destination.getHostAddress() + "/" + prefixBits + " dev if " + ifIndex);
    }

    @Override
    public void close() {
        Libc.close(errno, fd);
        arena.close();
    }

    private void transact(int length, short type, String what) throws NativeIoException {
        int seq = ++sequence;
        request.set(ValueLayout.JAVA_INT, 0, length);
        request.set(ValueLayout.JAVA_SHORT, 4, type);
        request.set(ValueLayout.JAVA_SHORT, 6, (short) (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE));
        request.set(ValueLayout.JAVA_INT, 8, seq);
        if (Libc.sendto(errno, fd, request, length, 0, kernel, 12) < 0) {
            throw new NativeIoException("sendto(netlink) " + what, Libc.errno(errno));
        }
        while (true) {
            long n = Libc.recv(errno, fd, reply, reply.byteSize(), 0);
            if (n < 0) {
                int e = Libc.errno(errno);
                if (e == Errno.EINTR) {
                    continue;
                }
                throw new NativeIoException("recv(netlink) " + what, e);
            }
            for (int at = 0; at + NLMSGHDR_BYTES <= n; ) {
                int messageBytes = reply.get(ValueLayout.JAVA_INT, at);
                if (messageBytes < NLMSGHDR_BYTES) {
                    throw new NativeIoException(what, "malformed netlink reply of " + messageBytes + " bytes");
                }
                if (reply.get(ValueLayout.JAVA_SHORT, at + 4) == NLMSG_ERROR && reply.get(ValueLayout.JAVA_INT, at + 8) == seq) {
                    int error = reply.get(ValueLayout.JAVA_INT, at + NLMSGHDR_BYTES);
                    if (error != 0) {
                        throw new NativeIoException(what, -error);
                    }
                    return;
                }
                at += align4(messageBytes);
            }
        }
    }

    private int attribute(int at, short type, byte[] value) {
        request.set(ValueLayout.JAVA_SHORT, at, (short) (4 + value.length));
        request.set(ValueLayout.JAVA_SHORT, at + 2, type);
        MemorySegment.copy(value, 0, request, ValueLayout.JAVA_BYTE, at + 4, value.length);
        return at + align4(4 + value.length);
    }

    private int intAttribute(int at, short type, int value) {
        request.set(ValueLayout.JAVA_SHORT, at, (short) 8);
        request.set(ValueLayout.JAVA_SHORT, at + 2, type);
        request.set(ValueLayout.JAVA_INT, at + 4, value);
        return at + 8;
    }

    private static byte[] checkedBytes(InetAddress address, int prefixBits) {
        byte[] bytes = address.getAddress();
        if (prefixBits < 0 || prefixBits > bytes.length * 8) {
            throw new IllegalArgumentException("prefix /" + prefixBits + " does not fit " + address.getHostAddress());
        }
        return bytes;
    }

    private static void maskHostBits(byte[] bytes, int prefixBits) {
        for (int i = 0; i < bytes.length; i++) {
            int keep = Math.clamp(prefixBits - i * 8L, 0, 8);
            bytes[i] &= (byte) (0xFF00 >>> keep);
        }
    }

    private static byte family(byte[] bytes) {
        return (byte) (bytes.length == 4 ? Libc.AF_INET : Libc.AF_INET6);
    }

    private static int align4(int bytes) {
        return (bytes + 3) & ~3;
    }
}
