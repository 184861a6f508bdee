package zonegate.turn.server;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which peer addresses clients may relay to: CREATE-PERMISSION and CHANNEL-BIND for any other peer get
 * 403 Forbidden, and SEND indications to one are dropped ({@link RelayCounter#SEND_FORBIDDEN_PEER}).
 *
 * <p>A peer is refused when it is in {@link #NEVER} (unspecified, multicast, broadcast: no exception
 * possible) or in a refused range and in no allowed range. {@link #defaults()} refuses
 * {@link #DEFAULT_REFUSED}, the ranges that lead into the relay host or its private networks rather
 * than to a peer on the Internet (RFC 8656 section 21.2.2 and 21.3 warn that a relay otherwise lets
 * anyone reach them); the shell adds the host's own addresses. Allowed ranges are the operator's
 * exceptions ({@code --allow-peer}).
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is decided as the IPv4 address it holds, so
 * the mapped form of a refused IPv4 peer is refused too: every address and range is held as 128 bits
 * with IPv4 at {@code ::ffff:0:0/96}. An IPv4 range decides only IPv4 peers (plain or mapped), an IPv6
 * range only the other IPv6 peers, so {@code --allow-peer ::/0} does not open IPv4. Deciding costs a
 * scan of the ranges and allocates nothing.
 * At most {@link #MAX_RANGES} refused plus allowed ranges.
 *
 * <p>Immutable; safe to share between threads.
 */
public final class PeerPolicy {
    /** Refused and allowed ranges together at most (the host's addresses count as refused ranges). */
    public static final int MAX_RANGES = 4096;

    /** Refused whatever is allowed: unspecified, multicast and limited broadcast. */
    public static final List<Cidr> NEVER = List.of(cidr("0.0.0.0/32"), cidr("255.255.255.255/32"),
            cidr("224.0.0.0/4"), cidr("::/128"), cidr("ff00::/8"));

    /**
     * Refused by default: "this network" 0.0.0.0/8, loopback (127.0.0.0/8, ::1), RFC 1918
     * (10/8, 172.16/12, 192.168/16), shared address space 100.64.0.0/10 (RFC 6598), link-local
     * (169.254/16, fe80::/10), reserved 240.0.0.0/4, unique local fc00::/7, the deprecated site-local
     * fec0::/10 and IPv4-compatible ::/96, and the NAT64 prefixes 64:ff9b::/96 (RFC 6052) and
     * 64:ff9b:1::/48 (RFC 8215), which a NAT64 on the relay's network would carry to its private IPv4.
     */
    public static final List<Cidr> DEFAULT_REFUSED = List.of(cidr("0.0.0.0/8"), cidr("10.0.0.0/8"),
            cidr("100.64.0.0/10"), cidr("127.0.0.0/8"), cidr("169.254.0.0/16"), cidr("172.16.0.0/12"),
            cidr("192.168.0.0/16"), cidr("240.0.0.0/4"), cidr("::/96"), cidr("::1/128"), cidr("fe80::/10"),
            cidr("fec0::/10"), cidr("fc00::/7"), cidr("64:ff9b::/96"), cidr("64:ff9b:1::/48"));

    private static final long[] NEVER_RANGES = ranges(NEVER);
    private static final long V4_MAPPED_LOW = 0x0000_FFFF_0000_0000L;
    private static final int STRIDE = 5;

    private final List<Cidr> refused;
    private final List<Cidr> allowed;
    // Per range STRIDE longs: address high, address low, mask high, mask low, 1 for IPv4 else 0.
    private final long[] refusedRanges;
    private final long[] allowedRanges;

    private PeerPolicy(List<Cidr> refused, List<Cidr> allowed) {
        if (refused.size() + allowed.size() > MAX_RANGES) {
            throw new IllegalArgumentException("a peer policy holds at most " + MAX_RANGES + " ranges, not "
                    + (refused.size() + allowed.size()));
        }
        this.refused = List.copyOf(refused);
        this.allowed = List.copyOf(allowed);
        this.refusedRanges = ranges(this.refused);
        this.allowedRanges = ranges(this.allowed);
    }

    /** Refuses {@link #NEVER} and {@link #DEFAULT_REFUSED}, allows everything else. */
    public static PeerPolicy defaults() {
        return new PeerPolicy(DEFAULT_REFUSED, List.of());
    }

    /** Refuses only {@link #NEVER} (for embedding where the network around the relay is known). */
    public static PeerPolicy permissive() {
        return new PeerPolicy(List.of(), List.of());
    }

    /** This policy also refusing {@code ranges} (unless allowed). */
    public PeerPolicy refusing(Collection<Cidr> ranges) {
        List<Cidr> more = new ArrayList<>(refused);
        more.addAll(ranges);
        return new PeerPolicy(more, allowed);
    }

    /** This policy with {@code ranges} as exceptions to its refused ranges (never to {@link #NEVER}). */
    public PeerPolicy allowing(Collection<Cidr> ranges) {
        List<Cidr> more = new ArrayList<>(allowed);
        more.addAll(ranges);
        return new PeerPolicy(refused, more);
    }

    /** The refused ranges, besides {@link #NEVER}. */
    public List<Cidr> refused() {
        return refused;
    }

    /** The allowed exceptions. */
    public List<Cidr> allowed() {
        return allowed;
    }

    /** Whether clients may relay to {@code peer}. Allocates a copy of the address bytes. */
    public boolean allows(InetAddress peer) {
        byte[] bytes = peer.getAddress();
        return allows(bytes, bytes.length);
    }

    /**
     * Whether clients may relay to the address in {@code address[0, length)}: 4 bytes IPv4, 16 bytes IPv6;
     * any other length is refused. Allocates nothing.
     */
    public boolean allows(byte[] address, int length) {
        long high;
        long low;
        if (length == 4) {
            high = 0;
            low = V4_MAPPED_LOW | (readInt(address, 0) & 0xFFFF_FFFFL);
        } else if (length == 16) {
            high = readLong(address, 0);
            low = readLong(address, 8);
        } else {
            return false;
        }
        long v4 = high == 0 && (low & 0xFFFF_FFFF_0000_0000L) == V4_MAPPED_LOW ? 1 : 0;
        if (matches(NEVER_RANGES, high, low, v4)) {
            return false;
        }
        return !matches(refusedRanges, high, low, v4) || matches(allowedRanges, high, low, v4);
    }

    @Override
    public String toString() {
        return "refused " + refused + ", allowed " + allowed;
    }

    private static boolean matches(long[] ranges, long high, long low, long v4) {
        for (int i = 0; i < ranges.length; i += STRIDE) {
            if (ranges[i + 4] == v4 && (high & ranges[i + 2]) == ranges[i] && (low & ranges[i + 3]) == ranges[i + 1]) {
                return true;
            }
        }
        return false;
    }

    private static long[] ranges(List<Cidr> cidrs) {
        long[] ranges = new long[STRIDE * cidrs.size()];
        for (int i = 0; i < cidrs.size(); i++) {
            Cidr cidr = cidrs.get(i);
            byte[] bytes = cidr.address().getAddress();
            int prefix = cidr.isIpv4() ? 96 + cidr.prefixLength() : cidr.prefixLength();
            long high = cidr.isIpv4() ? 0 : readLong(bytes, 0);
            long low = cidr.isIpv4() ? V4_MAPPED_LOW | (readInt(bytes, 0) & 0xFFFF_FFFFL) : readLong(bytes, 8);
            ranges[STRIDE * i] = high;
            ranges[STRIDE * i + 1] = low;
            ranges[STRIDE * i + 2] = mask(prefix);
            ranges[STRIDE * i + 3] = mask(prefix - 64);
            ranges[STRIDE * i + 4] = cidr.isIpv4() ? 1 : 0;
        }
        return ranges;
    }

    // The top `bits` bits set (none for bits <= 0, all for bits >= 64).
    private static long mask(int bits) {
        return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    private static int readInt(byte[] b, int offset) {
        return (b[offset] & 0xFF) << 24 | (b[offset + 1] & 0xFF) << 16 | (b[offset + 2] & 0xFF) << 8
                | (b[offset + 3] & 0xFF);
    }

    private static long readLong(byte[] b, int offset) {
        return (long) readInt(b, offset) << 32 | (readInt(b, offset + 4) & 0xFFFF_FFFFL);
    }

    private static Cidr cidr(String text) {
        return Cidr.parse(text);
    }
}
