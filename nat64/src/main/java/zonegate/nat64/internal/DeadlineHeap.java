package zonegate.nat64.internal;

import java.util.Arrays;

/**
 * An indexed binary min-heap of entry ids in {@code [0, capacity)} ordered by a {@code long} key (a
 * deadline in ns): add, remove and re-key any id in O(log n), peek in O(1), no allocation. Bounded by
 * construction: each id is in the heap at most once.
 */
public final class DeadlineHeap {
    private int[] heap;
    private int[] position;
    private long[] keys;
    private int size;

    public DeadlineHeap(int capacity) {
        heap = new int[capacity];
        position = new int[capacity];
        keys = new long[capacity];
        Arrays.fill(position, -1);
    }

    /** Raises the id bound to {@code capacity} (not below the current one), keeping every entry. */
    public void grow(int capacity) {
        int old = position.length;
        if (capacity <= old) {
            return;
        }
        heap = Arrays.copyOf(heap, capacity);
        keys = Arrays.copyOf(keys, capacity);
        position = Arrays.copyOf(position, capacity);
        Arrays.fill(position, old, capacity, -1);
    }

    public int size() {
        return size;
    }

    /** The id with the smallest key, or -1 when empty. */
    public int peek() {
        return size == 0 ? -1 : heap[0];
    }

    public long keyOf(int id) {
        return keys[id];
    }

    public boolean contains(int id) {
        return position[id] >= 0;
    }

    public void add(int id, long key) {
        keys[id] = key;
        heap[size] = id;
        position[id] = size;
        size++;
        siftUp(size - 1);
    }

    public void update(int id, long key) {
        long old = keys[id];
        keys[id] = key;
        if (key < old) {
            siftUp(position[id]);
        } else {
            siftDown(position[id]);
        }
    }

    public void remove(int id) {
        int at = position[id];
        position[id] = -1;
        size--;
        if (at == size) {
            return;
        }
        int last = heap[size];
        heap[at] = last;
        position[last] = at;
        siftDown(at);
        siftUp(position[last]);
    }

    private void siftUp(int at) {
        int id = heap[at];
        long key = keys[id];
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            int parentId = heap[parent];
            if (keys[parentId] <= key) {
                break;
            }
            heap[at] = parentId;
            position[parentId] = at;
            at = parent;
        }
        heap[at] = id;
        position[id] = at;
    }

    private void siftDown(int at) {
        int id = heap[at];
        long key = keys[id];
        while (true) {
            int child = 2 * at + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && keys[heap[child + 1]] < keys[heap[child]]) {
                child++;
            }
            int childId = heap[child];
            if (keys[childId] >= key) {
                break;
            }
            heap[at] = childId;
            position[childId] = at;
            at = child;
        }
        heap[at] = id;
        position[id] = at;
    }
}
