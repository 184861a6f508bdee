package zonegate.tunnel.sim;

import static zonegate.tunnel.sim.TunnelSim.MS;
import static zonegate.tunnel.sim.TunnelSim.S;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.ClientId;
import zonegate.filter.DnsPattern;
import zonegate.filter.Resource;
import zonegate.node.TurnServer;
import zonegate.tunnel.AuthorizationRef;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.DnsRecords;
import zonegate.tunnel.IpStack;
import zonegate.tunnel.SiteStatus;

/**
 * Runs one {@link ModelAction.Sequence} on the real machines and on the {@link DataPlaneModel} side by side:
 * a {@link TunnelSim} with relays, the ICE-mode gateways hq and lab (each its site and a resolver for the
 * DNS names), and the client state machine alice, whose scripted portal grants what the model's policy
 * grants. After every action {@link ModelChecks} compares the two. The probes and queries are in
 * {@link ModelProbes}.
 */
final class ModelRun {
    static final ClientId ALICE = ClientId.of("alice");
    /** How long a probe may take: an intent, ICE through a relay, the handshake, AssignedIps, the answer. */
    static final long PROBE_NS = 3 * S;
    /** How long after a partition or a restart the connections must have settled. */
    static final long RECOVERY_NS = 150 * S;

    final TunnelSim net;
    final List<TunnelSim.Relay> relays = new ArrayList<>();
    final Map<String, GatewayHost> gateways = new LinkedHashMap<>();
    final DataPlaneModel model = new DataPlaneModel();
    final List<String> log = new ArrayList<>();
    final ModelChecks checks;
    final ModelProbes probes;
    StateClientHost alice;
    private final Set<InetAddress> partitioned = new HashSet<>();
    private final Nat.Type gatewayNat;
    private int relayCount;

    ModelRun(long seed, ModelAction.Start start) {
        net = new TunnelSim(seed);
        net.blocked = (from, to) -> partitioned.contains(from.getAddress()) || partitioned.contains(to.getAddress());
        relays.add(net.relay("198.51.100." + (2 + relayCount++)));
        gatewayNat = ModelUniverse.NATS[start.gatewayNat()];
        for (String site : List.of("hq", "lab")) {
            gateways.put(site, newGateway(site, null));
        }
        for (int slot = 0; slot < ModelUniverse.SLOTS; slot++) {
            ModelAction.Spec spec = start.initial().get(slot);
            model.catalog[slot] = spec == null ? null : DataPlaneModel.Res.of(slot, spec);
        }
        System.arraycopy(start.authorised(), 0, model.policy, 0, model.policy.length);
        alice = StateClientHost.add(net, "alice", ModelUniverse.NATS[start.clientNat()], "100.64.0.10",
                "fd00:2021:1111::10", DnsRecords.EMPTY);
        checks = new ModelChecks(this);
        probes = new ModelProbes(this);
        initClient();
        net.runFor(200 * MS);
        checks.afterStart();
    }

    private GatewayHost newGateway(String site, GatewayHost old) {
        GatewayHost g = old == null ? net.gateway(site, gatewayNat)
                : new GatewayHost(net, site, new TunnelSim.Placement(old.socket, old.nat), net.random.split());
        if (old != null) {
            net.hosts.set(net.hosts.indexOf(old), g);
        }
        ModelUniverse.RESOLVED.forEach(g.resolver::put);
        g.init(relays.toArray(TunnelSim.Relay[]::new));
        return g;
    }

    private void initClient() {
        alice.upstream = ModelProbes::upstreamAnswer;
        refreshGrants();
        alice.init(listed(), relays.toArray(TunnelSim.Relay[]::new));
        model.retainSites();
    }

    /** The client's resources: every slot in the catalogue and the Internet resource. */
    List<ClientResource> listed() {
        List<ClientResource> out = new ArrayList<>();
        for (int slot = 0; slot <= ModelUniverse.SLOTS; slot++) {
            if (model.resource(slot) != null) {
                out.add(clientResource(slot));
            }
        }
        return out;
    }

