package zonegate.shell.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * Turns the kernel's {@code sockaddr_in}/{@code sockaddr_in6} of a received datagram into an
 * {@link InetSocketAddress} without allocating for a sender seen before: a bounded open-addressing
 * table keyed by the address as longs (IPv4: one, IPv6: two) plus family, scope and port.
 *
 * <p>A repeat sender gets the same instance back, which also lets the state machine compare endpoints by
 * identity first. Bound: {@link #capacity()} entries, probing at most {@value #MAX_PROBES} slots; a new
 * sender that finds them all taken evicts the first and counts it in {@link #evictions()}. Entries are
 * never removed otherwise, so a lookup may stop at the first empty slot. One instance per reader
 * thread: not thread-safe.
 */
public final class SourceAddressCache {
    static final int MAX_PROBES = 4;
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final long[] addressHigh;
    private final long[] addressLow;
    private final long[] familyScopePort;
    private final InetSocketAddress[] values;
    private final int mask;
    private long evictions;
    private long misses;

    /** @param capacity entries, rounded up to a power of two (at least 8) */
    public SourceAddressCache(int capacity) {
        int size = Math.max(8, Integer.highestOneBit(Math.max(1, capacity - 1)) << 1);
        addressHigh = new long[size];
        addressLow = new long[size];
        familyScopePort = new long[size];
        values = new InetSocketAddress[size];
        mask = size - 1;
    }

    /**
     * The address of the {@code sockaddr} at {@code offset} in {@code sockaddr} (AF_INET or AF_INET6),
     * or null for another family.
     */
    public InetSocketAddress lookup(MemorySegment sockaddr, long offset) {
        int family = sockaddr.get(ValueLayout.JAVA_SHORT_UNALIGNED, offset);
        int port = sockaddr.get(PORT, offset + 2) & 0xFFFF;
        long high;
        long low;
        long scope;
        if (family == Libc.AF_INET) {
            high = sockaddr.get(INT_BE, offset + 4) & 0xFFFF_FFFFL;
            low = 0;
            scope = 0;
        } else if (family == Libc.AF_INET6) {
            high = sockaddr.get(LONG_BE, offset + 8);
            low = sockaddr.get(LONG_BE, offset + 16);
            scope = sockaddr.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 24) & 0xFFFF_FFFFL;
        } else {
            return null;
        }
        long tail = (long) family << 56 | scope << 16 | port;
        int home = hash(high, low, tail) & mask;
        for (int probe = 0; probe < MAX_PROBES; probe++) {
            int slot = (home + probe) & mask;
            InetSocketAddress value = values[slot];
            if (value == null) {
                return insert(slot, high, low, tail);
            }
            if (addressHigh[slot] == high && addressLow[slot] == low && familyScopePort[slot] == tail) {
                return value;
            }
        }
        evictions++;
        return insert(home, high, low, tail);
    }

    /** Senders that displaced another from a full probe window. */
    public long evictions() {
        return evictions;
    }

    /** Lookups that had to create an address (first sight or after an eviction). */
    public long misses() {
        return misses;
    }

    public int capacity() {
        return values.length;
    }

    private InetSocketAddress insert(int slot, long high, long low, long tail) {
        misses++;
        InetSocketAddress value = create(high, low, tail);
        addressHigh[slot] = high;
        addressLow[slot] = low;
        familyScopePort[slot] = tail;
        values[slot] = value;
        return value;
    }

    private static InetSocketAddress create(long high, long low, long tail) {
        int port = (int) (tail & 0xFFFF);
        int scope = (int) (tail >>> 16);
        try {
            InetAddress address;
            if (tail >>> 56 == Libc.AF_INET) {
                int v4 = (int) high;
                address = InetAddress.getByAddress(new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4});
            } else {
                byte[] bytes = new byte[16];
                for (int i = 0; i < 8; i++) {
                    bytes[i] = (byte) (high >>> (56 - 8 * i));
                    bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
                }
                address = scope == 0 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, scope);
            }
            return new InetSocketAddress(address, port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 and 16 byte addresses are always valid", e);
        }
    }

    private static int hash(long high, long low, long tail) {
        long h = high * 0x9E3779B97F4A7C15L ^ low * 0xC2B2AE3D27D4EB4FL ^ tail * 0x165667B19E3779F9L;
        return (int) (h ^ h >>> 29 ^ h >>> 47);
    }
}
