package zonegate.filter.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import zonegate.filter.Authorization;
import zonegate.filter.DnsPattern;
import zonegate.filter.InternetExclusions;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;

/**
 * One client's authorisations compiled for lookup: entries in resource-id order (entry index order
 * is id order), an {@link IntervalIndex} per IP version for CIDR and Internet resources, and the DNS
 * resources in tie-break order. Immutable; rebuilt whole on every change (copy-on-write), so a reader
 * holding one sees a consistent table. Expiry is not baked in: entries carry their expiry instant and
 * the per-packet walk skips expired ones.
 */
public final class Snapshot {
    /** Tie-break among DNS resources matching one domain: pattern specificity, then resource id. */
    private static final Comparator<Resource.Dns> DNS_ORDER = Comparator
            .comparing(Resource.Dns::pattern, DnsPattern.SPECIFICITY)
            .thenComparing(Resource.Dns::id);

    private static final int[] NONE = new int[0];

    private final int generation;
    private final ResourceId[] ids;
    private final Resource[] resources;
    /** Per entry, side by side for one cache miss per candidate: expiry instant, filter offset in the pool. */
    private final long[] entryWords;
    /** The earliest expiry of any entry: before it, no per-entry expiry check is needed. */
    private final long earliestExpiryNs;
    /** Every entry's filter, flat ({@link PortRanges#writeTo}); an offset of -1 means "everything". */
    private final int[] filterPool;
    private final IntervalIndex v4;
    private final IntervalIndex v6;
    private final int[] dnsEntries;
    private final Map<ResourceId, Integer> indexById;

    private Snapshot(int generation, List<Authorization> sorted, long[] expiresAtNs) {
        this.generation = generation;
        int n = sorted.size();
        this.ids = new ResourceId[n];
        this.resources = new Resource[n];
        this.entryWords = new long[2 * n];
        PortRanges[] compiled = new PortRanges[n];
        int poolInts = 0;
        for (int i = 0; i < n; i++) {
            compiled[i] = PortRanges.compile(sorted.get(i).filters());
            poolInts += compiled[i].poolInts();
        }
        // Identical filters (resources commonly share a few port lists) are written once, so the
        // pool stays small and cache-resident however many resources use them.
        int[] pool = new int[poolInts];
        Map<List<Integer>, Integer> written = new HashMap<>();
        int at = 0;
        for (int i = 0; i < n; i++) {
            entryWords[2 * i] = expiresAtNs[i];
            int ints = compiled[i].poolInts();
            if (ints == 0) {
                entryWords[2 * i + 1] = -1;
                continue;
            }
            compiled[i].writeTo(pool, at);
            List<Integer> content = Arrays.stream(pool, at, at + ints).boxed().toList();
            Integer known = written.putIfAbsent(content, at);
            if (known != null) {
                entryWords[2 * i + 1] = known;
            } else {
                entryWords[2 * i + 1] = at;
                at += ints;
            }
        }
        this.filterPool = Arrays.copyOf(pool, at);
        this.indexById = HashMap.newHashMap(n);
        IntervalIndexBuilder v4Builder = new IntervalIndexBuilder(4);
        IntervalIndexBuilder v6Builder = new IntervalIndexBuilder(6);
        List<Integer> dns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Authorization authorization = sorted.get(i);
            ids[i] = authorization.resourceId();
            resources[i] = authorization.resource();
            indexById.put(ids[i], i);
            switch (authorization.resource()) {
                case Resource.CidrRange(ResourceId id, zonegate.filter.Cidr cidr) ->
                        (cidr.version() == 4 ? v4Builder : v6Builder).add(cidr, i);
                case Resource.Internet ignored -> {
                    v4Builder.addComplement(InternetExclusions.IPV4, i);
                    v6Builder.addComplement(InternetExclusions.IPV6, i);
                }
                case Resource.Dns ignored -> dns.add(i);
            }
        }
        dns.sort(Comparator.comparing(i -> (Resource.Dns) resources[i], DNS_ORDER));
        this.dnsEntries = dns.stream().mapToInt(Integer::intValue).toArray();
        int[] filterAt = new int[n];
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            filterAt[i] = (int) entryWords[2 * i + 1];
            earliest = Math.min(earliest, entryWords[2 * i]);
        }
        this.earliestExpiryNs = earliest;
        this.v4 = v4Builder.build(filterAt);
        this.v6 = v6Builder.build(filterAt);
    }

    /**
     * Compiles {@code authorizations} (sorted by resource id, ids distinct) with their expiry
     * instants in the {@code nowNs} domain ({@code expiresAtNs[i]} for the i-th).
     */
    public static Snapshot build(int generation, List<Authorization> authorizations, long[] expiresAtNs) {
        return new Snapshot(generation, authorizations, expiresAtNs);
    }

    /** Increases on every rebuild of the owning client; flows remember it to re-find their entry. */
    public int generation() {
        return generation;
    }

    public int size() {
        return ids.length;
    }

    public ResourceId id(int entry) {
        return ids[entry];
    }

    public Resource resource(int entry) {
        return resources[entry];
    }

    public long expiresAtNs(int entry) {
        return entryWords[2 * entry];
    }

    /** Whether the entry is expired at {@code nowNs} (its expiry is not after it). */
    public boolean isExpired(int entry, long nowNs) {
        return nowNs >= earliestExpiryNs && entryWords[2 * entry] <= nowNs;
    }

    /** Whether no entry at all is expired at {@code nowNs}. */
    public boolean noneExpired(long nowNs) {
        return nowNs < earliestExpiryNs;
    }

    public boolean permits(int entry, int protocol, int destinationPort) {
        return PortRanges.permits(filterPool, (int) entryWords[2 * entry + 1], protocol, destinationPort);
    }

    /** Whether the filter at {@code filterAt} (an offset paired with an entry in a candidate list) permits the packet. */
    public boolean filterPermits(int filterAt, int protocol, int destinationPort) {
        return PortRanges.permits(filterPool, filterAt, protocol, destinationPort);
    }

    /** {@code entries} as a candidate list of (entry, filter offset) pairs, like the interval indexes'. */
    public int[] withFilters(int[] entries) {
        int[] pairs = new int[2 * entries.length];
        for (int i = 0; i < entries.length; i++) {
            pairs[2 * i] = entries[i];
            pairs[2 * i + 1] = (int) entryWords[2 * entries[i] + 1];
        }
        return pairs;
    }

    /** The entry of {@code id}, or -1. Allocation-free. */
    public int indexOf(ResourceId id) {
        Integer index = indexById.get(id);
        return index == null ? -1 : index;
    }

    /** The IPv4 index: {@link IntervalIndex#candidatesV4} gives an offset into its {@link IntervalIndex#pool()}. */
    public IntervalIndex v4() {
        return v4;
    }

    /** The IPv6 index; like {@link #v4()}. */
    public IntervalIndex v6() {
        return v6;
    }

    /**
     * The DNS entries whose pattern matches {@code domain}, in tie-break order (most specific pattern
     * first, then resource id), expired ones included. Allocates; linear in the DNS resources.
     */
    public int[] domainCandidates(CharSequence domain) {
        int[] matching = new int[dnsEntries.length];
        int n = 0;
        for (int entry : dnsEntries) {
            if (((Resource.Dns) resources[entry]).pattern().matches(domain)) {
                matching[n++] = entry;
            }
        }
        return n == 0 ? NONE : Arrays.copyOf(matching, n);
    }

    /** Interval counts of the two indexes, for tests. */
    public int intervalCount(int version) {
        return version == 4 ? v4.intervalCount() : v6.intervalCount();
    }
}