    ClientResource clientResource(int slot) {
        DataPlaneModel.Res r = model.resource(slot);
        return new ClientResource(resource(slot), "slot" + slot, r.site(), r.filters(), IpStack.DUAL);
    }

    Resource resource(int slot) {
        DataPlaneModel.Res r = model.resource(slot);
        if (slot == ModelUniverse.INTERNET) {
            return new Resource.Internet(ModelUniverse.id(slot));
        }
        return r.dns() ? new Resource.Dns(ModelUniverse.id(slot), DnsPattern.of(r.address()))
                : new Resource.CidrRange(ModelUniverse.id(slot), Cidr.parse(r.address()));
    }

    /** The portal grants what the policy allows, through the site's gateway, with the resource's filters. */
    void refreshGrants() {
        alice.grants.clear();
        for (int slot = 0; slot <= ModelUniverse.SLOTS; slot++) {
            DataPlaneModel.Res r = model.resource(slot);
            if (r != null && model.policy[slot]) {
                alice.grant(clientResource(slot), gateways.get(r.site()), Authorization.permanent(resource(slot),
                        r.filters()));
            }
        }
    }

    void apply(ModelAction action) {
        log.add(action.toString());
        refreshGrants();
        switch (action) {
            case ModelAction.Upsert(int slot, var spec) -> upsert(slot, DataPlaneModel.Res.of(slot, spec));
            case ModelAction.Remove(int slot) -> remove(slot);
            case ModelAction.Authorise(int slot) -> authorise(slot);
            case ModelAction.Revoke(int slot) -> revoke(slot);
            case ModelAction.Expire(int slot, int seconds) -> expire(slot, seconds);
            case ModelAction.ToggleInternet() -> {
                model.internetEnabled = !model.internetEnabled;
                alice.state.setInternetResourceEnabled(model.internetEnabled, net.nowNs);
            }
            case ModelAction.Probe p -> probes.probe(p);
            case ModelAction.Query q -> probes.query(q.name(), q.type());
            case ModelAction.Roam() -> roam();
            case ModelAction.RestartClient() -> restartClient();
            case ModelAction.RestartGateway(String site) -> restartGateway(site);
            case ModelAction.PartitionGateway(String site, int seconds) ->
                    partition(gatewayAddresses(site), site, site, seconds);
            case ModelAction.DeployRelay() -> deployRelay();
            case ModelAction.PartitionRelay(int relay, int seconds) ->
                    partition(Set.of(relay(relay).listen().getAddress()), "relay " + relay(relay).listen(), null, seconds);
            case ModelAction.RebootRelay(int relay) -> rebootRelay(relay);
            case ModelAction.Idle(int minutes) -> net.runFor(minutes == 0 ? 5 * S : minutes * 60 * S);
            case ModelAction.ReconnectControlPlane(String site, int seconds) -> reconnectControlPlane(site, seconds);
        }
        refreshGrants();
        net.runFor(300 * MS);
        checks.afterAction();
    }

    private void upsert(int slot, DataPlaneModel.Res next) {
        DataPlaneModel.Res before = model.catalog[slot];
        if (before != null && !before.site().equals(next.site())) {
            remove(slot);
            before = null;
        }
        model.catalog[slot] = next;
        alice.state.resourceCreatedOrUpdated(clientResource(slot), net.nowNs);
        if (before != null) {
            for (GatewayHost g : gateways.values()) {
                if (model.gatewayAuth.get(g.name).containsKey(slot)) {
                    g.state.resourceUpdated(resource(slot), next.filters(), net.nowNs);
                }
            }
        }
        model.retainSites();
    }

