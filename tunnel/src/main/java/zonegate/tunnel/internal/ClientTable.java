package zonegate.tunnel.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.filter.Authorization;
import zonegate.filter.ClientFilter;
import zonegate.filter.ClientId;
import zonegate.filter.CommandResult;
import zonegate.filter.FilterEngine;
import zonegate.filter.TunnelAddresses;
import zonegate.nat64.DnsNatTable;
import zonegate.nat64.NatConfig;
import zonegate.nat64.SharedPortSpace;
import zonegate.tunnel.ClientSpec;
import zonegate.tunnel.GatewayConfig;
import zonegate.tunnel.PolicyResult;
import zonegate.tunnel.UpsertResult;
import zonegate.wireguard.PublicKey;
import zonegate.wireguard.Tunnel;

/**
 * The clients: their links (WireGuard peers or node connections, {@link ClientLinks}), filters, NAT tables and the indexes that find them (by id, key,
 * tunnel and tunnel address). Commands change all of them together, or nothing when refused.
 */
public final class ClientTable {
    private final GatewayConfig config;
    private final ClientLinks links;
    private final FilterEngine engine;
    private final SharedPortSpace ports;
    private final RandomGenerator random;
    private TunnelAddresses gateway;
    private final Map<ClientId, ClientEntry> byId = new LinkedHashMap<>();
    private final Map<String, ClientEntry> byPeerId = new HashMap<>();
    private final Map<PublicKey, ClientEntry> byKey = new HashMap<>();
    private final Map<Tunnel, ClientEntry> byTunnel = new IdentityHashMap<>();
    private final AddressIndex<ClientEntry> byAddress;
    private final List<ClientEntry> natClients = new ArrayList<>();
    private int nextSerial;

    public ClientTable(GatewayConfig config, ClientLinks links, FilterEngine engine, SharedPortSpace ports,
                       RandomGenerator random, TunnelAddresses gateway) {
        this.config = config;
        this.links = links;
        this.engine = engine;
        this.ports = ports;
        this.random = random;
        this.gateway = gateway;
        this.byAddress = new AddressIndex<>(config.maxClients());
    }

    /** The gateway's own tunnel addresses changed (ICE mode: the control plane's init). */
    public void setGatewayAddresses(TunnelAddresses addresses) {
        this.gateway = addresses;
    }

    /** Every client, in the order they were added. */
    public Iterable<ClientEntry> all() {
        return byId.values();
    }

    public ClientEntry byId(ClientId id) {
        return byId.get(id);
    }

    /** By the id's text (ICE mode: the node's peer id), without making a {@link ClientId}. */
    public ClientEntry byPeerId(String id) {
        return byPeerId.get(id);
    }

    public ClientEntry byKey(PublicKey key) {
        return byKey.get(key);
    }

    public ClientEntry byTunnel(Tunnel tunnel) {
        return byTunnel.get(tunnel);
    }

    public ClientEntry byAddress4(int address) {
        return byAddress.get4(address);
    }

    public ClientEntry byAddress6(long high, long low) {
        return byAddress.get6(high, low);
    }

    /** Clients with a DNS-resource NAT table. */
    public List<ClientEntry> natClients() {
        return natClients;
    }

    public int size() {
        return byId.size();
    }

    public UpsertResult upsert(ClientSpec spec, long nowNs) {
        ClientEntry e = byId.get(spec.id());
        TunnelAddresses a = spec.addresses();
        ClientEntry other4 = byAddress.get4(a.ipv4());
        ClientEntry other6 = byAddress.get6(a.ipv6High(), a.ipv6Low());
        if (a.ipv4() == gateway.ipv4() || a.ipv6High() == gateway.ipv6High() && a.ipv6Low() == gateway.ipv6Low()
                || other4 != null && other4 != e || other6 != null && other6 != e) {
            return refused(spec, UpsertResult.REFUSED_ADDRESS_IN_USE);
        }
        ClientEntry otherKey = byKey.get(spec.publicKey());
        if (otherKey != null && otherKey != e) {
            return refused(spec, UpsertResult.REFUSED_KEY_IN_USE);
        }
        return e == null ? add(spec, nowNs) : update(e, spec, nowNs);
    }

