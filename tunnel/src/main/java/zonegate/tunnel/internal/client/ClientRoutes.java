package zonegate.tunnel.internal.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tinylog.Logger;
import zonegate.filter.Cidr;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.tunnel.ClientResource;

/**
 * The client's routing table by address: which CIDR or Internet resource a packet read from the TUN
 * device is for (a DNS resource's proxy addresses are looked up before, in the stub resolver, which
 * handed them out). Sans-IO, not thread-safe (the client's state-machine thread owns it).
 *
 * <p>A destination is looked up in this order; the first step with an answer wins:
 * <ol>
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
 * <p>Lookups ({@link #routeV4}, {@link #routeV6}) allocate nothing: one hash probe per prefix length in use, then a scan of the ~20 excluded ranges of the family.
 * {@link #setResources} rebuilds the CIDR table only when the set of (id, range) pairs changed;
 * {@link #cidrRebuilds()} counts the rebuilds.
 *
 * <pre>{@code
 * ClientRoutes routes = new ClientRoutes();
 * routes.setResources(resourcesFromPortal);
 * ClientResource r = routes.routeV4(ipv4.destination());   // null: unroutable
 * }</pre>
 */
public final class ClientRoutes {
    private static final Comparator<Cidr> CIDR_ORDER = Comparator.comparingInt(Cidr::version)
            .thenComparing(Cidr::high, Long::compareUnsigned)
            .thenComparing(Cidr::low, Long::compareUnsigned)
            .thenComparingInt(Cidr::prefixLengthBits);

    private Map<ResourceId, ClientResource> byId = Map.of();
    private Set<Resource.CidrRange> cidrRanges = Set.of();
    private CidrTable cidrTable = CidrTable.empty();
    private long cidrRebuilds;
    private ClientResource internet;
    private boolean internetEnabled;
    private List<Cidr> tunRoutes;

    /**
     * Replaces the resource list. CIDR routes are recomputed only when the set of CIDR resources
     * (id, cidr) changed: adding/removing/renaming DNS or Internet resources, or changing only names,
     * sites or filters, does not rebuild (observable through {@link #cidrRebuilds()}). Of two entries
     * with one id, the first is kept.
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

    /** The resource for an IPv4 destination (32 bits, network order), or null; allocation-free. */
    public ClientResource routeV4(int destination) {
        ClientResource cidr = cidrTable.find4(destination);
        if (cidr != null) {
            return cidr;
        }
        return internetActive() && !ReservedRanges.excludedFromInternetV4(destination) ? internet : null;
    }

    /** The resource for an IPv6 destination, or null; allocation-free. */
    public ClientResource routeV6(long high, long low) {
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
}
