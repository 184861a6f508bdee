package zonegate.tunnel.internal.client;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.tinylog.Logger;
import zonegate.filter.Cidr;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.internal.AddressIndex;

/**
 * The client's routing table: which resource a packet read from the TUN device is for. Sans-IO, not
 * thread-safe (the client's state-machine thread owns it).
 *
 * <p>A destination is looked up in this order; the first step with an answer wins:
 * <ol>
 *   <li><b>DNS routes</b>: the exact proxy addresses the stub resolver handed out for a DNS resource
 *       ({@link #putDnsRoute}), IPv4 and IPv6;</li>
 *   <li><b>CIDR resources</b>: the longest prefix containing the destination; of several resources with
 *       the same range, the one with the smallest {@link ResourceId}, so the answer never depends on the
 *       order the control plane listed them in;</li>
 *   <li><b>the Internet resource</b>, while it is {@link #internetActive() active}, except for the
 *       client's own ranges (tunnel 100.64.0.0/11 and fd00:2021:1111::/107, DNS proxy 100.96.0.0/11 and
 *       fd00:2021:1111:8000::/107, sentinels 100.100.111.0/24 and fd00:2021:1111:8000:100:100:111:0/120)
 *       and {@link zonegate.filter.InternetExclusions} (private, loopback, link-local, multicast, ...).</li>
 * </ol>
 * Anything else is unroutable ({@code null}; the client answers it with ICMP "network unreachable").
 * Whether an existing flow keeps its gateway is not decided here but by {@link FlowGateways}.
 *
 * <p>Lookups ({@link #routeV4}, {@link #routeV6}) allocate nothing: one exact-address probe, then one
 * hash probe per prefix length in use, then a scan of the ~20 excluded ranges of the family.
 * {@link #setResources} rebuilds the CIDR table only when the set of (id, range) pairs changed;
 * {@link #cidrRebuilds()} counts the rebuilds.
 *
 * <pre>{@code
 * ClientRoutes routes = new ClientRoutes(ClientRoutes.DEFAULT_MAX_DNS_ROUTES);
 * routes.setResources(resourcesFromPortal);
 * routes.putDnsRoute(InetAddress.ofLiteral("100.96.0.1"), gitlabId);
 * ClientResource r = routes.routeV4(ipv4.destination());   // null: unroutable
 * }</pre>
 */
public final class ClientRoutes {
    /** Proxy addresses remembered per family by default: 4 per domain for 4,096 domains. */
    public static final int DEFAULT_MAX_DNS_ROUTES = 16_384;

    private static final Comparator<Cidr> CIDR_ORDER = Comparator.comparingInt(Cidr::version)
            .thenComparing(Cidr::high, Long::compareUnsigned)
            .thenComparing(Cidr::low, Long::compareUnsigned)
            .thenComparingInt(Cidr::prefixLengthBits);

    private final int maxDnsRoutes;
    private Map<ResourceId, ClientResource> byId = Map.of();
    private Set<Resource.CidrRange> cidrRanges = Set.of();
    private CidrTable cidrTable = CidrTable.empty();
    private long cidrRebuilds;
    private ClientResource internet;
    private boolean internetEnabled;
    private AddressIndex<ResourceId> dnsRoutes;
    private int dnsRoutes4;
    private int dnsRoutes6;
    private long dnsRoutesDropped;
    private List<Cidr> tunRoutes;

    /** A table holding at most {@link #DEFAULT_MAX_DNS_ROUTES} DNS routes per family. */
    public ClientRoutes() {
        this(DEFAULT_MAX_DNS_ROUTES);
    }

    /** @param maxDnsRoutes DNS routes kept per family at most; more are dropped and counted */
    public ClientRoutes(int maxDnsRoutes) {
        if (maxDnsRoutes < 1) {
            throw new IllegalArgumentException("maxDnsRoutes must be positive, not " + maxDnsRoutes);
        }
        this.maxDnsRoutes = maxDnsRoutes;
        this.dnsRoutes = new AddressIndex<>(maxDnsRoutes);
    }

    /**
     * Replaces the resource list. CIDR routes are recomputed only when the set of CIDR resources
     * (id, cidr) changed: adding/removing/renaming DNS or Internet resources, or changing only names,
     * sites or filters, does not rebuild (observable through {@link #cidrRebuilds()}). Of two entries
     * with one id, the first is kept. DNS routes stay (the client replaces or clears them).
     */
    public void setResources(List<ClientResource> resources) {
        Map<ResourceId, ClientResource> next = new HashMap<>();
        for (ClientResource resource : resources) {
            if (next.putIfAbsent(resource.id(), resource) != null) {
                Logger.debug("resource list names rid={} twice; the first entry is kept", resource.id());
            }
        }
        Set<Resource.CidrRange> nextRanges = new HashSet<>();
        List<ClientResource> cidrResources = new ArrayList<>();
        ClientResource nextInternet = null;
        for (ClientResource resource : next.values()) {
            switch (resource.resource()) {
                case Resource.CidrRange range -> {
                    nextRanges.add(range);
                    cidrResources.add(resource);
                }
                case Resource.Internet ignored -> {
                    if (nextInternet == null || resource.id().compareTo(nextInternet.id()) < 0) {
                        nextInternet = resource;
                    }
                }
                case Resource.Dns ignored -> {
                }
            }
        }
        boolean rebuild = !nextRanges.equals(cidrRanges);
        byId = next;
        internet = nextInternet;
        if (rebuild) {
            cidrTable = new CidrTable(cidrResources);
            cidrRanges = nextRanges;
            cidrRebuilds++;
            Logger.debug("CIDR routes rebuilt: {} CIDR resources", cidrResources.size());
        } else {
            cidrTable.rebind(next);
        }
        tunRoutes = null;
    }

