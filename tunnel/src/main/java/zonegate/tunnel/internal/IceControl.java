package zonegate.tunnel.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tinylog.Logger;
import zonegate.filter.Authorization;
import zonegate.filter.ClientId;
import zonegate.filter.CommandResult;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.node.ConnectionParams;
import zonegate.node.ConnectionState;
import zonegate.node.Node;
import zonegate.node.NodeAction;
import zonegate.node.NodeEvent;
import zonegate.node.NodeResult;
import zonegate.node.NodeTransmit;
import zonegate.node.P2pMessage;
import zonegate.node.TurnServer;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.AuthorizationRef;
import zonegate.tunnel.GatewayDropReason;
import zonegate.tunnel.GatewayEvent;
import zonegate.tunnel.IceAuthorization;
import zonegate.tunnel.AuthorizationResult;

/**
 * ICE mode: the control plane's commands applied to the client table and the node, and the node's
 * output (datagrams, events, control messages) turned into the gateway's. Single-threaded.
 */
public final class IceControl {
    private final Node node;
    private final DataPlane d;
    private final DnsResources dns;
    private final OutboundPath outbound;
    private final DomainSetups domains;
    private final HeldCandidates held = new HeldCandidates();
    private final RelaySet relays = new RelaySet();
    private final NodeResult result = new NodeResult();
    private boolean controlPlaneConnected = true;
    /** The gateway's current time, for removals made from the filter engine's events. */
    private long nowNs;

    public IceControl(Node node, DataPlane dataPlane, DnsResources dns, OutboundPath outbound) {
        this.node = node;
        this.d = dataPlane;
        this.dns = dns;
        this.outbound = outbound;
        this.domains = new DomainSetups(dns);
    }

    public void setNow(long now) {
        this.nowNs = now;
    }

    // ---- commands

    public void init(TunnelAddresses addresses, List<TurnServer> wanted, List<AuthorizationRef> authorizations,
            long nowNs) {
        setGatewayAddresses(addresses);
        relays.replace(node, wanted, nowNs);
        Map<ClientId, Map<ResourceId, Long>> listed = new HashMap<>();
        authorizations.forEach(a -> listed.computeIfAbsent(a.clientId(), k -> new HashMap<>())
                .put(a.resourceId(), a.expiresAtUnixSeconds()));
        int revoked = 0;
        List<ClientEntry> all = new ArrayList<>();
        d.clients.all().forEach(all::add);
        for (ClientEntry e : all) {
            Map<ResourceId, Long> keep = listed.getOrDefault(e.id, Map.of());
            for (Authorization a : List.copyOf(e.filter.authorizations())) {
                Long expiry = keep.get(a.resourceId());
                if (expiry == null) {
                    e.filter.remove(a.resourceId(), nowNs);
                    revoked++;
                } else if (expiry != a.expiresAtUnixSeconds()) {
                    e.filter.add(new Authorization(a.resource(), a.filters(), expiry), nowNs);
                }
            }
        }
        Logger.info("init: tunnel addresses {}, {} relays, {} authorisations listed, {} revoked", addresses,
                relays.size(), authorizations.size(), revoked);
    }

