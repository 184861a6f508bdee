package zonegate.tunnel.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.tinylog.Logger;
import zonegate.filter.ClientId;
import zonegate.filter.ResourceId;
import zonegate.node.P2pMessage;
import zonegate.tunnel.DnsAssignment;
import zonegate.tunnel.ProxyAddresses;

/**
 * ICE mode: the DNS-resource NAT set up from the client's AssignedIps messages. The domain must match
 * the pattern of a DNS resource the client is authorised for and the proxy addresses must be 4 or 8
 * addresses of the proxy ranges, else the answer is DomainStatus inactive at once; otherwise the shell is
 * asked to resolve the domain and its answer programs the client's NAT table (DomainStatus active) or not
 * (inactive: no address, a forbidden one, or no answer within {@link #RESOLVE_TIMEOUT_NS}). Each new
 * AssignedIps for a domain resolves it again. At most {@link #MAX_PENDING} resolutions wait; beyond that the
 * oldest is given up (inactive).
 */
public final class DomainSetups {
    public static final long RESOLVE_TIMEOUT_NS = 10_000_000_000L;
    public static final int MAX_PENDING = 1000;

    /** A resolution the shell was asked for. */
    private record Pending(ClientId client, UUID resource, String domain, String wireDomain, ProxyAddresses proxies,
                           long deadlineNs) {
    }

    /** What to tell a client, and whether to ask the shell to resolve. */
    public record Outcome(P2pMessage.DomainStatus status, ResourceId resolve, String domain) {
    }

    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final DnsResources dns;
    private long givenUp;

    public DomainSetups(DnsResources dns) {
        this.dns = dns;
    }

    /** The client's AssignedIps: an immediate inactive status, or a domain to resolve (null status). */
    public Outcome onAssignedIps(ClientEntry client, P2pMessage.AssignedIps m, long nowNs) {
        String domain = DnsResources.normalize(m.domain());
        ResourceId rid = ResourceId.of(m.resource().toString());
        if (domain == null) {
            // Not a name at all: no answer (echoing an arbitrary string back could exceed what a control
            // message carries); the client's own stub resolver never sends one.
            Logger.debug("cid={} rid={} AssignedIps for something that is not a domain name: ignored", client.id, rid);
            return new Outcome(null, null, null);
        }
        ProxyAddresses proxies = proxies(m.proxyIps());
        String why = !client.filter.matchingDnsResources(domain, nowNs).contains(rid)
                        ? "no authorised DNS resource " + rid + " matches it"
                        : proxies == null ? "proxy addresses must be 4 or 8 addresses of the proxy ranges" : null;
        if (why != null) {
            Logger.debug("cid={} rid={} AssignedIps for {} refused: {}", client.id, rid, m.domain(), why);
            return new Outcome(new P2pMessage.DomainStatus(m.resource(), m.domain(), false), null, null);
        }
        String key = key(client.id, domain);
        boolean asked = pending.containsKey(key);
        pending.remove(key);
        pending.put(key, new Pending(client.id, m.resource(), domain, m.domain(), proxies, nowNs + RESOLVE_TIMEOUT_NS));
        return new Outcome(null, asked ? null : rid, domain);
    }

    /**
     * The shell's answer for {@code domain} (null: resolution failed): programs the NAT and returns the
     * status to send, or null when nothing was pending (a late or unknown answer).
     */
    public P2pMessage.DomainStatus onResolved(ClientEntry client, String domain, List<? extends InetAddress> addresses,
                                              long nowNs) {
        String name = DnsResources.normalize(domain);
        Pending p = name == null ? null : pending.remove(key(client.id, name));
        if (p == null) {
            return null;
        }
        boolean active = addresses != null && !addresses.isEmpty()
                && dns.assignChosen(client, p.domain, p.proxies, addresses, nowNs) instanceof DnsAssignment.Assigned;
        Logger.debug("cid={} {} resolved to {}: NAT {}", client.id, p.domain, addresses, active ? "set up" : "refused");
        return new P2pMessage.DomainStatus(p.resource, p.wireDomain, active);
    }

    /**
     * Resolutions given up: past their deadline, or the oldest beyond {@link #MAX_PENDING}; the statuses
     * (inactive) to send, per client.
     */
    public List<Map.Entry<ClientId, P2pMessage.DomainStatus>> expire(long nowNs) {
        List<Map.Entry<ClientId, P2pMessage.DomainStatus>> out = new ArrayList<>();
        var it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (p.deadlineNs <= nowNs || pending.size() > MAX_PENDING) {
                it.remove();
                givenUp++;
                out.add(Map.entry(p.client, new P2pMessage.DomainStatus(p.resource, p.wireDomain, false)));
            }
        }
        return out;
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE}. O(pending), at most {@link #MAX_PENDING}. */
    public long pollTimeout() {
        long earliest = Long.MAX_VALUE;
        for (Pending p : pending.values()) {
            earliest = Math.min(earliest, p.deadlineNs);
        }
        return earliest;
    }

    /** Forgets a client's pending resolutions (it is gone). */
    public void forget(ClientId client) {
        pending.values().removeIf(p -> p.client.equals(client));
    }

    public long givenUp() {
        return givenUp;
    }

    public int pendingCount() {
        return pending.size();
    }

    private static String key(ClientId client, String domain) {
        return client.value() + '\n' + domain;
    }

    private static ProxyAddresses proxies(List<InetAddress> ips) {
        if (ips.size() != 4 && ips.size() != 8) {
            return null;
        }
        List<Inet4Address> v4 = new ArrayList<>();
        List<Inet6Address> v6 = new ArrayList<>();
        for (InetAddress ip : ips) {
            if (!DnsProxies.isProxy(ip)) {
                return null;
            }
            if (ip instanceof Inet4Address a) {
                v4.add(a);
            } else {
                v6.add((Inet6Address) ip);
            }
        }
        return new ProxyAddresses(v4, v6);
    }
}
