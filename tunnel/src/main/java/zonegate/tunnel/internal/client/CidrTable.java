package zonegate.tunnel.internal.client;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import zonegate.filter.Cidr;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.tunnel.ClientResource;

/**
 * An immutable longest-prefix-match table over the CIDR resources, one hash table per family keyed by
 * (prefix length, network). A lookup masks the destination with each prefix length that occurs, longest
 * first, and probes; the first hit is the answer. That is at most 33 (IPv4) or 129 (IPv6) probes, in
 * practice the handful of lengths a site uses, independent of how many resources there are, and it
 * allocates nothing.
 *
 * <p>Two resources with the same range: the smaller {@link ResourceId} holds the slot, so the table
 * does not depend on the order resources were listed in.
 *
 * <p>Slots hold an index into {@link #resources}, not the resource itself, so a resource whose name,
 * site or filters changed (same id and range) is swapped in by {@link #rebind} without rebuilding.
 */
final class CidrTable {
    private static final int EMPTY = -1;

    private final ClientResource[] resources;
    private final int[] lengths4;
    private final long[] keys4;
    private final int[] values4;
    private final int mask4;
    private final int[] lengths6;
    private final long[] highs6;
    private final long[] lows6;
    private final int[] prefixes6;
    private final int[] values6;
    private final int mask6;

    /** @param cidrResources resources whose {@link ClientResource#resource()} is a CIDR range, ids distinct */
    CidrTable(List<ClientResource> cidrResources) {
        int n = cidrResources.size();
        resources = cidrResources.toArray(new ClientResource[0]);
        int slots = Masks.slotsFor(n);
        keys4 = new long[slots];
        values4 = filled(slots);
        mask4 = slots - 1;
        highs6 = new long[slots];
        lows6 = new long[slots];
        prefixes6 = new int[slots];
        values6 = filled(slots);
        mask6 = slots - 1;
        TreeSet<Integer> seen4 = new TreeSet<>();
        TreeSet<Integer> seen6 = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            Cidr cidr = cidrOf(resources[i]);
            if (cidr.version() == 4) {
                insert4(cidr, i);
                seen4.add(cidr.prefixLengthBits());
            } else {
                insert6(cidr, i);
                seen6.add(cidr.prefixLengthBits());
            }
        }
        lengths4 = seen4.descendingSet().stream().mapToInt(Integer::intValue).toArray();
        lengths6 = seen6.descendingSet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** An empty table. */
    static CidrTable empty() {
        return new CidrTable(List.of());
    }

    /** The range of a resource that {@link CidrTable} accepts. */
    static Cidr cidrOf(ClientResource resource) {
        return ((Resource.CidrRange) resource.resource()).cidr();
    }

    /** Swaps in the current version of every resource (same ids and ranges as at construction). */
    void rebind(Map<ResourceId, ClientResource> byId) {
        for (int i = 0; i < resources.length; i++) {
            resources[i] = byId.get(resources[i].id());
        }
    }

    /** The most specific resource containing the IPv4 address, or null. */
    ClientResource find4(int destination) {
        long address = destination & 0xFFFF_FFFFL;
        int[] lengths = lengths4;
        for (int l = 0; l < lengths.length; l++) {
            int length = lengths[l];
            long key = (long) length << 32 | (address & Masks.v4(length));
            for (int i = slot(Masks.mix(key), mask4); values4[i] != EMPTY; i = (i + 1) & mask4) {
                if (keys4[i] == key) {
                    return resources[values4[i]];
                }
            }
        }
        return null;
    }

    /** The most specific resource containing the IPv6 address, or null. */
    ClientResource find6(long high, long low) {
        int[] lengths = lengths6;
        for (int l = 0; l < lengths.length; l++) {
            int length = lengths[l];
            long h = high & Masks.high(length);
            long lo = low & Masks.low(length);
            for (int i = slot(hash6(h, lo, length), mask6); values6[i] != EMPTY; i = (i + 1) & mask6) {
                if (highs6[i] == h && lows6[i] == lo && prefixes6[i] == length) {
                    return resources[values6[i]];
                }
            }
        }
        return null;
    }

    private void insert4(Cidr cidr, int index) {
        long key = (long) cidr.prefixLengthBits() << 32 | cidr.low();
        int i = slot(Masks.mix(key), mask4);
        while (values4[i] != EMPTY && keys4[i] != key) {
            i = (i + 1) & mask4;
        }
        if (values4[i] == EMPTY || smaller(index, values4[i])) {
            keys4[i] = key;
            values4[i] = index;
        }
    }

    private void insert6(Cidr cidr, int index) {
        long h = cidr.high();
        long lo = cidr.low();
        int length = cidr.prefixLengthBits();
        int i = slot(hash6(h, lo, length), mask6);
        while (values6[i] != EMPTY && !(highs6[i] == h && lows6[i] == lo && prefixes6[i] == length)) {
            i = (i + 1) & mask6;
        }
        if (values6[i] == EMPTY || smaller(index, values6[i])) {
            highs6[i] = h;
            lows6[i] = lo;
            prefixes6[i] = length;
            values6[i] = index;
        }
    }

    private boolean smaller(int candidate, int holder) {
        return resources[candidate].id().compareTo(resources[holder].id()) < 0;
    }

    private static long hash6(long high, long low, int length) {
        return Masks.mix(high ^ Long.rotateLeft(low, 29) ^ (long) length * 0x9E37_79B9_7F4A_7C15L);
    }

    private static int slot(long hash, int mask) {
        return (int) hash & mask;
    }

    private static int[] filled(int slots) {
        int[] values = new int[slots];
        Arrays.fill(values, EMPTY);
        return values;
    }
}
