package zonegate.packet;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import zonegate.packet.internal.IndexQueue;

/**
 * A bounded, lock-free pool of fixed-size buffers (direct or heap). Buffers are created on demand up to
 * {@link #capacity()} and never beyond; when all are on loan, {@link #acquire()} returns null and counts
 * a miss (the caller applies back-pressure or drops, and counts that too).
 *
 * <p>Safe for any number of threads acquiring and releasing at once (in zonegate: the shell's reader
 * threads acquire, the state-machine thread releases). Releasing a buffer twice, or one from another
 * pool, is detected, ignored and counted in {@link #rejectedReleases()}; only a stale release that
 * races with the buffer being acquired again cannot be told from a legitimate one.
 *
 * <pre>{@code
 * BufferPool pool = new BufferPool(2048, 4096, true);
 * PooledBuffer b = pool.acquire();       // null when exhausted (pool.misses() counts it)
 * ...
 * pool.release(b);                       // ownership returns to the pool
 * }</pre>
 */
public final class BufferPool {
    private static final int IN_POOL = 0;
    private static final int ON_LOAN = 1;

    private final int bufferSizeBytes;
    private final int capacity;
    private final boolean direct;
    private final AtomicReferenceArray<PooledBuffer> buffers;
    private final AtomicIntegerArray states;
    private final IndexQueue free;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong rejectedReleases = new AtomicLong();

    /**
     * @param bufferSizeBytes size of every buffer, e.g. 2048 or 65536
     * @param capacity the most buffers that will ever exist, 1 to 2^24
     * @param direct direct ({@link ByteBuffer#allocateDirect}) or heap buffers
     */
    public BufferPool(int bufferSizeBytes, int capacity, boolean direct) {
        if (bufferSizeBytes < 1) {
            throw new IllegalArgumentException("bufferSizeBytes must be positive: " + bufferSizeBytes);
        }
        if (capacity < 1 || capacity > 1 << 24) {
            throw new IllegalArgumentException("capacity must be 1 to 2^24: " + capacity);
        }
        this.bufferSizeBytes = bufferSizeBytes;
        this.capacity = capacity;
        this.direct = direct;
        this.buffers = new AtomicReferenceArray<>(capacity);
        this.states = new AtomicIntegerArray(capacity);
        this.free = new IndexQueue(2 * capacity);
    }

    /**
     * Takes a buffer, cleared, or returns null (and counts a miss) when all {@link #capacity()} buffers
     * are on loan. Lock-free; allocates only while the pool is still growing to its bound.
     */
    public PooledBuffer acquire() {
        int index = free.poll();
        if (index >= 0) {
            states.set(index, ON_LOAN);
            PooledBuffer pooled = buffers.get(index);
            pooled.buffer().clear();
            return pooled;
        }
        int count = created.get();
        while (count < capacity) {
            if (created.compareAndSet(count, count + 1)) {
                ByteBuffer bytes = direct ? ByteBuffer.allocateDirect(bufferSizeBytes) : ByteBuffer.allocate(bufferSizeBytes);
                PooledBuffer pooled = new PooledBuffer(this, count, bytes);
                states.set(count, ON_LOAN);
                buffers.set(count, pooled);
                return pooled;
            }
            count = created.get();
        }
        misses.incrementAndGet();
        return null;
    }

    /**
     * Gives {@code pooled} back. Returns false, changes nothing and counts a rejected release when it
     * is null, belongs to another pool, or is already back in this one.
     */
    public boolean release(PooledBuffer pooled) {
        if (pooled == null || pooled.pool() != this || !states.compareAndSet(pooled.index(), ON_LOAN, IN_POOL)) {
            rejectedReleases.incrementAndGet();
            return false;
        }
        // At most `capacity` indices exist and each is queued at most once, so the queue (twice that
        // size) has room; an offer fails only while a consumer that lapped this slot is between its
        // claim and its hand-back, a window of a few instructions, so wait it out instead of losing the buffer.
        while (!free.offer(pooled.index())) {
            Thread.onSpinWait();
        }
        return true;
    }

    public int bufferSizeBytes() {
        return bufferSizeBytes;
    }

    /** The bound: the most buffers this pool will ever create. */
    public int capacity() {
        return capacity;
    }

    /** Buffers created so far (at most {@link #capacity()}). */
    public int created() {
        return created.get();
    }

    /** Buffers in the pool, ready to acquire, plus those not yet created (approximate under concurrency). */
    public int available() {
        return free.size() + capacity - created.get();
    }

    /** How many {@link #acquire()} calls found the pool empty. */
    public long misses() {
        return misses.get();
    }

    /** How many {@link #release} calls were ignored (double, foreign or null). */
    public long rejectedReleases() {
        return rejectedReleases.get();
    }
}
