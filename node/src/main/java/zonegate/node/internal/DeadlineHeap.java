package zonegate.node.internal;

import java.util.Arrays;

/**
 * An indexed binary min-heap of entries by their cached deadline: O(log n) to add, move or remove an
 * entry, O(1) to read the earliest. Each entry stores its own position, so nothing is searched.
 *
 * @param <T> the entry type
 */
public final class DeadlineHeap<T extends DeadlineHeap.Entry> {
    /** Position value of an entry that is not in the heap. */
    public static final int ABSENT = -1;

    /** What the heap holds: an entry keeps its deadline and position for the heap. */
    public abstract static class Entry {
        int heapIndex = ABSENT;
        long heapDeadlineNs = Long.MAX_VALUE;

        /** The deadline the heap last filed this entry under. */
        public final long cachedDeadlineNs() {
            return heapDeadlineNs;
        }
    }

    private Entry[] heap = new Entry[16];
    private int size;

    /** Files {@code entry} under {@code deadlineNs}, adding it if absent. */
    public void update(T entry, long deadlineNs) {
        if (entry.heapIndex == ABSENT) {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            entry.heapIndex = size;
            entry.heapDeadlineNs = deadlineNs;
            heap[size++] = entry;
            up(entry.heapIndex);
            return;
        }
        long old = entry.heapDeadlineNs;
        entry.heapDeadlineNs = deadlineNs;
        if (deadlineNs < old) {
            up(entry.heapIndex);
        } else if (deadlineNs > old) {
            down(entry.heapIndex);
        }
    }

    /** Removes {@code entry} if present. */
    public void remove(T entry) {
        int i = entry.heapIndex;
        if (i == ABSENT) {
            return;
        }
        Entry last = heap[--size];
        heap[size] = null;
        entry.heapIndex = ABSENT;
        if (last != entry) {
            heap[i] = last;
            last.heapIndex = i;
            up(i);
            down(last.heapIndex);
        }
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when empty. */
    public long earliestNs() {
        return size == 0 ? Long.MAX_VALUE : heap[0].heapDeadlineNs;
    }

    /** The entry with the earliest deadline, or null. */
    @SuppressWarnings("unchecked")
    public T first() {
        return size == 0 ? null : (T) heap[0];
    }

    /** Entries held. */
    public int size() {
        return size;
    }

    private void up(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent].heapDeadlineNs <= e.heapDeadlineNs) {
                break;
            }
            place(heap[parent], i);
            i = parent;
        }
        place(e, i);
    }

    private void down(int i) {
        Entry e = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && heap[child + 1].heapDeadlineNs < heap[child].heapDeadlineNs) {
                child++;
            }
            if (heap[child].heapDeadlineNs >= e.heapDeadlineNs) {
                break;
            }
            place(heap[child], i);
            i = child;
        }
        place(e, i);
    }

    private void place(Entry e, int i) {
        heap[i] = e;
        e.heapIndex = i;
    }
}