    public AuthorizationResult createAuthorization(IceAuthorization a, long nowNs) {
        ClientId cid = a.client().id();
        switch (d.clients.upsert(a.client(), nowNs)) {
            case ADDED, UPDATED, REKEYED, UNCHANGED -> { }
            case REFUSED_FULL, REFUSED_KEY_IN_USE, REFUSED_ADDRESS_IN_USE, REFUSED_BAD_KEY -> {
                return AuthorizationResult.CLIENT_REFUSED;
            }
        }
        ClientEntry e = d.clients.byId(cid);
        var psk = e.spec.presharedKey();
        try {
            node.upsertConnection(cid.value(), new ConnectionParams(e.spec.publicKey(), psk == null ? null : psk.copy(),
                    a.gatewayIce(), a.clientIce()), nowNs);
        } catch (IllegalStateException full) {
            Logger.warn("cid={} no connection: {}", cid, full.getMessage());
            if (e.filter.authorizationCount() == 0) {
                d.clients.remove(cid, nowNs);
            }
            return AuthorizationResult.CONNECTIONS_FULL;
        }
        if (e.filter.add(a.authorization(), nowNs) != CommandResult.APPLIED) {
            return AuthorizationResult.TOO_MANY_RESOURCES;
        }
        long expiry = a.authorization().expiresAtUnixSeconds();
        Logger.info("cid={} rid={} authorised {}", cid, a.authorization().resourceId(),
                expiry == Authorization.NEVER ? "with no expiry" : "until " + expiry);
        d.queues.offerEvent(new GatewayEvent.AuthorizationCreated(cid, a.authorization().resourceId()));
        return AuthorizationResult.CREATED;
    }

    public void rejectAccess(ClientId client, ResourceId resource, long nowNs) {
        ClientEntry e = d.clients.byId(client);
        if (e != null) {
            e.filter.remove(resource, nowNs);
        }
    }

    public void resourceUpdated(Resource resource, List<Filter> filters, long nowNs) {
        for (ClientEntry e : d.clients.all()) {
            for (Authorization a : e.filter.authorizations()) {
                if (a.resourceId().equals(resource.id())) {
                    e.filter.add(new Authorization(resource, filters, a.expiresAtUnixSeconds()), nowNs);
                    break;
                }
            }
        }
    }

    public void updateRelays(List<TurnServer> add, List<InetSocketAddress> remove, long nowNs) {
        relays.update(node, add, remove, nowNs);
    }

    public void setControlPlaneConnected(boolean connected) {
        controlPlaneConnected = connected;
        if (connected) {
            held.flush().forEach(d.queues::offerEvent);
        }
    }

    public void domainResolved(ClientId client, String domain, List<? extends InetAddress> addresses, long nowNs) {
        ClientEntry e = d.clients.byId(client);
        P2pMessage.DomainStatus status = e == null ? null : domains.onResolved(e, domain, addresses, nowNs);
        if (status != null) {
            node.sendControl(client.value(), status, nowNs);
        }
    }

    public void expireResolutions(long nowNs) {
        domains.expire(nowNs).forEach(x -> node.sendControl(x.getKey().value(), x.getValue(), nowNs));
    }

    public long resolutionDeadlineNs() {
        return domains.pollTimeout();
    }

    public long resolutionsGivenUp() {
        return domains.givenUp();
    }

    /** A client left with no authorisation: goodbye, connection closed, client forgotten. */
    public void onNoAuthorizationLeft(ClientId client) {
        forget(client, "no authorisation left");
    }

    // ---- data

    public void onDatagram(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        PooledBuffer buffer = d.acquire();
        if (buffer == null) {
            datagram.position(datagram.limit());
            return;
        }
        NodeAction action = node.handleNetworkInput(local, from, datagram, buffer.buffer().clear(), nowNs, result);
        if (action != NodeAction.WRITE_TO_TUNNEL) {
            if (action == NodeAction.DROPPED) {
                d.queues.count(GatewayDropReason.WIREGUARD_REJECTED);
            }
            d.pool.release(buffer);
            return;
        }
        ClientEntry client = d.clients.byPeerId(result.peerId());
        if (client == null) {
            d.queues.count(GatewayDropReason.WIREGUARD_REJECTED);
            d.pool.release(buffer);
            return;
        }
        outbound.onDecrypted(client, buffer, result.lengthBytes(), nowNs);
    }

    /** The node's queued datagrams and events, into the gateway's queues. */
    public void drainNode(long nowNs) {
        for (NodeTransmit t; (t = node.pollTransmit()) != null; ) {
            PooledBuffer b = d.acquire();
            if (b == null) {
                continue;
            }
            b.buffer().clear().put(t.payload()).flip();
            d.queues.offerTransmit(t.destination(), b);
        }
        for (NodeEvent e; (e = node.pollEvent()) != null; ) {
            onNodeEvent(e, nowNs);
        }
    }

