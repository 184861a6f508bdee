package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;

/**
 * Addresses, routes and policy rules through rtnetlink (AF_NETLINK, NETLINK_ROUTE; rtnetlink(7)): RTM_NEWADDR,
 * RTM_DELADDR, RTM_NEWROUTE, RTM_DELROUTE, RTM_NEWRULE and RTM_DELRULE, each with NLM_F_ACK so the kernel's
 * verdict (the errno in its NLMSG_ERROR reply) becomes a {@link NativeIoException} naming the request.
 * Addresses and routes replace what exists (NLM_F_REPLACE), so a restarted gateway re-applies its
 * configuration without EEXIST; rules cannot be replaced (the kernel would add a duplicate), so
 * {@link #addRule} refuses one that exists (EEXIST) and {@link #deleteRule} says whether there was one.
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
    private static final short RTM_DELADDR = 21;
    private static final short RTM_NEWROUTE = 24;
    private static final short RTM_DELROUTE = 25;
    private static final short RTM_NEWRULE = 32;
    private static final short RTM_DELRULE = 33;
    private static final short NLM_F_REQUEST = 0x1;
    private static final short NLM_F_ACK = 0x4;
    private static final short NLM_F_REPLACE = 0x100;
    private static final short NLM_F_EXCL = 0x200;
    private static final short NLM_F_CREATE = 0x400;
    private static final short NEW_OR_REPLACE = NLM_F_CREATE | NLM_F_REPLACE;
    private static final int NLMSGHDR_BYTES = 16;
    /** What the kernel answers a delete of a route that is not there. */
    private static final int ESRCH = 3;
    private static final short IFA_ADDRESS = 1;
    private static final short IFA_LOCAL = 2;
    private static final short IFA_FLAGS = 8;
    /** No duplicate address detection: a TUN has no other host on its link, and DAD would delay use by ~1 s. */
    private static final int IFA_F_NODAD = 0x02;
    private static final short RTA_DST = 1;
    private static final short RTA_OIF = 4;
    private static final short RTA_TABLE = 15;
    /** The main routing table (RT_TABLE_MAIN), where {@code ip route} puts a route without {@code table}. */
    public static final int MAIN_TABLE = 254;
    private static final short FRA_DST = 1;
    private static final short FRA_PRIORITY = 6;
    private static final short FRA_FWMARK = 10;
    private static final short FRA_SUPPRESS_PREFIXLEN = 14;
    private static final short FRA_TABLE = 15;
    private static final short FRA_FWMASK = 16;
    private static final byte FR_ACT_TO_TBL = 1;
    private static final int FIB_RULE_INVERT = 0x2;
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
        int at = address(ifIndex, address, prefixBits);
        transact(at, RTM_NEWADDR, NEW_OR_REPLACE,
                "RTM_NEWADDR " + address.getHostAddress() + "/" + prefixBits + " on if " + ifIndex);
    }

    /** Routes {@code destination}/{@code prefixBits} to interface {@code ifIndex} (like {@code ip route replace ... dev}). */
    public void addRoute(int ifIndex, InetAddress destination, int prefixBits) throws NativeIoException {
        addRoute(ifIndex, destination, prefixBits, MAIN_TABLE);
    }

    /** As {@link #addRoute(int, InetAddress, int)}, in routing table {@code table} (1 to 2^32 - 1, not 255: local). */
    public void addRoute(int ifIndex, InetAddress destination, int prefixBits, int table) throws NativeIoException {
        int at = route(ifIndex, destination, prefixBits, table);
        transact(at, RTM_NEWROUTE, NEW_OR_REPLACE, "RTM_NEWROUTE " + destination.getHostAddress() + "/" + prefixBits
                + " dev if " + ifIndex + " table " + table);
    }

    /**
     * Deletes the route {@code destination}/{@code prefixBits} via interface {@code ifIndex} from {@code table}
     * (like {@code ip route del ... dev ... table}).
     *
     * @return false when there was no such route (ESRCH)
     */
    public boolean deleteRoute(int ifIndex, InetAddress destination, int prefixBits, int table) throws NativeIoException {
        int at = route(ifIndex, destination, prefixBits, table);
        return absentIs(ESRCH, () -> transact(at, RTM_DELROUTE, (short) 0, "RTM_DELROUTE "
                + destination.getHostAddress() + "/" + prefixBits + " dev if " + ifIndex + " table " + table));
    }

    /**
     * Removes {@code address}/{@code prefixBits} from interface {@code ifIndex} (like {@code ip addr del}).
     *
     * @return false when the interface had no such address (EADDRNOTAVAIL)
     */
    public boolean deleteAddress(int ifIndex, InetAddress address, int prefixBits) throws NativeIoException {
        int at = address(ifIndex, address, prefixBits);
        return absentIs(Errno.EADDRNOTAVAIL, () -> transact(at, RTM_DELADDR, (short) 0,
                "RTM_DELADDR " + address.getHostAddress() + "/" + prefixBits + " on if " + ifIndex));
    }

    /**
     * A policy routing rule (like {@code ip rule}): at {@code priority}, packets of the family that match look
     * up {@code table}. What matches: every packet, or those to {@code destination}/{@code destinationPrefixBits},
     * or those whose fwmark is (with {@code invertMark}: is not) {@code fwmark}; with
     * {@code suppressPrefixLengthBits} >= 0 the lookup's result is ignored when its prefix is that long or
     * shorter (so {@code table main suppress_prefixlength 0} uses every main route but the default route).
     *
     * @param destination null for any destination
     * @param fwmark 0 for no fwmark match
     * @param suppressPrefixLengthBits -1 for none
     */
    public record Rule(boolean ipv6, int priority, int table, InetAddress destination, int destinationPrefixBits,
            int fwmark, boolean invertMark, int suppressPrefixLengthBits) {
        public Rule {
            if (destination != null) {
                checkedBytes(destination, destinationPrefixBits);
                if ((destination.getAddress().length == 16) != ipv6) {
                    throw new IllegalArgumentException("rule destination " + destination + " is not of the rule's family");
                }
            }
        }

        /** {@code ip rule add not fwmark MARK table TABLE priority P}: every packet not marked MARK looks up TABLE. */
        public static Rule unlessMarked(boolean ipv6, int priority, int mark, int table) {
            return new Rule(ipv6, priority, table, null, 0, mark, true, -1);
        }

        /** {@code ip rule add table main suppress_prefixlength 0 priority P}: main's routes except its default. */
        public static Rule mainWithoutDefault(boolean ipv6, int priority) {
            return new Rule(ipv6, priority, MAIN_TABLE, null, 0, 0, false, 0);
        }

        /** {@code ip rule add to ADDRESS/BITS table TABLE priority P}. */
        public static Rule to(InetAddress destination, int prefixBits, int priority, int table) {
            return new Rule(destination.getAddress().length == 16, priority, table, destination, prefixBits, 0, false, -1);
        }
    }

    /** Adds {@code rule}. Throws with EEXIST when the same rule is already there. */
    public void addRule(Rule rule) throws NativeIoException {
        int at = rule(rule);
        transact(at, RTM_NEWRULE, (short) (NLM_F_CREATE | NLM_F_EXCL), "RTM_NEWRULE " + rule);
    }

    /**
     * Deletes one rule equal to {@code rule}.
     *
     * @return false when there was none (ENOENT)
     */
    public boolean deleteRule(Rule rule) throws NativeIoException {
        int at = rule(rule);
        return absentIs(Errno.ENOENT, () -> transact(at, RTM_DELRULE, (short) 0, "RTM_DELRULE " + rule));
    }

    @Override
    public void close() {
        Libc.close(errno, fd);
        arena.close();
    }

    private int address(int ifIndex, InetAddress address, int prefixBits) {
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
        return at;
    }

    private int route(int ifIndex, InetAddress destination, int prefixBits, int table) {
        if (table <= 0 || table == 255) {
            throw new IllegalArgumentException("routing table must be positive and not local (255): " + table);
        }
        byte[] bytes = checkedBytes(destination, prefixBits);
        maskHostBits(bytes, prefixBits);
        request.fill((byte) 0);
        int at = NLMSGHDR_BYTES;
        request.set(ValueLayout.JAVA_BYTE, at, family(bytes));
        request.set(ValueLayout.JAVA_BYTE, at + 1, (byte) prefixBits);
        // Tables past 255 only fit the RTA_TABLE attribute; the header's byte then says RT_TABLE_UNSPEC.
        request.set(ValueLayout.JAVA_BYTE, at + 4, (byte) (table < 256 ? table : 0));
        request.set(ValueLayout.JAVA_BYTE, at + 5, RTPROT_STATIC);
        // IPv4 device routes are link-scoped (as `ip route add ... dev` makes them); IPv6 has no route scopes.
        request.set(ValueLayout.JAVA_BYTE, at + 6, bytes.length == 4 ? RT_SCOPE_LINK : RT_SCOPE_UNIVERSE);
        request.set(ValueLayout.JAVA_BYTE, at + 7, RTN_UNICAST);
        at += 12;
        if (prefixBits > 0) {
            at = attribute(at, RTA_DST, bytes);
        }
        at = intAttribute(at, RTA_OIF, ifIndex);
        return intAttribute(at, RTA_TABLE, table);
    }

    private int rule(Rule rule) {
        request.fill((byte) 0);
        int at = NLMSGHDR_BYTES;
        request.set(ValueLayout.JAVA_BYTE, at, (byte) (rule.ipv6() ? Libc.AF_INET6 : Libc.AF_INET));
        request.set(ValueLayout.JAVA_BYTE, at + 1, (byte) (rule.destination() == null ? 0 : rule.destinationPrefixBits()));
        request.set(ValueLayout.JAVA_BYTE, at + 4, (byte) (rule.table() < 256 ? rule.table() : 0));
        request.set(ValueLayout.JAVA_BYTE, at + 7, FR_ACT_TO_TBL);
        request.set(ValueLayout.JAVA_INT, at + 8, rule.invertMark() ? FIB_RULE_INVERT : 0);
        at += 12;
        if (rule.destination() != null) {
            byte[] bytes = rule.destination().getAddress();
            maskHostBits(bytes, rule.destinationPrefixBits());
            at = attribute(at, FRA_DST, bytes);
        }
        at = intAttribute(at, FRA_PRIORITY, rule.priority());
        if (rule.fwmark() != 0) {
            at = intAttribute(at, FRA_FWMARK, rule.fwmark());
            at = intAttribute(at, FRA_FWMASK, -1);
        }
        if (rule.suppressPrefixLengthBits() >= 0) {
            at = intAttribute(at, FRA_SUPPRESS_PREFIXLEN, rule.suppressPrefixLengthBits());
        }
        return intAttribute(at, FRA_TABLE, rule.table());
    }

    private interface Request {
        void run() throws NativeIoException;
    }

    /** Runs a delete; the errno that says "nothing to delete" becomes false. */
    private static boolean absentIs(int absentErrno, Request delete) throws NativeIoException {
        try {
            delete.run();
            return true;
        } catch (NativeIoException e) {
            if (e.errno() == absentErrno) {
                return false;
            }
            throw e;
        }
    }

    private void transact(int length, short type, short flags, String what) throws NativeIoException {
        int seq = ++sequence;
        request.set(ValueLayout.JAVA_INT, 0, length);
        request.set(ValueLayout.JAVA_SHORT, 4, type);
        request.set(ValueLayout.JAVA_SHORT, 6, (short) (NLM_F_REQUEST | NLM_F_ACK | flags));
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
