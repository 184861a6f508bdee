package zonegate.tunnel.internal.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tinylog.Logger;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.node.ConnectionParams;
import zonegate.node.ConnectionState;
import zonegate.node.Node;
import zonegate.node.NodeEvent;
import zonegate.node.NodeTransmit;
import zonegate.node.P2pMessage;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.GatewayAccess;
import zonegate.tunnel.SiteStatus;
import zonegate.tunnel.TunConfig;

/**
 * The client's state, shared by its packet path ({@link ClientPath}) and its commands: the node, the stub
 * resolver, the routes, the sticky flows, the authorisations, the DNS-resource NAT setups and the sites.
 * Also turns the node's output into the client's. Single-threaded.
 */
public final class ClientParts {
    public final Node node;
    public final ClientOutputs outputs;
    public final StubResolver stub;
    public final ClientRoutes routes = new ClientRoutes();
    public final FlowGateways flows;
    public final Access access = new Access();
    public final DomainNats domains = new DomainNats();
    public final Sites sites = new Sites();
    /** By id, in id order (so every derived table is independent of the order resources came in). */
    public final Map<ResourceId, ClientResource> resources = new TreeMap<>();
    public TunnelAddresses addresses;
    public ClientPath path;
    private List<InetSocketAddress> controlPlaneDns = List.of();
    private List<InetSocketAddress> systemDns = List.of();
    private Map<InetAddress, InetSocketAddress> sentinels = Map.of();
    private boolean tunChanged;
    private boolean recordsChanged;

    public ClientParts(Node node, ClientOutputs outputs, StubResolver stub, FlowGateways flows) {
        this.node = node;
        this.outputs = outputs;
        this.stub = stub;
        this.flows = flows;
    }

    // ---- commands

    /** The full resource list (on every reconnect): resources not listed any more are removed. */
    public void init(TunnelAddresses interfaceAddresses, List<ClientResource> all, List<InetSocketAddress> upstreamDns,
            long nowNs) {
        addresses = interfaceAddresses;
        controlPlaneDns = List.copyOf(upstreamDns);
        Map<ResourceId, ClientResource> listed = new TreeMap<>();
        all.forEach(r -> listed.put(r.id(), r));
        for (ResourceId gone : List.copyOf(resources.keySet())) {
            if (!listed.containsKey(gone)) {
                forgetResource(gone, nowNs);
            }
        }
        listed.values().forEach(r -> replaceResource(r, nowNs));
        applyResources();
        applyDns();
    }

    public void upsertResource(ClientResource r, long nowNs) {
        replaceResource(r, nowNs);
        applyResources();
    }

    public void removeResource(ResourceId id, long nowNs) {
        if (resources.containsKey(id)) {
            forgetResource(id, nowNs);
            applyResources();
        }
    }

    /**
     * A resource that changed ends its flows (they are routed again, through its new address and filters);
     * one that moved to another site also loses its authorisation (the next packet asks again). A new
     * address or new filters in the same site keep it: the control plane updates the gateway's copy.
     */
    private void replaceResource(ClientResource r, long nowNs) {
        ClientResource old = resources.put(r.id(), r);
        if (old == null || old.equals(r)) {
            return;
        }
        flows.removeResource(r.id());
        if (!old.siteId().equals(r.siteId())) {
            dropAuthorization(r.id(), nowNs);
        }
    }

    private void forgetResource(ResourceId id, long nowNs) {
        resources.remove(id);
        flows.removeResource(id);
        dropAuthorization(id, nowNs);
    }

    private void dropAuthorization(ResourceId id, long nowNs) {
        String gateway = access.gateway(id);
        if (access.removeResource(id) && gateway != null) {
            Logger.info("gid={} serves no resource any more: connection closed", gateway);
            node.closeConnection(gateway, nowNs);
        }
    }

    public void authorized(GatewayAccess a, long nowNs) {
        ClientResource r = resources.get(a.resourceId());
        if (r == null) {
            Logger.debug("rid={} authorised but unknown: ignored", a.resourceId());
            return;
        }
        var psk = a.presharedKey();
        node.upsertConnection(a.gatewayId(), new ConnectionParams(a.gatewayKey(), psk == null ? null : psk.copy(),
                a.clientIce(), a.gatewayIce()), nowNs);
        Logger.info("rid={} gid={} authorised", a.resourceId(), a.gatewayId());
        PendingPackets waiting = access.authorize(a, r.siteId());
        Access.drain(waiting, b -> path.route(b, b.position(), b.remaining(), nowNs));
    }

    public void authorizationFailed(ResourceId id, boolean offline, long nowNs) {
        access.refused(id);
        ClientResource r = resources.get(id);
        if (r != null && offline) {
            sites.set(r.siteId(), SiteStatus.OFFLINE, nowNs);
        }
    }

    public void setSystemDns(List<InetSocketAddress> servers) {
        systemDns = List.copyOf(servers);
        applyDns();
    }

    /** The toggle; flows through the Internet resource end with it (other flows keep their gateways). */
    public void setInternetEnabled(boolean enabled) {
        routes.setInternetEnabled(enabled);
        if (!enabled) {
            resources.values().stream().filter(r -> r.resource() instanceof Resource.Internet)
                    .forEach(r -> flows.removeResource(r.id()));
        }
        tunChanged = true;
    }

    /** Roaming and sign-out: connections, authorisations, flows, setups and pending DNS are dropped. */
    public void clearSession() {
        access.clear();
        flows.clear();
        domains.clear();
        stub.reset();
        for (ClientResource r : resources.values()) {
            sites.set(r.siteId(), SiteStatus.UNKNOWN, 0);
        }
    }