    /**
     * The portal takes the slot from the gateway holding it, then from the client's list, in the same instant.
     * When it was the last slot the client held through a gateway, the client closes that connection at
     * once (its site keeps its status), before the gateway's goodbye can arrive; its own goodbye, when the
     * session carries it, makes the gateway forget whatever else it held for the client.
     */
    private void remove(int slot) {
        if (model.catalog[slot] == null) {
            return;
        }
        String through = model.clientAuth.get(slot);
        boolean closes = through != null && model.connected.contains(through) && model.clientAuth.entrySet().stream()
                .noneMatch(e -> e.getKey() != slot && e.getValue().equals(through));
        for (GatewayHost g : gateways.values()) {
            if (model.gatewayAuth.get(g.name).containsKey(slot)) {
                g.state.rejectAccess(ALICE, ModelUniverse.id(slot), net.nowNs);
                if (closes && g.name.equals(through)) {
                    model.gatewayAuth.get(g.name).remove(slot);
                    model.maybeHeld.get(g.name).remove(slot);
                } else {
                    model.removeAtGateway(g.name, slot, net.nowNs);
                }
            }
        }
        model.clientAuth.remove(slot);
        if (closes) {
            mayTurnOnline(through); // a connection closed here leaves the site's status as it was, Online included
            if (model.freshSession(through, net.nowNs)) {
                model.gatewayAuth.get(through).clear();
            } else {
                model.maybeHeld.get(through).addAll(model.gatewayAuth.get(through).keySet());
            }
            model.forget(through);
        }
        model.catalog[slot] = null;
        alice.state.resourceDeleted(ModelUniverse.id(slot), net.nowNs);
        model.retainSites();
    }

    private void rejectEverywhere(int slot) {
        for (GatewayHost g : gateways.values()) {
            if (model.gatewayAuth.get(g.name).containsKey(slot)) {
                g.state.rejectAccess(ALICE, ModelUniverse.id(slot), net.nowNs);
                model.removeAtGateway(g.name, slot, net.nowNs);
            }
        }
    }

    private void authorise(int slot) {
        model.policy[slot] = true;
        String through = model.clientAuth.get(slot);
        DataPlaneModel.Res r = model.resource(slot);
        if (through == null || r == null || model.unsettled.containsKey(through)
                || Boolean.TRUE.equals(model.holds(through, slot))) {
            return;
        }
        log.add("  the portal grants it again through " + through);
        net.controlPlane.authorize(alice, gateways.get(through), Authorization.permanent(resource(slot), r.filters()));
        model.gatewayAuth.get(through).put(slot, Long.MAX_VALUE);
        model.maybeHeld.get(through).remove(slot);
    }

    private void revoke(int slot) {
        model.policy[slot] = false;
        rejectEverywhere(slot);
    }

    /** The portal re-inits the gateway holding the slot with its full list, this slot expiring. */
    private void expire(int slot, int seconds) {
        for (GatewayHost g : gateways.values()) {
            Map<Integer, Long> held = model.gatewayAuth.get(g.name);
            if (held.containsKey(slot) && !model.unsettled.containsKey(g.name)) {
                held.put(slot, net.wallSeconds() + seconds);
                initGateway(g);
            }
        }
    }

    private void initGateway(GatewayHost g) {
        List<AuthorizationRef> refs = new ArrayList<>();
        model.gatewayAuth.get(g.name).forEach((slot, expiry) -> refs.add(new AuthorizationRef(ALICE,
                ModelUniverse.id(slot), expiry)));
        g.init(refs, relays.toArray(TunnelSim.Relay[]::new));
    }

    private void roam() {
        alice.state.reset(List.of(alice.socket), net.nowNs);
        clientGone();
    }

    private void restartClient() {
        DnsRecords records = alice.state.dnsRecords();
        StateClientHost next = new StateClientHost(net, "alice", new TunnelSim.Placement(alice.socket, alice.nat),
                alice.ipv4, alice.ipv6, records, net.random.split());
        net.hosts.set(net.hosts.indexOf(alice), next);
        alice = next;
        model.internetEnabled = false;
        model.sites.clear();
        clientGone();
        initClient();
        checks.clientRestarted();
    }

    /** Roaming or a restart: the client keeps nothing; the gateways keep their authorisations. */
    private void clientGone() {
        for (String g : List.of("hq", "lab")) {
            model.forget(g);
        }
        model.sites.replaceAll((site, s) -> java.util.EnumSet.of(SiteStatus.UNKNOWN));
        model.offlineResetNs.clear();
    }

