package zonegate.nat64.internal;

/**
 * A client's proxy addresses and, for each, the domain it stands for and the resolved address its
 * packets go to (possibly in the other family: then the NAT translates). Addresses are in the NAT's
 * 128-bit form (IPv4 as {@code ::ffff:a.b.c.d}). Bounded: at most {@code capacity} proxy addresses.
 */
public final class ProxyDirectory {
    private final LongKeyIndex index;
    private final String[] domain;
    private final int[] targetFamily;
    private final long[] targetHigh;
    private final long[] targetLow;
    private final int[] free;
    private int freeCount;
    private final long[] key = new long[2];

    public ProxyDirectory(int capacity, long seed) {
        index = new LongKeyIndex(2, capacity, seed);
        domain = new String[capacity];
        targetFamily = new int[capacity];
        targetHigh = new long[capacity];
        targetLow = new long[capacity];
        free = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            free[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    /** The entry of a proxy address, or -1. */
    public int find(long high, long low) {
        key[0] = high;
        key[1] = low;
        return index.find(key);
    }

    public String domain(int entry) {
        return domain[entry];
    }

    /** 4 or 6, or 0 when the domain has no resolved address at all. */
    public int targetFamily(int entry) {
        return targetFamily[entry];
    }

    public long targetHigh(int entry) {
        return targetHigh[entry];
    }

    public long targetLow(int entry) {
        return targetLow[entry];
    }

    /**
     * Maps a proxy address (new or existing) to a domain and target.
     *
     * @return false when the directory is full
     */
    public boolean put(long high, long low, String domainName, int family, long resolvedHigh, long resolvedLow) {
        int entry = find(high, low);
        if (entry < 0) {
            if (freeCount == 0) {
                return false;
            }
            entry = free[--freeCount];
            index.put(key, entry);
        }
        domain[entry] = domainName;
        targetFamily[entry] = family;
        targetHigh[entry] = resolvedHigh;
        targetLow[entry] = resolvedLow;
        return true;
    }

    public void remove(long high, long low) {
        int entry = find(high, low);
        if (entry >= 0) {
            index.remove(entry);
            domain[entry] = null;
            free[freeCount++] = entry;
        }
    }
}
