package zonegate.tunnel.internal.client;

import java.util.Arrays;

/**
 * Offset of a proxy address in its range ({@code 0 .. 2^21 - 1}) to the index of the domain that owns it:
 * open addressing with linear probing over {@code int} arrays, so a lookup allocates nothing. Entries are
 * never removed (proxy addresses are not reused within the process); the table doubles at half load, which
 * bounds it at 2^22 slots for the 2^21 offsets of a range.
 */
final class OffsetIndex {
    private static final int EMPTY = 0;
    /** Offset + 1, so that 0 marks an empty slot. */
    private int[] keys = new int[64];
    private int[] values = new int[64];
    private int size;

    /** The owner of {@code offset}, or -1. */
    int get(int offset) {
        int mask = keys.length - 1;
        int key = offset + 1;
        for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == key) {
                return values[i];
            }
            if (k == EMPTY) {
                return -1;
            }
        }
    }

    /** Records {@code owner} for {@code offset}, which must not be present yet. */
    void put(int offset, int owner) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        insert(keys, values, offset + 1, owner);
        size++;
    }

    int size() {
        return size;
    }

    private void grow() {
        int[] oldKeys = keys;
        int[] oldValues = values;
        keys = new int[oldKeys.length * 2];
        values = new int[oldKeys.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != EMPTY) {
                insert(keys, values, oldKeys[i], oldValues[i]);
            }
        }
        Arrays.fill(oldKeys, EMPTY);
    }

    private static void insert(int[] keys, int[] values, int key, int value) {
        int mask = keys.length - 1;
        int i = mix(key) & mask;
        while (keys[i] != EMPTY) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
    }

    /** Sequential offsets would fill runs of neighbouring slots; a multiplicative hash spreads them. */
    private static int mix(int key) {
        int h = key * 0x9E37_79B9;
        return h ^ h >>> 16;
    }
}
