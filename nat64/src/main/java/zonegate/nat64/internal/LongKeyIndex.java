package zonegate.nat64.internal;

import java.util.Arrays;

/**
 * A bounded hash index from a fixed-width key of {@code words} longs to an entry id in
 * {@code [0, capacity)}, allocation-free: open addressing with linear probing in a power-of-two table at
 * most half full, and backward-shift deletion (no tombstones, so probe chains never degrade). The hash is
 * keyed by a per-instance seed, so keys a peer chooses (ports, addresses) cannot be aimed at one chain.
 * The caller owns the ids (which are free, which are live); this class stores each live id's key.
 */
public final class LongKeyIndex {
    private final int words;
    private final long seed;
    private long[] keys;
    private int[] hashes;
    /** Entry id + 1, or 0 for an empty slot. */
    private int[] table;
    private int mask;

    /** An index for ids in {@code [0, capacity)}; {@link #grow} raises that bound. */
    public LongKeyIndex(int words, int capacity, long seed) {
        this.words = words;
        this.seed = seed;
        this.keys = new long[words * capacity];
        this.hashes = new int[capacity];
        this.table = new int[tableSize(capacity)];
        this.mask = table.length - 1;
    }

    /** Raises the id bound to {@code capacity} (not below the current one), keeping every live id. */
    public void grow(int capacity) {
        if (capacity <= hashes.length) {
            return;
        }
        keys = Arrays.copyOf(keys, words * capacity);
        hashes = Arrays.copyOf(hashes, capacity);
        int size = tableSize(capacity);
        if (size > table.length) {
            int[] old = table;
            table = new int[size];
            mask = size - 1;
            for (int slot : old) {
                if (slot != 0) {
                    int i = hashes[slot - 1] & mask;
                    while (table[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    table[i] = slot;
                }
            }
        }
    }

    /** A power of two at least twice {@code capacity}: the table stays at most half full. */
    private static int tableSize(int capacity) {
        return Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) * 2;
    }

    /** The id stored under {@code key} (its first {@code words} longs), or -1. */
    public int find(long[] key) {
        int hash = hash(key, 0);
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            int slot = table[i];
            if (slot == 0) {
                return -1;
            }
            int id = slot - 1;
            if (hashes[id] == hash && sameKey(id, key)) {
                return id;
            }
        }
    }

    /** Stores {@code id} under {@code key}; the key must be absent and the id not live. */
    public void put(long[] key, int id) {
        System.arraycopy(key, 0, keys, id * words, words);
        int hash = hash(key, 0);
        hashes[id] = hash;
        int i = hash & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = id + 1;
    }

    /** Removes the live {@code id}. */
    public void remove(int id) {
        int i = hashes[id] & mask;
        while (table[i] != id + 1) {
            i = (i + 1) & mask;
        }
        table[i] = 0;
        // Backward shift: pull later members of the chain into the hole unless their home is after it.
        for (int j = (i + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
            int home = hashes[table[j] - 1] & mask;
            boolean homeInHoleToJ = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!homeInHoleToJ) {
                table[i] = table[j];
                table[j] = 0;
                i = j;
            }
        }
    }

    /** Word {@code word} of the key stored for the live {@code id}. */
    public long key(int id, int word) {
        return keys[id * words + word];
    }

    public void clear() {
        Arrays.fill(table, 0);
    }

    private boolean sameKey(int id, long[] key) {
        int base = id * words;
        for (int w = 0; w < words; w++) {
            if (keys[base + w] != key[w]) {
                return false;
            }
        }
        return true;
    }

    private int hash(long[] key, int from) {
        long h = seed;
        for (int w = from; w < words; w++) {
            h = (h ^ key[w]) * 0x9E37_79B9_7F4A_7C15L;
            h ^= h >>> 29;
        }
        h *= 0xBF58_476D_1CE4_E5B9L;
        return (int) (h ^ h >>> 32);
    }
}
