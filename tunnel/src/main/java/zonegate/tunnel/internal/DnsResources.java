package zonegate.tunnel.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tinylog.Logger;
import zonegate.filter.Authorization;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.nat64.Addresses;
import zonegate.nat64.Nat64Prefix;
import zonegate.tunnel.DnsPlan;
import zonegate.tunnel.ProxyAddresses;

/**
 * The gateway's side of DNS resources, for the shell's DNS server: which plan answers a client's query,
 * and the proxy addresses of a resolved domain (programmed into the client's NAT table).
 */
public final class DnsResources {
    private static final int MAX_NAME_CHARS = 253;

    private final ClientTable clients;
    private final InstantSource wallClock;
    private final Nat64Prefix sitePrefix;
    private long refusedAssignments;

    public DnsResources(ClientTable clients, InstantSource wallClock, Nat64Prefix sitePrefix) {
        this.clients = clients;
        this.wallClock = wallClock;
        this.sitePrefix = sitePrefix;
    }

    public DnsPlan plan(InetAddress clientSource, String name, long nowNs) {
        ClientEntry client = client(clientSource);
        if (client == null) {
            return new DnsPlan.UnknownClient();
        }
        String domain = normalize(name);
        if (domain == null) {
            return new DnsPlan.Refuse();
        }
        List<ResourceId> matching = client.filter.matchingDnsResources(domain, nowNs);
        if (!matching.isEmpty()) {
            return new DnsPlan.Resource(domain, matching);
        }
        return internetAuthorized(client) ? new DnsPlan.Forward() : new DnsPlan.Refuse();
    }

    public ProxyAddresses assign(InetAddress clientSource, String name, List<? extends InetAddress> resolved) {
        ClientEntry client = client(clientSource);
        String domain = normalize(name);
        if (client == null || domain == null) {
            refusedAssignments++;
            return null;
        }
        var nat = clients.natTable(client);
        DnsProxies.Domain entry = client.dns.get(domain);
        if (entry == null) {
            entry = client.dns.add(domain, client.filter.domainCandidates(domain));
            if (entry == null) {
                refusedAssignments++;
                Logger.warn("cid={} no proxy addresses for {}: the client already has {} domains", client.id, domain,
                        client.dns.size());
                return null;
            }
        }
        List<InetAddress> targets = targets(resolved);
        entry.resolved = targets;
        entry.has4 = targets.stream().anyMatch(a -> a instanceof Inet4Address);
        entry.has6 = targets.stream().anyMatch(a -> a instanceof Inet6Address);
        nat.setDomain(domain, entry.proxies.all(), targets);
        return entry.proxies;
    }

    /** Assignments refused (unknown client, invalid name, full pool). */
    public long refusedAssignments() {
        return refusedAssignments;
    }

    /** Lower case without the trailing dot, or null if not a usable name. */
    public static String normalize(String name) {
        if (name == null) {
            return null;
        }
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() > MAX_NAME_CHARS || n.startsWith(".") || n.contains("..")) {
            return null;
        }
        return n.toLowerCase(Locale.ROOT);
    }

    private ClientEntry client(InetAddress source) {
        if (source instanceof Inet4Address v4) {
            return clients.byAddress4(Addresses.ipv4(v4));
        }
        if (source instanceof Inet6Address v6) {
            return clients.byAddress6(Addresses.high(v6), Addresses.low(v6));
        }
        return null;
    }

    private boolean internetAuthorized(ClientEntry client) {
        long nowSeconds = wallClock.instant().getEpochSecond();
        for (Authorization a : client.filter.authorizations()) {
            if (a.resource() instanceof Resource.Internet && a.expiresAtUnixSeconds() > nowSeconds) {
                return true;
            }
        }
        return false;
    }

    /** The resolved addresses, with those inside the site's NAT64 prefix replaced by the IPv4 they embed. */
    private List<InetAddress> targets(List<? extends InetAddress> resolved) {
        List<InetAddress> out = new ArrayList<>();
        for (InetAddress a : resolved) {
            InetAddress target = a;
            if (sitePrefix != null && a instanceof Inet6Address v6
                    && sitePrefix.contains(Addresses.high(v6), Addresses.low(v6))) {
                target = Addresses.toInet4(sitePrefix.extract(Addresses.high(v6), Addresses.low(v6)));
            }
            if (!out.contains(target)) {
                out.add(target);
            }
        }
        return List.copyOf(out);
    }
}