    private void applyResources() {
        List<ClientResource> list = List.copyOf(resources.values());
        routes.setResources(list);
        stub.setResources(list);
        Set<String> siteIds = new HashSet<>();
        list.forEach(r -> siteIds.add(r.siteId()));
        sites.retain(siteIds);
        tunChanged = true;
    }

    private void applyDns() {
        Map<InetAddress, InetSocketAddress> m = new LinkedHashMap<>();
        stub.setUpstreams(controlPlaneDns.isEmpty() ? systemDns : controlPlaneDns)
                .forEach(x -> m.put(x.address(), x.upstream()));
        sentinels = m;
        tunChanged = true;
    }

    // ---- outputs

    public void onStubResult(StubResult r, long nowNs) {
        switch (r) {
            case StubResult.Answer a -> outputs.packet(a.ipPacket());
            case StubResult.Forward f -> outputs.event(new ClientEvent.DnsQuery(f.queryId(), f.upstream(), f.dnsMessage()));
            case StubResult.Dropped d -> { }
        }
        for (String domain; (domain = stub.pollAnsweredDomain()) != null; ) {
            domains.requeried(domain, nowNs);
            recordsChanged = true;
        }
        sendDueDomainSetups(nowNs);
    }

    /**
     * AssignedIps that are due, to gateways whose connection is up (others wait for it); one that finds no
     * session to carry it (expired while idle) is tried again 2 s later.
     */
    public void sendDueDomainSetups(long nowNs) {
        for (DomainNats.Setup setup : domains.due(nowNs)) {
            ConnectionState state = node.state(setup.gatewayId);
            boolean up = state == ConnectionState.CONNECTED || state == ConnectionState.IDLE;
            if (up && !node.sendControl(setup.gatewayId, setup.message, nowNs)) {
                domains.retry(setup, nowNs);
            }
        }
    }

    /** The node's queued datagrams and events into the client's outputs. */
    public void drainNode(long nowNs) {
        for (NodeTransmit t; (t = node.pollTransmit()) != null; ) {
            PooledBuffer b = outputs.acquire();
            if (b != null) {
                b.buffer().clear().put(t.payload()).flip();
                outputs.transmit(t.destination(), b);
            }
        }
        for (NodeEvent e; (e = node.pollEvent()) != null; ) {
            onNodeEvent(e, nowNs);
        }
    }

    /** The latest-value events, when something changed since they were last taken. */
    public List<ClientEvent> takeLatest() {
        List<ClientEvent> out = new ArrayList<>(3);
        if (tunChanged && addresses != null) {
            tunChanged = false;
            out.add(new ClientEvent.TunConfigChanged(new TunConfig(addresses, sentinels, routes.tunRoutes())));
        }
        Map<String, SiteStatus> changed = sites.takeChanged();
        if (changed != null) {
            out.add(new ClientEvent.SitesChanged(changed));
        }
        if (recordsChanged) {
            recordsChanged = false;
            out.add(new ClientEvent.DnsRecordsChanged(stub.export()));
        }
        return out;
    }

    public boolean hasLatest() {
        return (tunChanged && addresses != null) || sites.hasChanged() || recordsChanged;
    }

    private void onNodeEvent(NodeEvent event, long nowNs) {
        switch (event) {
            case NodeEvent.LocalCandidates(var gateway, var added, var removed) ->
                    outputs.event(new ClientEvent.CandidatesChanged(gateway, added, removed));
            case NodeEvent.StateChanged(var gateway, var from, var to) -> {
                if (to == ConnectionState.CONNECTED) {
                    sites.set(access.site(gateway), SiteStatus.ONLINE, nowNs);
                    domains.connected(gateway, nowNs);
                    sendDueDomainSetups(nowNs);
                }
            }
            case NodeEvent.ConnectionFailed(var gateway, var reason) -> {
                Logger.info("gid={} connection failed: {}", gateway, reason);
                sites.set(access.site(gateway), SiteStatus.OFFLINE, nowNs);
                forgetGateway(gateway);
            }
            case NodeEvent.ConnectionClosed(var gateway, var reason) -> {
                switch (reason) {
                    case GOODBYE_RECEIVED -> {
                        Logger.info("gid={} said goodbye", gateway);
                        sites.set(access.site(gateway), SiteStatus.UNKNOWN, nowNs);
                        forgetGateway(gateway);
                    }
                    case CLOSED_LOCALLY, RESET -> forgetGateway(gateway);
                    case REPLACED -> { }
                }
            }
            case NodeEvent.ControlMessage(var gateway, var message) -> onControl(gateway, message, nowNs);
            case NodeEvent.PublicKeyChanged(var key) -> outputs.event(new ClientEvent.PublicKeyChanged(key));
            case NodeEvent.NoRelays() -> outputs.event(new ClientEvent.NoRelays());
        }
    }

    private void onControl(String gateway, P2pMessage message, long nowNs) {
        switch (message) {
            case P2pMessage.DomainStatus status -> {
                DomainNats.Setup setup = domains.onStatus(gateway, status);
                if (setup == null) {
                    return;
                }
                Logger.debug("gid={} {} is {}", gateway, status.domain(), status.active() ? "active" : "inactive");
                domains.drain(setup, b -> {
                    if (setup.active) {
                        path.send(gateway, b, b.position(), b.remaining(), nowNs);
                    }
                });
            }
            case P2pMessage.AssignedIps a -> Logger.debug("gid={} sent AssignedIps: ignored", gateway);
            case P2pMessage.Goodbye g -> { }
        }
    }

    private void forgetGateway(String gateway) {
        access.dropGateway(gateway);
        flows.removeGateway(gateway);
        domains.forgetGateway(gateway);
    }
}
