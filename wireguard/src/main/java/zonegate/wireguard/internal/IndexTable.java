package zonegate.wireguard.internal;

/**
 * Open-addressing map from 32-bit receiver index to owner, with linear probing and backward-shift
 * deletion: no boxing and no allocation on lookup, which happens for every transport packet.
 * Fixed capacity (a power of two at least twice the bound), so it never resizes.
 *
 * @param <V> the owner type
 */
public final class IndexTable<V> {
    private final int[] keys;
    private final Object[] values;
    private final int mask;
    private final int maxEntries;
    private int size;

    /** A table for at most {@code maxEntries} indices. */
    public IndexTable(int maxEntries) {
        int capacity = Integer.highestOneBit(Math.max(4, maxEntries) * 2 - 1) << 1;
        this.keys = new int[capacity];
        this.values = new Object[capacity];
        this.mask = capacity - 1;
        this.maxEntries = maxEntries;
    }

    /** The owner of {@code index}, or null. */
    @SuppressWarnings("unchecked")
    public V get(int index) {
        for (int i = slot(index); ; i = (i + 1) & mask) {
            Object v = values[i];
            if (v == null) {
                return null;
            }
            if (keys[i] == index) {
                return (V) v;
            }
        }
    }

    /** Adds {@code index} if absent and there is room; returns whether it did. */
    public boolean putIfAbsent(int index, V owner) {
        if (size >= maxEntries) {
            return false;
        }
        int i = slot(index);
        while (values[i] != null) {
            if (keys[i] == index) {
                return false;
            }
            i = (i + 1) & mask;
        }
        keys[i] = index;
        values[i] = owner;
        size++;
        return true;
    }

    /** Removes {@code index}; returns whether it was present. */
    public boolean remove(int index) {
        int i = slot(index);
        while (values[i] != null && keys[i] != index) {
            i = (i + 1) & mask;
        }
        if (values[i] == null) {
            return false;
        }
        values[i] = null;
        size--;
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
            int home = slot(keys[j]);
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!between) {
                keys[i] = keys[j];
                values[i] = values[j];
                values[j] = null;
                i = j;
            }
        }
        return true;
    }

    /** Number of indices held. */
    public int size() {
        return size;
    }

    private int slot(int index) {
        int h = index * 0x9E3779B9;
        return (h ^ (h >>> 16)) & mask;
    }
}
