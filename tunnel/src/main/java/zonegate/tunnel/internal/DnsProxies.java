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
 * One client's proxy addresses, by domain, in one of two ways. Static mode (the gateway's DNS server hands
 * them out, {@link #add}): slot {@code k} owns IPv4 {@code 100.96.0.0 + 4k .. +3} and IPv6
 * {@code fd00:2021:1111:8000::4k .. +3}; a domain keeps its slot across re-resolution for as long as it is
 * in use; when full, {@link #reclaim} gives the least recently answered domain's slot that has no live NAT
 * flow and no use within the quarantine to a new name. ICE mode (the client's stub resolver chose them and
 * said so in AssignedIps, {@link #assign}): whatever addresses of the proxy ranges the client picked.
 * Either way a proxy address maps back to its domain through an {@link AddressIndex}, with no allocation.
 * Bounded by {@code maxDomains}.
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
    private final AddressIndex<Domain> byAddress = new AddressIndex<>(4 * PER_FAMILY);

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

        Domain(String name, int index, DomainCandidates candidates, ProxyAddresses proxies) {
            this.name = name;
            this.index = index;
            this.candidates = candidates;
            this.proxies = proxies;
        }

        static ProxyAddresses slot(int index) {
            List<Inet4Address> v4 = new ArrayList<>();
            List<Inet6Address> v6 = new ArrayList<>();
            for (int i = 0; i < PER_FAMILY; i++) {
                v4.add(Addresses.toInet4(PROXY_BASE_4 + PER_FAMILY * index + i));
                v6.add(Addresses.toInet6(PROXY_HIGH_6, (long) PER_FAMILY * index + i));
            }
            return new ProxyAddresses(v4, v6);
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
        Domain d = new Domain(name, byIndex.size(), candidates, Domain.slot(byIndex.size()));
        byIndex.add(d);
        index(d);
        answered(d, nowNs);
        return d;
    }

    /**
     * ICE mode: the domain's entry with the proxy addresses the client chose (every one inside the proxy
     * ranges, checked by the caller), replacing its earlier ones; null when the pool is full.
     */
    public Domain assign(String name, DomainCandidates candidates, ProxyAddresses proxies, long nowNs) {
        Domain old = byName.get(name);
        if (old == null && byIndex.size() >= maxDomains) {
            return null;
        }
        int index = old == null ? byIndex.size() : old.index;
        Domain d = new Domain(name, index, candidates, proxies);
        if (old == null) {
            byIndex.add(d);
        } else {
            unindex(old);
            byName.remove(name);
            byIndex.set(index, d);
        }
        index(d);
        answered(d, nowNs);
        return d;
    }

    /** The domain another domain's proxy address already belongs to, among {@code proxies}, or null. */
    public Domain claimedByOther(String name, ProxyAddresses proxies) {
        for (InetAddress a : proxies.all()) {
            Domain d = a instanceof Inet4Address v4 ? byAddress.get4(Addresses.ipv4(v4))
                    : byAddress.get6(Addresses.high((Inet6Address) a), Addresses.low((Inet6Address) a));
            if (d != null && !d.name.equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** Forgets every domain (the caller withdraws them from the NAT table first). */
    public void clear() {
        byName.clear();
        byIndex.clear();
        byAddress.clear();
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
                unindex(old);
                Domain d = new Domain(name, old.index, candidates, old.proxies);
                byIndex.set(old.index, d);
                index(d);
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

    /** Whether an address lies in one of the proxy ranges. */
    public static boolean isProxy(InetAddress a) {
        return a instanceof Inet4Address v4 ? isProxy4(Addresses.ipv4(v4))
                : a instanceof Inet6Address v6 && isProxy6(Addresses.high(v6), Addresses.low(v6));
    }

    /** The domain owning an IPv4 proxy address, or null. */
    public Domain lookup4(int address) {
        return byAddress.get4(address);
    }

    /** The domain owning an IPv6 proxy address, or null. */
    public Domain lookup6(long low) {
        return byAddress.get6(PROXY_HIGH_6, low);
    }

    private void index(Domain d) {
        d.proxies.ipv4().forEach(a -> byAddress.put4(Addresses.ipv4(a), d));
        d.proxies.ipv6().forEach(a -> byAddress.put6(Addresses.high(a), Addresses.low(a), d));
    }

    private void unindex(Domain d) {
        d.proxies.ipv4().forEach(a -> byAddress.remove4(Addresses.ipv4(a)));
        d.proxies.ipv6().forEach(a -> byAddress.remove6(Addresses.high(a), Addresses.low(a)));
    }
}
