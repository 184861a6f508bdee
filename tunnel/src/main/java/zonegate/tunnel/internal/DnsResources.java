package zonegate.tunnel.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.tinylog.Logger;
import zonegate.filter.Authorization;
import zonegate.filter.DomainCandidates;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.nat64.Addresses;
import zonegate.nat64.Nat64Prefix;
import zonegate.tunnel.DnsAssignment;
import zonegate.tunnel.DnsAssignment.Reason;
import zonegate.tunnel.DnsPlan;
import zonegate.tunnel.DnsResourceConfig;
import zonegate.tunnel.GatewayConfig;
import zonegate.tunnel.ProxyAddresses;

/**
 * The gateway's side of DNS resources, for the shell's DNS server: which plan answers a client's query,
 * and the proxy addresses of a resolved domain (programmed into the client's NAT table), after checking
 * that the resolved addresses are allowed targets ({@link DnsTargetPolicy}).
 */
public final class DnsResources {
    private static final int MAX_NAME_CHARS = 253;

    private final ClientTable clients;
    private final InstantSource wallClock;
    private final Nat64Prefix sitePrefix;
    private final DnsResourceConfig config;
    private DnsTargetPolicy targetPolicy;
    private final DnsRefusalLog refusalLog = new DnsRefusalLog();
    private final long[] refused = new long[Reason.values().length];
    private long reclaimed;

    public DnsResources(ClientTable clients, InstantSource wallClock, GatewayConfig gateway) {
        this.clients = clients;
        this.wallClock = wallClock;
        this.sitePrefix = gateway.nat64Prefix();
        this.config = gateway.dnsResources();
        this.targetPolicy = new DnsTargetPolicy(List.of(gateway.tunnelIpv4(), gateway.tunnelIpv6()),
                config.refusedTargets());
    }

    /** The gateway's own tunnel addresses changed (ICE mode): they are refused as NAT targets from now on. */
    public void setGatewayAddresses(TunnelAddresses addresses) {
        targetPolicy = new DnsTargetPolicy(List.of(Addresses.toInet4(addresses.ipv4()),
                Addresses.toInet6(addresses.ipv6High(), addresses.ipv6Low())),
                config.refusedTargets());
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

    /** Maps {@code name}'s proxy addresses (static mode: given out by the gateway) to {@code resolved}. */
    public DnsAssignment assign(InetAddress clientSource, String name, List<? extends InetAddress> resolved,
                                long nowNs) {
        ClientEntry client = client(clientSource);
        String domain = normalize(name);
        if (client == null || domain == null) {
            return refuse(client == null ? Reason.UNKNOWN_CLIENT : Reason.INVALID_NAME);
        }
        List<InetAddress> targets = allowedTargets(client, domain, resolved);
        if (targets == null) {
            return refuse(Reason.FORBIDDEN_TARGET);
        }
        var nat = clients.natTable(client);
        DnsProxies.Domain entry = client.dns.get(domain);
        if (entry != null) {
            client.dns.answered(entry, nowNs);
        } else {
            DomainCandidates candidates = client.filter.domainCandidates(domain);
            entry = client.dns.add(domain, candidates, nowNs);
            if (entry == null) {
                entry = client.dns.reclaim(domain, candidates, nat, nowNs, config.proxyQuarantineNs());
                if (entry == null) {
                    Logger.debug("cid={} no proxy addresses for {}: all {} domains are in use or in quarantine",
                            client.id, domain, client.dns.size());
                    return refuse(Reason.POOL_FULL);
                }
                reclaimed++;
                Logger.debug("cid={} proxy slot {} reclaimed for {}", client.id, entry.index, domain);
            }
        }
        return program(client, entry, targets);
    }

    /**
     * ICE mode: maps the proxy addresses the client's own stub resolver chose for {@code domain} (from its
     * AssignedIps message; all inside the proxy ranges) to {@code resolved}. Asked again, it updates the
     * resolved addresses. When one of the addresses already stands for another domain the client has
     * started its numbering again (a restart): every earlier translation of the client is withdrawn first.
     */
    public DnsAssignment assignChosen(ClientEntry client, String name, ProxyAddresses proxies,
                                      List<? extends InetAddress> resolved, long nowNs) {
        String domain = normalize(name);
        if (domain == null || proxies.all().stream().anyMatch(a -> !DnsProxies.isProxy(a))) {
            return refuse(Reason.INVALID_NAME);
        }
        List<InetAddress> targets = allowedTargets(client, domain, resolved);
        if (targets == null) {
            return refuse(Reason.FORBIDDEN_TARGET);
        }
        var nat = clients.natTable(client);
        DnsProxies.Domain other = client.dns.claimedByOther(domain, proxies);
        if (other != null) {
            Logger.info("cid={} proxy addresses of {} now stand for {}: the client renumbered, its DNS-resource"
                    + " translations are reset", client.id, other.name, domain);
            client.dns.domains().forEach(d -> nat.removeDomain(d.name));
            client.dns.clear();
        }
        DnsProxies.Domain entry = client.dns.assign(domain, client.filter.domainCandidates(domain), proxies, nowNs);
        if (entry == null) {
            return refuse(Reason.POOL_FULL);
        }
        return program(client, entry, targets);
    }

    private DnsAssignment program(ClientEntry client, DnsProxies.Domain entry, List<InetAddress> targets) {
        entry.resolved = targets;
        entry.has4 = targets.stream().anyMatch(a -> a instanceof Inet4Address);
        entry.has6 = targets.stream().anyMatch(a -> a instanceof Inet6Address);
        client.nat.setDomain(entry.name, entry.proxies.all(), targets);
        return new DnsAssignment.Assigned(entry.proxies);
    }

    /**
     * The resolved addresses as NAT targets, or null when any is forbidden: an answer that mixes one in is
     * refused whole (its resolver is misconfigured or hostile, and half an answer would hide it), before
     * the pool is touched, so existing mappings stay as they were.
     */
    private List<InetAddress> allowedTargets(ClientEntry client, String domain, List<? extends InetAddress> resolved) {
        List<InetAddress> targets = targets(resolved);
        long nowSeconds = wallClock.instant().getEpochSecond();
        for (InetAddress target : targets) {
            String why = targetPolicy.refusal(target, client.filter, nowSeconds);
            if (why != null) {
                refusalLog.refused(client.id, domain, target, why);
                return null;
            }
        }
        return targets;
    }

    /** Assignments refused for {@code reason}. */
    public long refusedAssignments(Reason reason) {
        return refused[reason.ordinal()];
    }

    /** Assignments refused for any reason. */
    public long refusedAssignments() {
        return Arrays.stream(refused).sum();
    }

    /** Proxy slots given to a new name after their old domain's quarantine. */
    public long reclaimedSlots() {
        return reclaimed;
    }

    private DnsAssignment refuse(Reason reason) {
        refused[reason.ordinal()]++;
        return new DnsAssignment.Refused(reason);
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

    /** The client whose tunnel address {@code source} is, or null. */
    public ClientEntry client(InetAddress source) {
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
