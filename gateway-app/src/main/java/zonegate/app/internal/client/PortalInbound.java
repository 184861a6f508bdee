package zonegate.app.internal.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.tinylog.Logger;
import zonegate.app.internal.portal.PortalRelays;
import zonegate.app.internal.portal.WireMapping;
import zonegate.app.internal.portal.WireMapping.Mapped;
import zonegate.app.internal.portal.WireMapping.MappedResource;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.ice.IceCredentials;
import zonegate.node.TurnServer;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.ClientState;
import zonegate.tunnel.GatewayAccess;
import zonegate.wireguard.PresharedKey;
import zonegate.wireguard.PublicKey;

/**
 * The portal's messages to a client, as {@link ClientState} calls. Whatever does not map (a bad address, key
 * or credential) is logged with the reason and skipped; the rest of the message still applies. Remembers each
 * relay's address by id, because the portal withdraws relays by id and the state machine by address.
 * State thread only.
 */
final class PortalInbound {
    private final ClientState state;
    private final PortalRelays relays = new PortalRelays();

    PortalInbound(ClientState state) {
        this.state = state;
    }

    void onMessage(PortalMessage.ToClient message, long nowNs) {
        switch (message) {
            case PortalMessage.ClientInit init -> init(init, nowNs);
            case PortalMessage.ResourceCreatedOrUpdated(Wire.Resource wire) -> {
                ClientResource resource = resource(wire);
                if (resource != null) {
                    Logger.info("rid={} resource created or updated: {} ({})", resource.id(), resource.name(),
                            resource.resource());
                    state.resourceCreatedOrUpdated(resource, nowNs);
                }
            }
            case PortalMessage.ResourceDeleted(String id) -> resourceId(id, "resource_deleted").ifPresent(rid -> {
                Logger.info("rid={} resource deleted", rid);
                state.resourceDeleted(rid, nowNs);
            });
            case PortalMessage.AccessGranted granted -> accessGranted(granted, nowNs);
            case PortalMessage.AuthorizationCreationFailed(String id, String reason) ->
                    resourceId(id, "authorization_creation_failed").ifPresent(rid -> {
                        Logger.info("rid={} the portal refused access: {}", rid, reason);
                        state.authorizationCreationFailed(rid, "offline".equals(reason), nowNs);
                    });
            case PortalMessage.GatewayIceCandidates(String gid, List<String> lines) ->
                    state.addRemoteCandidates(gid, WireMapping.candidates(lines), nowNs);
            case PortalMessage.InvalidateGatewayIceCandidates(String gid, List<String> lines) ->
                    state.removeRemoteCandidates(gid, WireMapping.candidates(lines), nowNs);
            case PortalMessage.RelaysPresence(List<String> gone, List<Wire.Relay> connected) -> {
                PortalRelays.Change change = relays.presence(gone, connected);
                Logger.info("relays: {} connected, {} gone", change.add().size(), change.remove().size());
                state.updateRelays(change.add(), change.remove(), nowNs);
            }
            case PortalMessage.Reply(boolean ok, String reason) -> {
                if (!ok) {
                    Logger.warn("the portal refused a request: {}", reason);
                }
            }
        }
    }

    private void init(PortalMessage.ClientInit init, long nowNs) {
        TunnelAddresses addresses = switch (WireMapping.tunnelAddresses(init.iface())) {
            case Mapped.Valid<TunnelAddresses>(TunnelAddresses valid) -> valid;
            case Mapped.Invalid<TunnelAddresses>(String reason) -> {
                Logger.warn("the portal's init is not applied: {}", reason);
                yield null;
            }
        };
        if (addresses == null) {
            return;
        }
        List<ClientResource> resources = new ArrayList<>();
        for (Wire.Resource wire : init.resources()) {
            ClientResource r = resource(wire);
            if (r != null) {
                resources.add(r);
            }
        }
        List<TurnServer> relayList = relays.replace(init.relays());
        List<InetSocketAddress> upstreams = upstreamDns(init.iface().upstreamDns());
        Logger.info("portal init: tunnel addresses {}, {} resources, {} relays, upstream DNS {}", addresses,
                resources.size(), relayList.size(), upstreams.isEmpty() ? "the system's" : upstreams);
        state.init(addresses, resources, relayList, upstreams, nowNs);
    }

    private void accessGranted(PortalMessage.AccessGranted granted, long nowNs) {
        ResourceId rid = resourceId(granted.resourceId(), "authorization_created").orElse(null);
        if (rid == null) {
            return;
        }
        GatewayAccess access;
        try {
            access = new GatewayAccess(rid, granted.gatewayId(), PublicKey.parse(granted.gatewayPublicKey()),
                    TunnelAddresses.of(granted.gatewayIpv4(), granted.gatewayIpv6()),
                    granted.presharedKey() == null ? null : PresharedKey.parse(granted.presharedKey()),
                    new IceCredentials(granted.clientIce().username(), granted.clientIce().password()),
                    new IceCredentials(granted.gatewayIce().username(), granted.gatewayIce().password()));
        } catch (IllegalArgumentException e) {
            Logger.warn("rid={} gid={} the portal's access grant is unusable ({}): its packets are dropped", rid,
                    granted.gatewayId(), e.getMessage());
            state.authorizationCreationFailed(rid, false, nowNs);
            return;
        }
        Logger.debug("rid={} gid={} access granted", rid, access.gatewayId());
        state.authorizationCreated(access, nowNs);
    }

    private static ClientResource resource(Wire.Resource wire) {
        return switch (WireMapping.resource(wire)) {
            case Mapped.Valid<MappedResource>(MappedResource r) -> {
                if (r.siteId() == null) {
                    Logger.warn("the portal sent resource {} without a site: skipped", r.resource().id());
                    yield null;
                }
                yield new ClientResource(r.resource(), r.name(), r.siteId(), r.filters(), r.ipStack());
            }
            case Mapped.Invalid<MappedResource>(String reason) -> {
                Logger.warn("the portal sent a bad resource: {}", reason);
                yield null;
            }
        };
    }

    private static java.util.Optional<ResourceId> resourceId(String id, String event) {
        try {
            return java.util.Optional.of(ResourceId.of(id));
        } catch (IllegalArgumentException e) {
            Logger.warn("the portal's {} names a bad resource id \"{}\": {}", event, id, e.getMessage());
            return java.util.Optional.empty();
        }
    }

    /** {@code ip} (port 53) or {@code ip:port} / {@code [ip]:port}; names are never resolved. */
    static List<InetSocketAddress> upstreamDns(List<String> wire) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String text : wire) {
            try {
                servers.add(new InetSocketAddress(InetAddress.ofLiteral(text), 53));
                continue;
            } catch (IllegalArgumentException notBare) {
                // ip:port below
            }
            switch (WireMapping.socketAddress(text)) {
                case Mapped.Valid<InetSocketAddress>(InetSocketAddress valid) -> servers.add(valid);
                case Mapped.Invalid<InetSocketAddress>(String reason) ->
                        Logger.warn("the portal sent a bad upstream DNS server: {}", reason);
            }
        }
        return servers;
    }
}
