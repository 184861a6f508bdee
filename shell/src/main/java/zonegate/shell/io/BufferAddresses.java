package zonegate.shell.io;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Native base addresses of direct buffers, cached by buffer identity so the per-packet path creates no
 * {@link MemorySegment} once warm (pooled buffers are a bounded set that comes round again and again).
 *
 * <p>Direct-mapped on {@link System#identityHashCode}: a collision just recomputes and replaces, so the
 * cache is bounded by construction. One instance per thread (a reader or a writer): not thread-safe.
 * A cached entry keeps its buffer reachable, which keeps the address valid for as long as it is cached.
 */
public final class BufferAddresses {
    private final ByteBuffer[] buffers;
    private final long[] addresses;
    private final int mask;
    private long misses;

    /** @param capacity entries, rounded up to a power of two; size it to about twice the pool's capacity */
    public BufferAddresses(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.buffers = new ByteBuffer[size];
        this.addresses = new long[size];
        this.mask = size - 1;
    }

    /**
     * The native address of {@code buffer}'s byte 0 (not of its position).
     *
     * @throws IllegalArgumentException for a heap buffer: the kernel can only read and write native memory
     */
    public long baseAddress(ByteBuffer buffer) {
        int slot = System.identityHashCode(buffer) & mask;
        if (buffers[slot] == buffer) {
            return addresses[slot];
        }
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("native I/O needs a direct buffer, not " + buffer);
        }
        misses++;
        long address = MemorySegment.ofBuffer(buffer).address() - buffer.position();
        buffers[slot] = buffer;
        addresses[slot] = address;
        return address;
    }

    /** The native address of {@code buffer}'s position. */
    public long positionAddress(ByteBuffer buffer) {
        return baseAddress(buffer) + buffer.position();
    }

    /** Lookups that had to compute the address (first sight or a collision). */
    public long misses() {
        return misses;
    }
}
