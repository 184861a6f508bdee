package zonegate.packet.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded lock-free multi-producer multi-consumer queue of non-negative ints (D. Vyukov's bounded
 * MPMC array queue): each slot carries a sequence number that says whether it is ready for the next
 * producer or the next consumer of its lap, so producers and consumers only contend on their own
 * counter's CAS.
 */
public final class IndexQueue {
    private final int mask;
    private final AtomicLongArray sequences;
    private final int[] values;
    private final AtomicLong enqueuePosition = new AtomicLong();
    private final AtomicLong dequeuePosition = new AtomicLong();

    /** A queue holding at least {@code capacity} values (rounded up to a power of two). */
    public IndexQueue(int capacity) {
        int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        mask = size - 1;
        sequences = new AtomicLongArray(size);
        values = new int[size];
        for (int i = 0; i < size; i++) {
            sequences.set(i, i);
        }
    }

    /** Adds {@code value}; false when the queue is full. */
    public boolean offer(int value) {
        while (true) {
            long position = enqueuePosition.get();
            int slot = (int) position & mask;
            long difference = sequences.getAcquire(slot) - position;
            if (difference == 0) {
                if (enqueuePosition.compareAndSet(position, position + 1)) {
                    values[slot] = value;
                    // Release: the value write above becomes visible before the slot reads as filled.
                    sequences.setRelease(slot, position + 1);
                    return true;
                }
            } else if (difference < 0) {
                return false;
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Removes and returns the oldest value, or -1 when the queue is empty. */
    public int poll() {
        while (true) {
            long position = dequeuePosition.get();
            int slot = (int) position & mask;
            long difference = sequences.getAcquire(slot) - (position + 1);
            if (difference == 0) {
                if (dequeuePosition.compareAndSet(position, position + 1)) {
                    int value = values[slot];
                    sequences.setRelease(slot, position + mask + 1);
                    return value;
                }
            } else if (difference < 0) {
                return -1;
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Approximate number of values queued (exact when no other thread is active). */
    public int size() {
        return (int) Math.max(0, enqueuePosition.get() - dequeuePosition.get());
    }
}
