package zonegate.shell.io;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteOrder;

/**
 * Native {@code sockaddr_in}/{@code sockaddr_in6} forms of destination addresses, kept per
 * {@link InetSocketAddress} instance so sending to a peer seen before allocates nothing (encoding needs
 * {@link InetAddress#getAddress()}, which copies). The state machine keeps one instance per peer
 * endpoint, so identity is the right key.
 *
 * <p>Direct-mapped on {@link System#identityHashCode}: a collision re-encodes into the slot, so the
 * cache is bounded by construction. One instance per writer thread: not thread-safe.
 */
public final class DestinationAddressCache {
    static final int SLOT_BYTES = 32;
    private static final ValueLayout.OfShort PORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final InetSocketAddress[] keys;
    private final int[] lengths;
    private final MemorySegment slots;
    private final int mask;

    /** @param capacity entries, rounded up to a power of two */
    public DestinationAddressCache(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        keys = new InetSocketAddress[size];
        lengths = new int[size];
        slots = Arena.ofAuto().allocate((long) size * SLOT_BYTES, 8);
        mask = size - 1;
    }

    /**
     * The slot holding {@code destination}'s sockaddr, encoding it on a miss.
     *
     * @throws IllegalArgumentException for an unresolved address
     */
    public int slotOf(InetSocketAddress destination) {
        int slot = System.identityHashCode(destination) & mask;
        if (keys[slot] != destination) {
            lengths[slot] = encode(destination, slots, (long) slot * SLOT_BYTES);
            keys[slot] = destination;
        }
        return slot;
    }

    /** The sockaddr of {@code slot}, as a segment of {@link #length} bytes within the cache. */
    public MemorySegment address(int slot) {
        return slots.asSlice((long) slot * SLOT_BYTES, SLOT_BYTES);
    }

    /** The native address of {@code slot}'s sockaddr, for a {@code msghdr.msg_name}. */
    public long nativeAddress(int slot) {
        return slots.address() + (long) slot * SLOT_BYTES;
    }

    /** The sockaddr's length: 16 for IPv4, 28 for IPv6. */
    public int length(int slot) {
        return lengths[slot];
    }

    /** Writes {@code address} as a sockaddr at {@code offset} of {@code out}; returns its length. */
    static int encode(InetSocketAddress address, MemorySegment out, long offset) {
        InetAddress ip = address.getAddress();
        if (ip == null) {
            throw new IllegalArgumentException("cannot send to an unresolved address: " + address);
        }
        out.asSlice(offset, SLOT_BYTES).fill((byte) 0);
        out.set(PORT, offset + 2, (short) address.getPort());
        byte[] bytes = ip.getAddress();
        if (ip instanceof Inet4Address) {
            out.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, (short) Libc.AF_INET);
            MemorySegment.copy(bytes, 0, out, ValueLayout.JAVA_BYTE, offset + 4, 4);
            return 16;
        }
        out.set(ValueLayout.JAVA_SHORT_UNALIGNED, offset, (short) Libc.AF_INET6);
        MemorySegment.copy(bytes, 0, out, ValueLayout.JAVA_BYTE, offset + 8, 16);
        out.set(ValueLayout.JAVA_INT_UNALIGNED, offset + 24, ((Inet6Address) ip).getScopeId());
        return 28;
    }
}
