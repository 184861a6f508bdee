package zonegate.tunnel.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zonegate.filter.DomainCandidates;
import zonegate.nat64.Addresses;
import zonegate.nat64.DnsNatTable;
import zonegate.tunnel.ProxyAddresses;

/**
 * One client's proxy-address pool: slot {@code k} owns IPv4 {@code 100.96.0.0 + 4k .. +3} and IPv6
 * {@code fd00:2021:1111:8000::4k .. +3}; a domain keeps its slot across re-resolution for as long as it is
 * in use. A proxy address maps back to its domain by arithmetic, with no allocation. Bounded by
 * {@code maxDomains}: when full, {@link #reclaim} gives the least recently answered domain's slot that has
 * no live NAT flow and no use within the quarantine to a new name.
 */
public final class DnsProxies {
    /** 100.96.0.0/11. */
    public static final int PROXY_BASE_4 = 0x6460_0000;
    /** fd00:2021:1111:8000::/107, high half. */
    public static final long PROXY_HIGH_6 = 0xfd00_2021_1111_8000L;
    private static final int PROXY_BITS_6 = 21;
    public static final int PER_FAMILY = 4;

    private final int maxDomains;
    /** In order of last answer, least recent first. */
    private final Map<String, Domain> byName = new LinkedHashMap<>();
    private final List<Domain> byIndex = new ArrayList<>();

    /** A domain's proxies and what it resolved to last. */
    public static final class Domain {
        public final String name;
        public final int index;
        public final DomainCandidates candidates;
        public final ProxyAddresses proxies;
        /** Whether the last resolution had an IPv4 (respectively IPv6) address. */
        public boolean has4;
        public boolean has6;
        public List<InetAddress> resolved = List.of();
        /** When the domain was last answered with these proxies. */
        long answeredNs;

        Domain(String name, int index, DomainCandidates candidates) {
            this.name = name;
            this.index = index;
            this.candidates = candidates;
            List<Inet4Address> v4 = new ArrayList<>();
            List<Inet6Address> v6 = new ArrayList<>();
            for (int i = 0; i < PER_FAMILY; i++) {
                v4.add(Addresses.toInet4(PROXY_BASE_4 + PER_FAMILY * index + i));
                v6.add(Addresses.toInet6(PROXY_HIGH_6, (long) PER_FAMILY * index + i));
            }
            this.proxies = new ProxyAddresses(v4, v6);
        }
    }

    public DnsProxies(int maxDomains) {
        this.maxDomains = maxDomains;
    }

    /** The domain's entry, or null. */
    public Domain get(String name) {
        return byName.get(name);
    }

    /** Marks a domain answered at {@code nowNs} (the most recent). */
    public void answered(Domain d, long nowNs) {
        d.answeredNs = nowNs;
        byName.remove(d.name);
        byName.put(d.name, d);
    }

    /** A new entry for a domain not yet known, answered now, or null when the pool is full. */
    public Domain add(String name, DomainCandidates candidates, long nowNs) {
        if (byIndex.size() >= maxDomains) {
            return null;
        }
        Domain d = new Domain(name, byIndex.size(), candidates);
        byIndex.add(d);
        answered(d, nowNs);
        return d;
    }

    /**
     * Gives a new name the slot of the least recently answered domain that has no live flow in {@code nat}
     * and was neither answered nor used by a packet within {@code quarantineNs}, after withdrawing that
     * domain's proxies from {@code nat}; null when no domain qualifies. Scans in answer order and stops at
     * the first domain answered within the quarantine (all later ones were too).
     */
    public Domain reclaim(String name, DomainCandidates candidates, DnsNatTable nat, long nowNs, long quarantineNs) {
        long cutoffNs = nowNs - quarantineNs;
        for (Domain old : byName.values()) {
            if (old.answeredNs > cutoffNs) {
                return null;
            }
            if (!nat.hasLiveFlow(old.name) && nat.lastPacketNs(old.name) <= cutoffNs) {
                byName.remove(old.name);
                nat.removeDomain(old.name);
                Domain d = new Domain(name, old.index, candidates);
                byIndex.set(old.index, d);
                answered(d, nowNs);
                return d;
            }
        }
        return null;
    }

    public int size() {
        return byIndex.size();
    }

    public List<Domain> domains() {
        return byIndex;
    }

    /** Whether an IPv4 address lies in 100.96.0.0/11. */
    public static boolean isProxy4(int address) {
        return (address & 0xFFE0_0000) == PROXY_BASE_4;
    }

    /** Whether an IPv6 address lies in fd00:2021:1111:8000::/107. */
    public static boolean isProxy6(long high, long low) {
        return high == PROXY_HIGH_6 && low >>> PROXY_BITS_6 == 0;
    }

    /** The domain owning an IPv4 proxy address, or null. */
    public Domain lookup4(int address) {
        return at((address - PROXY_BASE_4) >>> 2);
    }

    /** The domain owning an IPv6 proxy address, or null. */
    public Domain lookup6(long low) {
        return at((int) (low >>> 2));
    }

    private Domain at(int index) {
        return index >= 0 && index < byIndex.size() ? byIndex.get(index) : null;
    }
}