    private UpsertResult add(ClientSpec given, long nowNs) {
        if (byId.size() >= config.maxClients()) {
            return refused(given, UpsertResult.REFUSED_FULL);
        }
        ClientFilter filter = engine.upsertClient(given.id(), given.addresses(), nowNs);
        if (filter == null) {
            return refused(given, UpsertResult.REFUSED_FULL);
        }
        ClientSpec spec = given.withOwnKeyCopy();
        Tunnel tunnel;
        try {
            tunnel = links.open(spec, nowNs);
        } catch (IllegalArgumentException | IllegalStateException refused) {
            engine.removeClient(spec.id(), nowNs);
            destroyKey(spec);
            return refused(spec, refused instanceof IllegalStateException ? UpsertResult.REFUSED_FULL
                    : UpsertResult.REFUSED_BAD_KEY);
        }
        ClientEntry e = new ClientEntry(spec.id(), nextSerial++, spec, tunnel, filter);
        byId.put(spec.id(), e);
        byPeerId.put(spec.id().value(), e);
        byKey.put(spec.publicKey(), e);
        if (tunnel != null) {
            byTunnel.put(tunnel, e);
        }
        index(e);
        Logger.info("cid={} peer={} added with tunnel addresses {}", spec.id(), spec.publicKey(), spec.addresses());
        return UpsertResult.ADDED;
    }

    /** Applies what changed; the entry keeps its own copy of the preshared key (the caller's is never kept). */
    private UpsertResult update(ClientEntry e, ClientSpec given, long nowNs) {
        ClientSpec old = e.spec;
        boolean keyChanged = !old.publicKey().equals(given.publicKey());
        boolean pskChanged = !samePresharedKey(old, given);
        boolean addressesChanged = !old.addresses().equals(given.addresses());
        if (!keyChanged && !pskChanged && !addressesChanged) {
            return UpsertResult.UNCHANGED;
        }
        ClientSpec spec = pskChanged ? given.withOwnKeyCopy()
                : new ClientSpec(given.id(), given.publicKey(), old.presharedKey(), given.addresses());
        if (keyChanged) {
            Tunnel tunnel;
            try {
                tunnel = links.open(spec, nowNs);
            } catch (IllegalArgumentException | IllegalStateException refused) {
                if (pskChanged) {
                    destroyKey(spec);
                }
                return refused(spec, refused instanceof IllegalStateException ? UpsertResult.REFUSED_FULL
                        : UpsertResult.REFUSED_BAD_KEY);
            }
            links.close(old, e.tunnel, nowNs);
            byKey.remove(old.publicKey());
            if (e.tunnel != null) {
                byTunnel.remove(e.tunnel);
            }
            e.tunnel = tunnel;
            e.connected = false;
            byKey.put(spec.publicKey(), e);
            if (tunnel != null) {
                byTunnel.put(tunnel, e);
            }
        } else if (pskChanged) {
            links.updatePresharedKey(spec, nowNs);
        }
        if (pskChanged) {
            destroyKey(old);
        }
        if (addressesChanged) {
            unindex(e);
            e.spec = spec;
            index(e);
            engine.upsertClient(spec.id(), spec.addresses(), nowNs);
            rebuildNat(e);
        }
        e.spec = spec;
        Logger.info("cid={} peer={} updated:{}{}{}", spec.id(), spec.publicKey(), keyChanged ? " key" : "",
                pskChanged ? " preshared key" : "", addressesChanged ? " tunnel addresses " + spec.addresses() : "");
        return keyChanged ? UpsertResult.REKEYED : UpsertResult.UPDATED;
    }

    public boolean remove(ClientId id, long nowNs) {
        ClientEntry e = byId.remove(id);
        if (e == null) {
            return false;
        }
        byPeerId.remove(id.value());
        links.close(e.spec, e.tunnel, nowNs);
        byKey.remove(e.spec.publicKey());
        if (e.tunnel != null) {
            byTunnel.remove(e.tunnel);
        }
        unindex(e);
        engine.removeClient(id, nowNs);
        if (e.nat != null) {
            e.dns.domains().forEach(d -> e.nat.removeDomain(d.name));
            ports.removeTable(e.nat);
            natClients.remove(e);
        }
        destroyKey(e.spec);
        Logger.info("cid={} peer={} removed", id, e.spec.publicKey());
        return true;
    }

    /** Replaces a client's authorisations; null when there is no such client. */
    public CommandResult replaceAuthorizations(ClientId id, List<Authorization> authorizations, long nowNs) {
        ClientEntry e = byId.get(id);
        if (e == null) {
            return null;
        }
        CommandResult result = e.filter.replaceAll(authorizations, nowNs);
        Logger.debug("cid={} authorisations replaced ({}): {} resources", id, result, authorizations.size());
        return result;
    }

