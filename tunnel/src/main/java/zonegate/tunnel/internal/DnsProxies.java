package zonegate.tunnel.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import zonegate.filter.DomainCandidates;
import zonegate.nat64.Addresses;
import zonegate.tunnel.ProxyAddresses;

/**
 * One client's proxy-address pool: domain number {@code k} (in order of first assignment) owns IPv4
 * {@code 100.96.0.0 + 4k .. +3} and IPv6 {@code fd00:2021:1111:8000::4k .. +3}, for as long as the client
 * exists, so a name keeps its addresses across re-resolution. A proxy address maps back to its domain by
 * arithmetic, with no allocation. Bounded by {@code maxDomains}.
 */
public final class DnsProxies {
    /** 100.96.0.0/11. */
    public static final int PROXY_BASE_4 = 0x6460_0000;
    /** fd00:2021:1111:8000::/107, high half. */
    public static final long PROXY_HIGH_6 = 0xfd00_2021_1111_8000L;
    private static final int PROXY_BITS_6 = 21;
    public static final int PER_FAMILY = 4;

    private final int maxDomains;
    private final Map<String, Domain> byName = new HashMap<>();
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

    /** A new entry for a domain not yet known, or null when the pool is full. */
    public Domain add(String name, DomainCandidates candidates) {
        if (byIndex.size() >= maxDomains) {
            return null;
        }
        Domain d = new Domain(name, byIndex.size(), candidates);
        byIndex.add(d);
        byName.put(name, d);
        return d;
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