    /** The listed resource with this id, or null. */
    public ClientResource resource(ResourceId id) {
        return byId.get(id);
    }

    /** How many times {@link #setResources} rebuilt the CIDR table. */
    public long cidrRebuilds() {
        return cidrRebuilds;
    }

    /** The user's Internet toggle (off at construction). */
    public void setInternetEnabled(boolean enabled) {
        if (enabled != internetEnabled) {
            internetEnabled = enabled;
            tunRoutes = null;
        }
    }

    /** Whether an Internet resource is listed and the user enabled it. */
    public boolean internetActive() {
        return internetEnabled && internet != null;
    }

    /**
     * Routes the exact proxy address (IPv4 or IPv6) to a DNS resource, replacing its previous route. Beyond
     * the bound a new address is dropped and counted ({@link #dnsRoutesDropped()}). A route to an id that is
     * not (or no longer) listed is ignored by lookups.
     */
    public void putDnsRoute(InetAddress proxy, ResourceId resource) {
        Objects.requireNonNull(resource, "resource");
        byte[] bytes = proxy.getAddress();
        if (proxy instanceof Inet4Address) {
            int address = int32(bytes, 0);
            if (dnsRoutes.get4(address) == null) {
                if (dnsRoutes4 >= maxDnsRoutes) {
                    dnsRoutesDropped++;
                    return;
                }
                dnsRoutes4++;
            }
            dnsRoutes.put4(address, resource);
        } else if (proxy instanceof Inet6Address) {
            long high = (long) int32(bytes, 0) << 32 | (int32(bytes, 4) & 0xFFFF_FFFFL);
            long low = (long) int32(bytes, 8) << 32 | (int32(bytes, 12) & 0xFFFF_FFFFL);
            if (dnsRoutes.get6(high, low) == null) {
                if (dnsRoutes6 >= maxDnsRoutes) {
                    dnsRoutesDropped++;
                    return;
                }
                dnsRoutes6++;
            }
            dnsRoutes.put6(high, low, resource);
        }
    }

    /** Forgets every DNS route. */
    public void clearDnsRoutes() {
        if (dnsRoutes4 + dnsRoutes6 > 0) {
            dnsRoutes = new AddressIndex<>(maxDnsRoutes);
            dnsRoutes4 = 0;
            dnsRoutes6 = 0;
        }
    }

    /** DNS routes refused because a family already held the maximum. */
    public long dnsRoutesDropped() {
        return dnsRoutesDropped;
    }

    /** The resource for an IPv4 destination (32 bits, network order), or null; allocation-free. */
    public ClientResource routeV4(int destination) {
        ResourceId dns = dnsRoutes.get4(destination);
        if (dns != null) {
            ClientResource resource = byId.get(dns);
            if (resource != null) {
                return resource;
            }
        }
        ClientResource cidr = cidrTable.find4(destination);
        if (cidr != null) {
            return cidr;
        }
        return internetActive() && !ReservedRanges.excludedFromInternetV4(destination) ? internet : null;
    }

    /** The resource for an IPv6 destination, or null; allocation-free. */
    public ClientResource routeV6(long high, long low) {
        ResourceId dns = dnsRoutes.get6(high, low);
        if (dns != null) {
            ClientResource resource = byId.get(dns);
            if (resource != null) {
                return resource;
            }
        }
        ClientResource cidr = cidrTable.find6(high, low);
        if (cidr != null) {
            return cidr;
        }
        return internetActive() && !ReservedRanges.excludedFromInternetV6(high, low) ? internet : null;
    }

    /**
     * What the client's TUN device routes (for the TUN configuration event): the tunnel ranges, the DNS
     * proxy ranges, the sentinel ranges (100.100.111.0/24 and fd00:2021:1111:8000:100:100:111:0/120), every
     * CIDR resource, and 0.0.0.0/0 + ::/0 while the Internet resource is active. Sorted (IPv4 first, then
     * by network address, then prefix length), without duplicates; immutable.
     */
    public List<Cidr> tunRoutes() {
        if (tunRoutes == null) {
            TreeSet<Cidr> routes = new TreeSet<>(CIDR_ORDER);
            routes.addAll(ReservedRanges.ALWAYS_ROUTED);
            for (Resource.CidrRange range : cidrRanges) {
                routes.add(range.cidr());
            }
            if (internetActive()) {
                routes.add(ReservedRanges.ALL_V4);
                routes.add(ReservedRanges.ALL_V6);
            }
            tunRoutes = List.copyOf(routes);
        }
        return tunRoutes;
    }

    private static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