    /** Diffs the desired clients and authorisations against the current ones and applies the difference. */
    public PolicyResult apply(List<ClientSpec> clients, Map<ClientId, List<Authorization>> authorizations,
                              long nowNs) {
        Set<ClientId> desired = new HashSet<>();
        clients.forEach(c -> desired.add(c.id()));
        int removed = 0;
        for (ClientId id : List.copyOf(byId.keySet())) {
            if (!desired.contains(id) && remove(id, nowNs)) {
                removed++;
            }
        }
        int added = 0;
        int updated = 0;
        int unchanged = 0;
        int replaced = 0;
        Map<ClientId, UpsertResult> refusedClients = new HashMap<>();
        Map<ClientId, CommandResult> refusedAuthorizations = new HashMap<>();
        for (ClientSpec spec : clients) {
            UpsertResult result = upsert(spec, nowNs);
            switch (result) {
                case ADDED -> added++;
                case UPDATED, REKEYED -> updated++;
                case UNCHANGED -> unchanged++;
                case REFUSED_FULL, REFUSED_KEY_IN_USE, REFUSED_ADDRESS_IN_USE, REFUSED_BAD_KEY ->
                        refusedClients.put(spec.id(), result);
            }
        }
        for (ClientSpec spec : clients) {
            ClientEntry e = byId.get(spec.id());
            if (e == null || refusedClients.containsKey(spec.id())) {
                continue;
            }
            List<Authorization> wanted = authorizations.getOrDefault(spec.id(), List.of());
            if (new HashSet<>(e.filter.authorizations()).equals(new HashSet<>(wanted))) {
                continue;
            }
            CommandResult result = replaceAuthorizations(spec.id(), wanted, nowNs);
            if (result == CommandResult.APPLIED) {
                replaced++;
            } else {
                refusedAuthorizations.put(spec.id(), result);
            }
        }
        Logger.info("policy applied: {} added, {} updated, {} removed, {} unchanged, {} authorisation lists replaced,"
                + " {} refused", added, updated, removed, unchanged, replaced,
                refusedClients.size() + refusedAuthorizations.size());
        return new PolicyResult(added, updated, removed, unchanged, replaced, refusedClients, refusedAuthorizations);
    }

    /**
     * The client's NAT table, made on first use with its tunnel addresses as the outbound sources, and
     * given its reservation of the shared port space at once (so greedy clients cannot take it first).
     */
    public DnsNatTable natTable(ClientEntry e) {
        if (e.nat == null) {
            e.nat = new DnsNatTable(e.id.value(), natConfig(e), ports, random);
            ports.addTable(e.nat);
            e.dns = e.dns == null ? new DnsProxies(config.maxDomainsPerClient()) : e.dns;
            natClients.add(e);
        }
        return e.nat;
    }

    private void rebuildNat(ClientEntry e) {
        if (e.nat == null) {
            return;
        }
        DnsNatTable old = e.nat;
        e.dns.domains().forEach(d -> old.removeDomain(d.name));
        ports.removeTable(old);
        e.nat = new DnsNatTable(e.id.value(), natConfig(e), ports, random);
        ports.addTable(e.nat);
        e.dns.domains().forEach(d -> e.nat.setDomain(d.name, d.proxies.all(), d.resolved));
    }

    private NatConfig natConfig(ClientEntry e) {
        // Firezone's choice: translated packets leave from the client's own tunnel address, which the host
        // routes back to the TUN device; the gateway's own addresses would be martians there.
        return new NatConfig(config.maxNatFlowsPerClient(), DnsProxies.PER_FAMILY * 2 * config.maxDomainsPerClient(),
                e.ipv4(), e.ipv6High(), e.ipv6Low(), NatConfig.TCP_ESTABLISHED_TIMEOUT_NS, NatConfig.UDP_TIMEOUT_NS,
                NatConfig.ICMP_TIMEOUT_NS, NatConfig.UNANSWERED_TIMEOUT_NS, NatConfig.FIN_TIMEOUT_NS);
    }

    private void index(ClientEntry e) {
        byAddress.put4(e.ipv4(), e);
        byAddress.put6(e.ipv6High(), e.ipv6Low(), e);
    }

    private void unindex(ClientEntry e) {
        byAddress.remove4(e.ipv4());
        byAddress.remove6(e.ipv6High(), e.ipv6Low());
    }

    private static UpsertResult refused(ClientSpec spec, UpsertResult why) {
        Logger.warn("cid={} peer={} refused: {}", spec.id(), spec.publicKey(), why);
        return why;
    }

    private static boolean samePresharedKey(ClientSpec a, ClientSpec b) {
        if (a.presharedKey() == null || b.presharedKey() == null) {
            return a.presharedKey() == b.presharedKey();
        }
        return a.presharedKey().sameKeyAs(b.presharedKey());
    }

    private static void destroyKey(ClientSpec spec) {
        if (spec.presharedKey() != null) {
            spec.presharedKey().destroy();
        }
    }
}
