package zonegate.tunnel.internal.client;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import zonegate.filter.ResourceId;
import zonegate.packet.IpPacket;

/**
 * The sticky flow table: a flow that already has a gateway keeps it, even when the routes change
 * under it. A flow is (IP version, protocol, source port, destination address, destination port); for
 * an ICMP echo the identifier stands in for the ports (see {@link FlowKey}). Sans-IO, not thread-safe.
 *
 * <p>Bounds: at most {@code maxFlows} entries. An entry idle for {@link #IDLE_TIMEOUT_NS} (2 min, the
 * UDP/ICMP idle time gateways use too) is gone: a lookup hit refreshes it, a lookup of an idle entry
 * removes it and misses. When the table is full, {@link #put} evicts the least recently used entry
 * and counts it ({@link #evicted()}), or counts it {@link #expired()} if it was idle anyway.
 *
 * <p>Layout: parallel primitive arrays indexed by entry, a chained hash index ({@code buckets},
 * {@code chain}) and an intrusive doubly-linked LRU list ({@code newer}, {@code older}); lookups and
 * updates allocate nothing once the (gateway, resource) pair has been seen, because the
 * {@link Sticky} answers are interned per pair. The arrays start with room for
 * {@link #INITIAL_CAPACITY} flows (about 14 KB) and double when full, up to {@code maxFlows}: a client
 * with a few flows does not carry the arrays of a full 65,536-flow table (3.4 MB).
 *
 * <pre>{@code
 * FlowGateways sticky = new FlowGateways(65_536);
 * FlowGateways.Sticky s = sticky.lookup(packet, nowNs);
 * if (s == null) {                      // a new flow: route it, then remember the choice
 *     sticky.put(packet, gid, rid, nowNs);
 * }
 * }</pre>
 */
public final class FlowGateways {
    /** Idle time after which a flow forgets its gateway. */
    public static final long IDLE_TIMEOUT_NS = 120_000_000_000L;

    /** Flows the arrays have room for at first. */
    static final int INITIAL_CAPACITY = 256;

    /** Interned answers kept at most; beyond it the intern map starts over (answers stay valid). */
    private static final int MAX_INTERNED = 4_096;
    private static final int NIL = -1;

    /**
     * Where a flow goes.
     *
     * @param gatewayId the gateway the flow was sent to ({@code gid})
     * @param resourceId the resource it was routed to ({@code rid})
     */
    public record Sticky(String gatewayId, ResourceId resourceId) {
        public Sticky {
            Objects.requireNonNull(gatewayId, "gatewayId");
            Objects.requireNonNull(resourceId, "resourceId");
        }
    }

    private final int maxFlows;
    private final FlowKey key = new FlowKey();
    private int capacity;
    private int[] buckets;
    private int bucketMask;
    private int[] chain;
    private int[] newer;
    private int[] older;
    private int[] metas;
    private long[] highs;
    private long[] lows;
    private int[] ports;
    private long[] lastSeenNs;
    private Sticky[] routes;
    private final Map<String, Map<ResourceId, Sticky>> interned = new HashMap<>();
    private int internedCount;
    private int newest = NIL;
    private int oldest = NIL;
    private int free;
    private int size;
    private long evicted;
    private long expired;

    /** @param maxFlows flows remembered at most (e.g. 65,536) */
    public FlowGateways(int maxFlows) {
        if (maxFlows < 1) {
            throw new IllegalArgumentException("maxFlows must be positive, not " + maxFlows);
        }
        this.maxFlows = maxFlows;
        capacity = Math.min(maxFlows, INITIAL_CAPACITY);
        chain = new int[capacity];
        newer = new int[capacity];
        older = new int[capacity];
        metas = new int[capacity];
        highs = new long[capacity];
        lows = new long[capacity];
        ports = new int[capacity];
        lastSeenNs = new long[capacity];
        routes = new Sticky[capacity];
        newBuckets();
        clear();
    }