    private void onNodeEvent(NodeEvent event, long nowNs) {
        switch (event) {
            case NodeEvent.LocalCandidates(var peer, var added, var removed) -> {
                ClientId cid = ClientId.of(peer);
                if (controlPlaneConnected) {
                    d.queues.offerEvent(new GatewayEvent.CandidatesChanged(cid, added, removed));
                } else {
                    held.hold(cid, added, removed);
                }
            }
            case NodeEvent.StateChanged(var peer, var from, var to) -> {
                if (from == ConnectionState.CONNECTING && to == ConnectionState.CONNECTED) {
                    var pair = node.nominatedPair(peer);
                    InetSocketAddress endpoint = pair == null ? null : pair.remote().address();
                    Logger.info("cid={} connected via {}", peer, pair);
                    d.queues.offerEvent(new GatewayEvent.ClientConnected(ClientId.of(peer), endpoint, nowNs));
                }
            }
            case NodeEvent.ConnectionFailed(var peer, var reason) -> {
                Logger.info("cid={} connection failed: {} (authorisations kept)", peer, reason);
                held.forget(ClientId.of(peer));
                d.queues.offerEvent(new GatewayEvent.ConnectionLost(ClientId.of(peer), reason.name()));
            }
            case NodeEvent.ConnectionClosed(var peer, var reason) -> {
                switch (reason) {
                    case GOODBYE_RECEIVED -> forget(ClientId.of(peer), "the client said goodbye");
                    case REPLACED, CLOSED_LOCALLY, RESET -> Logger.debug("cid={} connection closed: {}", peer, reason);
                }
                // A client upserted with a new key has its old connection closed (with a goodbye) and a new
                // one made in the same command: the old one's close is no loss of the client's connection.
                if (reason != zonegate.node.CloseReason.REPLACED && node.state(peer) == null) {
                    d.queues.offerEvent(new GatewayEvent.ConnectionLost(ClientId.of(peer), reason.name()));
                }
            }
            case NodeEvent.ControlMessage(var peer, var message) -> onControl(peer, message, nowNs);
            case NodeEvent.NoRelays() -> d.queues.offerEvent(new GatewayEvent.NoRelays());
            case NodeEvent.PublicKeyChanged(var key) -> Logger.warn("gateway key changed to {}: unexpected", key);
        }
    }

    private void onControl(String peer, P2pMessage message, long nowNs) {
        ClientEntry client = d.clients.byPeerId(peer);
        if (client == null) {
            return;
        }
        switch (message) {
            case P2pMessage.AssignedIps a -> {
                DomainSetups.Outcome o = domains.onAssignedIps(client, a, nowNs);
                if (o.status() != null) {
                    node.sendControl(peer, o.status(), nowNs);
                } else if (o.resolve() != null) {
                    d.queues.offerEvent(new GatewayEvent.ResolveDomain(client.id, o.resolve(), o.domain()));
                }
            }
            case P2pMessage.DomainStatus s -> Logger.debug("cid={} sent a DomainStatus: ignored", peer);
            case P2pMessage.Goodbye g -> { }
        }
    }

    private void forget(ClientId client, String why) {
        held.forget(client);
        domains.forget(client);
        if (d.clients.remove(client, nowNs)) {
            Logger.info("cid={} forgotten: {}", client, why);
        }
    }

    private void setGatewayAddresses(TunnelAddresses addresses) {
        d.gateway4 = addresses.ipv4();
        d.gateway6High = addresses.ipv6High();
        d.gateway6Low = addresses.ipv6Low();
        d.clients.setGatewayAddresses(addresses);
        dns.setGatewayAddresses(addresses);
    }
}
