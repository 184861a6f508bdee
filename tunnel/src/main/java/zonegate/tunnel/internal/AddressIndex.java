package zonegate.tunnel.internal;

import java.util.Arrays;

/**
 * Tunnel address to client, for the resource-to-client path: open addressing with linear probing and
 * backward-shift deletion, IPv4 keyed by the {@code int}, IPv6 by its two {@code long} halves, so a
 * lookup allocates nothing. The load factor stays at most 1/2: the table doubles when a put would pass it
 * (callers bound how many entries they put; one sized at construction for its bound never grows).
 *
 * @param <T> the value type
 */
public final class AddressIndex<T> {
    private int mask;
    private int[] keys4;
    private Object[] values4;
    private long[] keysHigh;
    private long[] keysLow;
    private Object[] values6;
    private int size4;
    private int size6;

    /** @param expectedEntries entries per family it holds without growing */
    public AddressIndex(int expectedEntries) {
        allocate(Integer.highestOneBit(Math.max(2, expectedEntries) * 2 - 1) << 1);
    }

    private void allocate(int slots) {
        this.mask = slots - 1;
        this.keys4 = new int[slots];
        this.values4 = new Object[slots];
        this.keysHigh = new long[slots];
        this.keysLow = new long[slots];
        this.values6 = new Object[slots];
    }

    /** Entries of either family. */
    public int size() {
        return size4 + size6;
    }

    /** Removes every entry (keeps the capacity). */
    public void clear() {
        Arrays.fill(values4, null);
        Arrays.fill(values6, null);
        size4 = 0;
        size6 = 0;
    }

    @SuppressWarnings("unchecked")
    public T get4(int address) {
        for (int i = slot(mix(address)); ; i = (i + 1) & mask) {
            Object v = values4[i];
            if (v == null || keys4[i] == address) {
                return (T) v;
            }
        }
    }

    @SuppressWarnings("unchecked")
    public T get6(long high, long low) {
        for (int i = slot(mix(high ^ Long.rotateLeft(low, 29))); ; i = (i + 1) & mask) {
            Object v = values6[i];
            if (v == null || keysHigh[i] == high && keysLow[i] == low) {
                return (T) v;
            }
        }
    }

    public void put4(int address, T value) {
        if (get4(address) == null && (size4 + 1) * 2 > mask + 1) {
            grow();
        }
        int i = slot(mix(address));
        while (values4[i] != null && keys4[i] != address) {
            i = (i + 1) & mask;
        }
        if (values4[i] == null) {
            size4++;
        }
        keys4[i] = address;
        values4[i] = value;
    }

    public void put6(long high, long low, T value) {
        if (get6(high, low) == null && (size6 + 1) * 2 > mask + 1) {
            grow();
        }
        int i = slot(mix(high ^ Long.rotateLeft(low, 29)));
        while (values6[i] != null && !(keysHigh[i] == high && keysLow[i] == low)) {
            i = (i + 1) & mask;
        }
        if (values6[i] == null) {
            size6++;
        }
        keysHigh[i] = high;
        keysLow[i] = low;
        values6[i] = value;
    }

    public void remove4(int address) {
        int i = slot(mix(address));
        while (values4[i] != null && keys4[i] != address) {
            i = (i + 1) & mask;
        }
        if (values4[i] == null) {
            return;
        }
        values4[i] = null;
        size4--;
        // Backward shift: move later entries of the run into the hole if their home slot allows it.
        for (int j = (i + 1) & mask; values4[j] != null; j = (j + 1) & mask) {
            int home = slot(mix(keys4[j]));
            if (((j - home) & mask) >= ((j - i) & mask)) {
                keys4[i] = keys4[j];
                values4[i] = values4[j];
                values4[j] = null;
                i = j;
            }
        }
    }

    public void remove6(long high, long low) {
        int i = slot(mix(high ^ Long.rotateLeft(low, 29)));
        while (values6[i] != null && !(keysHigh[i] == high && keysLow[i] == low)) {
            i = (i + 1) & mask;
        }
        if (values6[i] == null) {
            return;
        }
        values6[i] = null;
        size6--;
        for (int j = (i + 1) & mask; values6[j] != null; j = (j + 1) & mask) {
            int home = slot(mix(keysHigh[j] ^ Long.rotateLeft(keysLow[j], 29)));
            if (((j - home) & mask) >= ((j - i) & mask)) {
                keysHigh[i] = keysHigh[j];
                keysLow[i] = keysLow[j];
                values6[i] = values6[j];
                values6[j] = null;
                i = j;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        int[] oldKeys4 = keys4;
        Object[] oldValues4 = values4;
        long[] oldHigh = keysHigh;
        long[] oldLow = keysLow;
        Object[] oldValues6 = values6;
        allocate((mask + 1) * 2);
        size4 = 0;
        size6 = 0;
        for (int i = 0; i < oldValues4.length; i++) {
            if (oldValues4[i] != null) {
                put4(oldKeys4[i], (T) oldValues4[i]);
            }
            if (oldValues6[i] != null) {
                put6(oldHigh[i], oldLow[i], (T) oldValues6[i]);
            }
        }
    }

    private int slot(long hash) {
        return (int) hash & mask;
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}