    /**
     * The gateway and resource of the packet's flow, or null when the flow is unknown or was idle for
     * {@link #IDLE_TIMEOUT_NS} (then it is removed). A hit refreshes the flow.
     */
    public Sticky lookup(IpPacket packet, long nowNs) {
        key.read(packet);
        int entry = find(hash(key));
        if (entry == NIL) {
            return null;
        }
        if (isIdle(entry, nowNs)) {
            remove(entry);
            expired++;
            return null;
        }
        touch(entry, nowNs);
        return routes[entry];
    }

    /** Remembers (or replaces) the gateway and resource of the packet's flow, as used at {@code nowNs}. */
    public void put(IpPacket packet, String gatewayId, ResourceId resourceId, long nowNs) {
        Sticky route = intern(gatewayId, resourceId);
        key.read(packet);
        long hash = hash(key);
        int entry = find(hash);
        if (entry != NIL) {
            routes[entry] = route;
            touch(entry, nowNs);
            return;
        }
        if (size == capacity && capacity < maxFlows) {
            grow();
        } else if (size == capacity) {
            if (isIdle(oldest, nowNs)) {
                expired++;
            } else {
                evicted++;
            }
            remove(oldest);
        }
        entry = free;
        free = chain[entry];
        metas[entry] = key.meta();
        highs[entry] = key.destinationHigh;
        lows[entry] = key.destinationLow;
        ports[entry] = key.ports;
        routes[entry] = route;
        int bucket = (int) hash & bucketMask;
        chain[entry] = buckets[bucket];
        buckets[bucket] = entry;
        lastSeenNs[entry] = nowNs;
        linkNewest(entry);
        size++;
    }

    /** Forgets every flow through {@code gatewayId} (its connection is gone); returns how many. */
    public int removeGateway(String gatewayId) {
        int removed = 0;
        for (int entry = newest; entry != NIL; ) {
            int next = older[entry];
            if (routes[entry].gatewayId().equals(gatewayId)) {
                remove(entry);
                removed++;
            }
            entry = next;
        }
        Map<ResourceId, Sticky> pairs = interned.remove(gatewayId);
        if (pairs != null) {
            internedCount -= pairs.size();
        }
        return removed;
    }

    /** Forgets every flow routed to {@code resourceId} (the resource is gone or no longer routed); returns how many. */
    public int removeResource(ResourceId resourceId) {
        int removed = 0;
        for (int entry = newest; entry != NIL; ) {
            int next = older[entry];
            if (routes[entry].resourceId().equals(resourceId)) {
                remove(entry);
                removed++;
            }
            entry = next;
        }
        return removed;
    }

    /** Removes the flows idle for {@link #IDLE_TIMEOUT_NS} at {@code nowNs} (oldest first); returns how many. */
    public int expire(long nowNs) {
        int removed = 0;
        while (oldest != NIL && isIdle(oldest, nowNs)) {
            remove(oldest);
            removed++;
        }
        expired += removed;
        return removed;
    }

    /** When the least recently used flow becomes idle, or {@link Long#MAX_VALUE} with no flows. */
    public long nextExpiryNs() {
        return oldest == NIL ? Long.MAX_VALUE : lastSeenNs[oldest] + IDLE_TIMEOUT_NS;
    }

    /** Forgets every flow (the counters stay). */
    public void clear() {
        Arrays.fill(buckets, NIL);
        Arrays.fill(routes, null);
        for (int i = 0; i < capacity; i++) {
            chain[i] = i + 1 < capacity ? i + 1 : NIL;
        }
        free = 0;
        newest = NIL;
        oldest = NIL;
        size = 0;
        interned.clear();
        internedCount = 0;
    }

    /** Flows the table has room for before it grows again (at most {@code maxFlows}). */
    int capacity() {
        return capacity;
    }

    /** Flows remembered now. */
    public int size() {
        return size;
    }

    /** Flows pushed out by a new one while the table was full and they were still in use. */
    public long evicted() {
        return evicted;
    }

    /** Flows forgotten because they were idle for {@link #IDLE_TIMEOUT_NS}. */
    public long expired() {
        return expired;
    }