    private void restartGateway(String site) {
        GatewayHost old = gateways.get(site);
        GatewayHost next = newGateway(site, old);
        gateways.put(site, next);
        checks.gatewayReplaced(old, next);
        model.gatewayAuth.get(site).clear();
        model.maybeHeld.get(site).clear();
        recover(Set.of(site), true);
    }

    private Set<InetAddress> gatewayAddresses(String site) {
        GatewayHost g = gateways.get(site);
        Set<InetAddress> out = new HashSet<>(Set.of(g.socket.getAddress()));
        if (g.nat != null) {
            out.add(g.nat.publicIp);
        }
        return out;
    }

    /**
     * Nothing reaches or leaves the addresses of {@code target} for a while; a long cut must break what went
     * through them (a gateway's) or may (a relay's). Short partitions back to back are one outage, which may
     * break a connection once it is as long as a consent check ({@link DataPlaneModel#outageNs}).
     */
    private void partition(Set<InetAddress> addresses, String target, String site, int seconds) {
        partitioned.addAll(addresses);
        long fromNs = net.nowNs;
        net.runFor(seconds * S);
        partitioned.removeAll(addresses);
        model.outages.add(new DataPlaneModel.Outage(target, fromNs, net.nowNs));
        Set<String> through = site == null ? Set.of("hq", "lab") : Set.of(site);
        long outageNs = model.outageNs(target);
        if (seconds >= 60) {
            recover(through, site != null);
        } else if (outageNs >= DataPlaneModel.MAY_BREAK_OUTAGE_NS) {
            log.add("  back-to-back partitions of " + target + ": one outage of " + outageNs / MS
                    + " ms, which may break its connections");
            recover(through, false);
        } else {
            model.connected.forEach(this::mayTurnOnline);
        }
    }

    /** A connection that lived through a disruption may come back Connected: its site may turn Online. */
    private void mayTurnOnline(String gateway) {
        model.sites.computeIfPresent(gateway, (s, v) -> {
            v.add(SiteStatus.ONLINE);
            return v;
        });
    }

    private void deployRelay() {
        if (relays.size() >= 4) {
            return;
        }
        TunnelSim.Relay r = net.relay("198.51.100." + (2 + relayCount++));
        relays.add(r);
        List<TurnServer> add = List.of(r.turnServer());
        alice.state.updateRelays(add, List.of(), net.nowNs);
        gateways.values().forEach(g -> g.state.updateRelays(add, List.of(), net.nowNs));
    }

    private TunnelSim.Relay relay(int index) {
        return relays.get(index % relays.size());
    }

    private void rebootRelay(int index) {
        TunnelSim.Relay old = relay(index);
        net.relays.remove(old.listen().getAddress());
        TunnelSim.Relay fresh = net.relay(old.listen().getAddress().getHostAddress());
        relays.set(relays.indexOf(old), fresh);
        recover(Set.of("hq", "lab"), false);
    }

    /**
     * Runs until connections that went through a disruption settled, then takes what is observed: a
     * connection the client dropped is forgotten (the site went Offline); one that {@code mustBreak} had to go.
     */
    private void recover(Set<String> sites, boolean mustBreak) {
        net.runFor(RECOVERY_NS);
        for (String g : sites) {
            if (!model.connected.contains(g)) {
                continue;
            }
            if (alice.state.connectionState(g) == null) {
                log.add("  observed: the client dropped its connection to " + g);
                model.forget(g);
                model.setSite(g, net.nowNs, SiteStatus.OFFLINE, SiteStatus.UNKNOWN);
            } else if (mustBreak) {
                throw new AssertionError("the client still holds a connection to " + g + " after it was cut for good\n"
                        + history());
            } else {
                log.add("  observed: the client kept its connection to " + g);
                mayTurnOnline(g);
            }
        }
    }

    private void reconnectControlPlane(String site, int seconds) {
        GatewayHost g = gateways.get(site);
        net.controlPlane.disconnect(g);
        net.runFor(seconds * S);
        net.controlPlane.reconnect(g);
        initGateway(g);
    }

    String history() {
        return String.join("\n", log);
    }
}
