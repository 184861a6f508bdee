package zonegate.tunnel.internal;

/**
 * Tunnel address to client, for the resource-to-client path: open addressing with linear probing and
 * backward-shift deletion, IPv4 keyed by the {@code int}, IPv6 by its two {@code long} halves, so a
 * lookup allocates nothing. Sized at construction for its bound (load factor at most 1/2).
 *
 * @param <T> the value type
 */
public final class AddressIndex<T> {
    private final int mask;
    private final int[] keys4;
    private final Object[] values4;
    private final long[] keysHigh;
    private final long[] keysLow;
    private final Object[] values6;

    /** @param maxEntries entries per family at most */
    public AddressIndex(int maxEntries) {
        int slots = Integer.highestOneBit(Math.max(2, maxEntries) * 2 - 1) << 1;
        this.mask = slots - 1;
        this.keys4 = new int[slots];
        this.values4 = new Object[slots];
        this.keysHigh = new long[slots];
        this.keysLow = new long[slots];
        this.values6 = new Object[slots];
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
        int i = slot(mix(address));
        while (values4[i] != null && keys4[i] != address) {
            i = (i + 1) & mask;
        }
        keys4[i] = address;
        values4[i] = value;
    }

    public void put6(long high, long low, T value) {
        int i = slot(mix(high ^ Long.rotateLeft(low, 29)));
        while (values6[i] != null && !(keysHigh[i] == high && keysLow[i] == low)) {
            i = (i + 1) & mask;
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

    private int slot(long hash) {
        return (int) hash & mask;
    }

    private static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }
}
