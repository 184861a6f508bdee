package zonegate.filter.internal;

import java.util.Arrays;
import zonegate.filter.ResourceId;

/**
 * A bounded flow table: flow key -> the resource the flow was routed through, so that an established
 * flow keeps its route when a more specific resource is added. Set-associative: a key hashes to a
 * bucket of {@value #WAYS} slots; a new flow takes a free or idle-expired slot of its bucket, else
 * evicts the slot closest to idling out (counted in {@link #evictions()}). No deletion, no growth, no
 * allocation after construction.
 *
 * <p>A key is (meta, high, low): meta packs IP version (0 for a domain flow), protocol, source port
 * (or ICMP identifier) and destination port; high/low are the destination address (or a domain's
 * flow key). Idle expiry is lazy: a slot whose {@code idleUntilNs} has passed is treated as absent.
 */
public final class FlowTable {
    static final int WAYS = 4;

    private final int mask;
    private final long[] meta;
    private final long[] high;
    private final long[] low;
    private final long[] idleUntilNs;
    private final ResourceId[] resource;
    private final int[] generation;
    private final int[] entry;
    private long evictions;

    /** A table of at least {@code capacity} flows (rounded up to a power of two, at least 4). */
    public FlowTable(int capacity) {
        int slots = Integer.highestOneBit(Math.max(WAYS, capacity) - 1) << 1;
        slots = Math.max(WAYS, slots);
        mask = slots / WAYS - 1;
        meta = new long[slots];
        high = new long[slots];
        low = new long[slots];
        idleUntilNs = new long[slots];
        Arrays.fill(idleUntilNs, Long.MIN_VALUE);
        resource = new ResourceId[slots];
        generation = new int[slots];
        entry = new int[slots];
    }

    /** Packs the non-address part of a flow key. Ports are -1..65535. */
    public static long meta(int version, int protocol, int sourcePort, int destinationPort) {
        return (long) version << 42 | (long) (protocol & 0xFF) << 34 | (long) ((sourcePort + 1) & 0x1FFFF) << 17
                | ((destinationPort + 1) & 0x1FFFF);
    }

    /** The live slot of the key at {@code nowNs}, or -1. */
    public int find(long keyMeta, long keyHigh, long keyLow, long nowNs) {
        int base = bucket(keyMeta, keyHigh, keyLow);
        for (int s = base; s < base + WAYS; s++) {
            if (idleUntilNs[s] > nowNs && meta[s] == keyMeta && high[s] == keyHigh && low[s] == keyLow) {
                return s;
            }
        }
        return -1;
    }

    /** The resource of a live slot. */
    public ResourceId resource(int slot) {
        return resource[slot];
    }

    /** The snapshot generation in which {@link #entry(int)} was valid. */
    public int generation(int slot) {
        return generation[slot];
    }

    public int entry(int slot) {
        return entry[slot];
    }

    /** Re-points a live slot at its resource's entry index in a newer snapshot. */
    public void remap(int slot, int newGeneration, int newEntry) {
        generation[slot] = newGeneration;
        entry[slot] = newEntry;
    }

    /**
     * Records (or refreshes) the flow's route, idle until {@code nowNs + idleNs}. {@code slot} is the
     * key's live slot from {@link #find}, or -1 to insert.
     */
    public void put(int slot, long keyMeta, long keyHigh, long keyLow, ResourceId routedVia, int snapshotGeneration,
                    int entryIndex, long nowNs, long idleNs) {
        if (slot < 0) {
            slot = victim(bucket(keyMeta, keyHigh, keyLow), nowNs);
            meta[slot] = keyMeta;
            high[slot] = keyHigh;
            low[slot] = keyLow;
        }
        idleUntilNs[slot] = saturatingAdd(nowNs, idleNs);
        resource[slot] = routedVia;
        generation[slot] = snapshotGeneration;
        entry[slot] = entryIndex;
    }

    /** Live flows evicted to make room for new ones since construction. */
    public long evictions() {
        return evictions;
    }

    /** Refreshes a live slot's idle deadline (its route unchanged). */
    public void touch(int slot, long nowNs, long idleNs) {
        idleUntilNs[slot] = saturatingAdd(nowNs, idleNs);
    }

    /** Flows live at {@code nowNs} (a scan; for tests and metrics). */
    public int liveFlows(long nowNs) {
        int live = 0;
        for (long until : idleUntilNs) {
            live += until > nowNs ? 1 : 0;
        }
        return live;
    }

    /** Forgets every flow (when the client's tunnel address changes). */
    public void clear() {
        Arrays.fill(idleUntilNs, Long.MIN_VALUE);
        Arrays.fill(resource, null);
    }

    private int victim(int base, long nowNs) {
        int oldest = base;
        for (int s = base; s < base + WAYS; s++) {
            if (idleUntilNs[s] <= nowNs) {
                return s;
            }
            if (idleUntilNs[s] < idleUntilNs[oldest]) {
                oldest = s;
            }
        }
        evictions++;
        return oldest;
    }

    private int bucket(long keyMeta, long keyHigh, long keyLow) {
        long h = keyHigh * 0x9E37_79B9_7F4A_7C15L ^ keyLow;
        h = (h ^ keyMeta) * 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 31;
        return ((int) h & mask) * WAYS;
    }

    static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
