package zonegate.tunnel.internal.client;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import zonegate.nat64.Addresses;

/**
 * The client's proxy addresses: 4 IPv4 from 100.96.0.0/11 and 4 IPv6 from fd00:2021:1111:8000::/107 per
 * domain, handed out in slots of 4 consecutive addresses per family (slot {@code k}: offsets {@code 4k ..
 * 4k + 3} in both ranges), in order, never reused. The slots that would cover the sentinels' 100.100.111.0/24
 * are skipped in both families, so a slot's two halves keep the same offsets.
 *
 * <p>Seeded domains (a previous session's records) keep whatever addresses they had, as long as those lie in
 * the ranges and are not taken; the allocator then moves past the highest seeded offset of either family.
 * Bounded by the ranges: 2^19 slots, less the 64 skipped.
 */
final class ProxyPool {
    static final int BASE4 = 0x6460_0000;
    static final long HIGH6 = 0xfd00_2021_1111_8000L;
    static final int PER_FAMILY = 4;
    static final int RANGE_BITS = 21;
    static final int SLOTS = (1 << RANGE_BITS) / PER_FAMILY;
    static final int SENTINEL_NET4 = 0x6464_6F00;
    private static final int SENTINEL_FIRST_SLOT = (SENTINEL_NET4 - BASE4) / PER_FAMILY;
    private static final int SENTINEL_LAST_SLOT = SENTINEL_FIRST_SLOT + 256 / PER_FAMILY - 1;
    private static final int MAX_NAME_CHARS = 253;

    /** A domain and its 8 proxy addresses (4 IPv4, then 4 IPv6). */
    static final class Entry {
        final String domain;
        final List<InetAddress> proxies;
        /** What {@link StubResolver#lookupProxy4} returns; replaced when the resources change. */
        StubResolver.ProxyTarget target;

        Entry(String domain, List<InetAddress> proxies) {
            this.domain = domain;
            this.proxies = List.copyOf(proxies);
        }

        List<InetAddress> ipv4() {
            return proxies.subList(0, PER_FAMILY);
        }

        List<InetAddress> ipv6() {
            return proxies.subList(PER_FAMILY, 2 * PER_FAMILY);
        }
    }

    private final Map<String, Entry> byDomain = new HashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final OffsetIndex index4 = new OffsetIndex();
    private final OffsetIndex index6 = new OffsetIndex();
    private int nextSlot;

    Entry get(String domain) {
        return byDomain.get(domain);
    }

    /** Every entry, in the order they were added. */
    List<Entry> entries() {
        return entries;
    }

    /** A new entry for {@code domain} (not present), from the next free slot, or null when none is left. */
    Entry allocate(String domain) {
        if (nextSlot >= SENTINEL_FIRST_SLOT && nextSlot <= SENTINEL_LAST_SLOT) {
            nextSlot = SENTINEL_LAST_SLOT + 1;
        }
        if (nextSlot >= SLOTS) {
            return null;
        }
        int first = nextSlot++ * PER_FAMILY;
        List<InetAddress> proxies = new ArrayList<>(2 * PER_FAMILY);
        for (int i = 0; i < PER_FAMILY; i++) {
            proxies.add(Addresses.toInet4(BASE4 + first + i));
        }
        for (int i = 0; i < PER_FAMILY; i++) {
            proxies.add(Addresses.toInet6(HIGH6, first + i));
        }
        return add(domain, proxies);
    }

    /**
     * Adds a seeded entry if {@code domain} (already normalised) is a valid, new name and {@code proxies} are
     * 4 distinct IPv4 addresses in the range outside the sentinels' /24, then 4 distinct IPv6 in the range,
     * none of them taken. Returns the entry, or null when refused.
     */
    Entry seed(String domain, List<InetAddress> proxies) {
        if (!isValidName(domain) || byDomain.containsKey(domain) || proxies.size() != 2 * PER_FAMILY) {
            return null;
        }
        int[] offsets = new int[2 * PER_FAMILY];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = i < PER_FAMILY ? offset4(proxies.get(i)) : offset6(proxies.get(i));
            if (offsets[i] < 0) {
                return null;
            }
            OffsetIndex index = i < PER_FAMILY ? index4 : index6;
            int from = i < PER_FAMILY ? 0 : PER_FAMILY;
            for (int j = from; j < i; j++) {
                if (offsets[j] == offsets[i]) {
                    return null;
                }
            }
            if (index.get(offsets[i]) >= 0) {
                return null;
            }
        }
        for (int offset : offsets) {
            nextSlot = Math.max(nextSlot, offset / PER_FAMILY + 1);
        }
        return add(domain, proxies);
    }

    /** The entry owning an IPv4 address, or null. Allocation-free. */
    Entry lookup4(int address) {
        if ((address & 0xFFE0_0000) != BASE4) {
            return null;
        }
        return at(index4.get(address - BASE4));
    }

    /** The entry owning an IPv6 address, or null. Allocation-free. */
    Entry lookup6(long high, long low) {
        if (high != HIGH6 || low >>> RANGE_BITS != 0) {
            return null;
        }
        return at(index6.get((int) low));
    }

    int size() {
        return entries.size();
    }

    /** Whether {@code name} (lower case, no trailing dot) can be written as a DNS name. */
    static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_CHARS) {
            return false;
        }
        int labelBytes = 0;
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch == '.') {
                if (labelBytes == 0) {
                    return false;
                }
                labelBytes = 0;
            } else if (ch > 0xFF || ++labelBytes > 63) {
                return false;
            }
        }
        return labelBytes > 0;
    }

    private Entry add(String domain, List<InetAddress> proxies) {
        Entry e = new Entry(domain, proxies);
        int owner = entries.size();
        entries.add(e);
        byDomain.put(domain, e);
        for (int i = 0; i < PER_FAMILY; i++) {
            index4.put(offset4(e.proxies.get(i)), owner);
            index6.put(offset6(e.proxies.get(PER_FAMILY + i)), owner);
        }
        return e;
    }

    private Entry at(int owner) {
        return owner < 0 ? null : entries.get(owner);
    }

    /** The offset of an IPv4 proxy address outside the sentinel /24, or -1. */
    private static int offset4(InetAddress address) {
        if (!(address instanceof Inet4Address v4)) {
            return -1;
        }
        int a = Addresses.ipv4(v4);
        if ((a & 0xFFE0_0000) != BASE4 || (a & 0xFFFF_FF00) == SENTINEL_NET4) {
            return -1;
        }
        return a - BASE4;
    }

    /** The offset of an IPv6 proxy address, or -1. */
    private static int offset6(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return -1;
        }
        long low = Addresses.low(v6);
        return Addresses.high(v6) == HIGH6 && low >>> RANGE_BITS == 0 ? (int) low : -1;
    }
}
