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
 *
 * <p>Layout: a bucket's keys and deadlines are adjacent in one {@code long[]} (the 4 metas, then the 4
 * deadlines, then the 4 highs and the 4 lows), so a miss in a full table, which compares metas and
 * then picks a victim by deadline, reads one or two cache lines; the route of a slot (snapshot
 * generation and entry) is packed in one {@code long}.
 */
public final class FlowTable {
    static final int WAYS = 4;
    /** Longs per bucket in {@link #words}: meta, idle deadline, high, low, {@value #WAYS} of each. */
    private static final int BUCKET_WORDS = 4 * WAYS;
    private static final int IDLE = WAYS;
    private static final int HIGH = 2 * WAYS;
    private static final int LOW = 3 * WAYS;

    private final int mask;
    private final long[] words;
    /** Per slot: snapshot generation in the high 32 bits, entry index in the low 32. */
    private final long[] routes;
    private final ResourceId[] resource;
    private long evictions;

    /** A table of at least {@code capacity} flows (rounded up to a power of two, at least 4). */
    public FlowTable(int capacity) {
        int slots = Integer.highestOneBit(Math.max(WAYS, capacity) - 1) << 1;
        slots = Math.max(WAYS, slots);
        mask = slots / WAYS - 1;
        words = new long[slots / WAYS * BUCKET_WORDS];
        routes = new long[slots];
        resource = new ResourceId[slots];
        clear();
    }

    /** Packs the non-address part of a flow key. Ports are -1..65535. */
    public static long meta(int version, int protocol, int sourcePort, int destinationPort) {
        return (long) version << 42 | (long) (protocol & 0xFF) << 34 | (long) ((sourcePort + 1) & 0x1FFFF) << 17
                | ((destinationPort + 1) & 0x1FFFF);
    }

    /**
     * The live slot of the key at {@code nowNs}; if there is none, {@code ~bucket} (negative), which
     * {@link #put} takes to insert the key without hashing it again.
     */
    public int find(long keyMeta, long keyHigh, long keyLow, long nowNs) {
        int bucket = bucket(keyMeta, keyHigh, keyLow);
        long[] w = words;
        int base = bucket * BUCKET_WORDS;
        for (int way = 0; way < WAYS; way++) {
            int at = base + way;
            if (w[at] == keyMeta && w[at + IDLE] > nowNs && w[at + LOW] == keyLow && w[at + HIGH] == keyHigh) {
                return bucket * WAYS + way;
            }
        }
        return ~bucket;
    }

    /** The resource of a live slot. */
    public ResourceId resource(int slot) {
        return resource[slot];
    }

    /** The snapshot generation in which {@link #entry(int)} was valid. */
    public int generation(int slot) {
        return (int) (routes[slot] >>> 32);
    }

    public int entry(int slot) {
        return (int) routes[slot];
    }

    /** Re-points a live slot at its resource's entry index in a newer snapshot. */
    public void remap(int slot, int newGeneration, int newEntry) {
        routes[slot] = route(newGeneration, newEntry);
    }

    /**
     * Records (or refreshes) the flow's route, idle until {@code nowNs + idleNs}. {@code slot} is the
     * key's live slot from {@link #find}, or what {@link #find} returned for the absent key, to insert it.
     */
    public void put(int slot, long keyMeta, long keyHigh, long keyLow, ResourceId routedVia, int snapshotGeneration,
                    int entryIndex, long nowNs, long idleNs) {
        if (slot < 0) {
            slot = victim(~slot, nowNs);
            int at = wordOf(slot);
            words[at] = keyMeta;
            words[at + HIGH] = keyHigh;
            words[at + LOW] = keyLow;
        }
        words[wordOf(slot) + IDLE] = saturatingAdd(nowNs, idleNs);
        resource[slot] = routedVia;
        routes[slot] = route(snapshotGeneration, entryIndex);
    }

    /** Live flows evicted to make room for new ones since construction. */
    public long evictions() {
        return evictions;
    }

    /** Refreshes a live slot's idle deadline (its route unchanged). */
    public void touch(int slot, long nowNs, long idleNs) {
        words[wordOf(slot) + IDLE] = saturatingAdd(nowNs, idleNs);
    }

    /** Flows live at {@code nowNs} (a scan; for tests and metrics). */
    public int liveFlows(long nowNs) {
        int live = 0;
        for (int base = 0; base < words.length; base += BUCKET_WORDS) {
            for (int way = 0; way < WAYS; way++) {
                live += words[base + IDLE + way] > nowNs ? 1 : 0;
            }
        }
        return live;
    }

    /** Forgets every flow (when the client's tunnel address changes). */
    public void clear() {
        for (int base = 0; base < words.length; base += BUCKET_WORDS) {
            Arrays.fill(words, base + IDLE, base + IDLE + WAYS, Long.MIN_VALUE);
        }
        Arrays.fill(resource, null);
    }

    /** A free or idle-expired slot of the bucket, else the one closest to idling out (an eviction). */
    private int victim(int bucket, long nowNs) {
        int idleAt = bucket * BUCKET_WORDS + IDLE;
        int oldest = 0;
        for (int way = 0; way < WAYS; way++) {
            long idleUntil = words[idleAt + way];
            if (idleUntil <= nowNs) {
                return bucket * WAYS + way;
            }
            if (idleUntil < words[idleAt + oldest]) {
                oldest = way;
            }
        }
        evictions++;
        return bucket * WAYS + oldest;
    }

    /** The index in {@link #words} of the slot's meta. */
    private static int wordOf(int slot) {
        return (slot & ~(WAYS - 1)) * (BUCKET_WORDS / WAYS) + (slot & (WAYS - 1));
    }

    private static long route(int generation, int entry) {
        return (long) generation << 32 | entry & 0xFFFF_FFFFL;
    }

    private int bucket(long keyMeta, long keyHigh, long keyLow) {
        long h = keyHigh * 0x9E37_79B9_7F4A_7C15L ^ keyLow;
        h = (h ^ keyMeta) * 0xBF58_476D_1CE4_E5B9L;
        h ^= h >>> 31;
        return (int) h & mask;
    }

    static long saturatingAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