    /**
     * Doubles the arrays (up to {@code maxFlows}) when every entry is in use: the entries keep their
     * positions, and so their LRU links; the index is rebuilt for the wider mask; the new positions are free.
     */
    private void grow() {
        int old = capacity;
        capacity = (int) Math.min(maxFlows, 2L * old);
        chain = Arrays.copyOf(chain, capacity);
        newer = Arrays.copyOf(newer, capacity);
        older = Arrays.copyOf(older, capacity);
        metas = Arrays.copyOf(metas, capacity);
        highs = Arrays.copyOf(highs, capacity);
        lows = Arrays.copyOf(lows, capacity);
        ports = Arrays.copyOf(ports, capacity);
        lastSeenNs = Arrays.copyOf(lastSeenNs, capacity);
        routes = Arrays.copyOf(routes, capacity);
        newBuckets();
        Arrays.fill(buckets, NIL);
        for (int entry = 0; entry < old; entry++) {
            int bucket = (int) hash(metas[entry], highs[entry], lows[entry], ports[entry]) & bucketMask;
            chain[entry] = buckets[bucket];
            buckets[bucket] = entry;
        }
        for (int i = old; i < capacity; i++) {
            chain[i] = i + 1 < capacity ? i + 1 : NIL;
        }
        free = old;
    }

    /** A hash index of the smallest power of two of buckets at least the capacity. */
    private void newBuckets() {
        int slots = Integer.highestOneBit(Math.max(2, capacity) - 1) << 1;
        buckets = new int[slots];
        bucketMask = slots - 1;
    }

    private boolean isIdle(int entry, long nowNs) {
        return nowNs - lastSeenNs[entry] >= IDLE_TIMEOUT_NS;
    }

    private int find(long hash) {
        int meta = key.meta();
        long high = key.destinationHigh;
        long low = key.destinationLow;
        int p = key.ports;
        for (int e = buckets[(int) hash & bucketMask]; e != NIL; e = chain[e]) {
            if (lows[e] == low && ports[e] == p && highs[e] == high && metas[e] == meta) {
                return e;
            }
        }
        return NIL;
    }

    private void touch(int entry, long nowNs) {
        lastSeenNs[entry] = nowNs;
        if (entry != newest) {
            unlinkLru(entry);
            linkNewest(entry);
        }
    }

    private void remove(int entry) {
        int bucket = (int) hash(metas[entry], highs[entry], lows[entry], ports[entry]) & bucketMask;
        if (buckets[bucket] == entry) {
            buckets[bucket] = chain[entry];
        } else {
            int e = buckets[bucket];
            while (chain[e] != entry) {
                e = chain[e];
            }
            chain[e] = chain[entry];
        }
        unlinkLru(entry);
        routes[entry] = null;
        chain[entry] = free;
        free = entry;
        size--;
    }

    private void linkNewest(int entry) {
        newer[entry] = NIL;
        older[entry] = newest;
        if (newest != NIL) {
            newer[newest] = entry;
        }
        newest = entry;
        if (oldest == NIL) {
            oldest = entry;
        }
    }

    private void unlinkLru(int entry) {
        int n = newer[entry];
        int o = older[entry];
        if (n != NIL) {
            older[n] = o;
        } else {
            newest = o;
        }
        if (o != NIL) {
            newer[o] = n;
        } else {
            oldest = n;
        }
    }

    private Sticky intern(String gatewayId, ResourceId resourceId) {
        Map<ResourceId, Sticky> pairs = interned.get(gatewayId);
        Sticky route = pairs == null ? null : pairs.get(resourceId);
        if (route != null) {
            return route;
        }
        route = new Sticky(gatewayId, resourceId);
        if (internedCount >= MAX_INTERNED) {
            interned.clear();
            internedCount = 0;
        }
        interned.computeIfAbsent(gatewayId, g -> new HashMap<>()).put(resourceId, route);
        internedCount++;
        return route;
    }

    private static long hash(FlowKey k) {
        return hash(k.meta(), k.destinationHigh, k.destinationLow, k.ports);
    }

    private static long hash(int meta, long high, long low, int ports) {
        return Masks.mix(high ^ Long.rotateLeft(low, 29) ^ ((long) meta << 32 | (ports & 0xFFFF_FFFFL)));
    }
}
