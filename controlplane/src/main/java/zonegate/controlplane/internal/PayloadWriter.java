package zonegate.controlplane.internal;

import java.util.List;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;

/** Messages into payloads: the inverse of {@link PayloadReader}. */
public final class PayloadWriter {
    private PayloadWriter() {
    }

    /** Writes {@code m}'s fields into {@code out} and returns it. */
    public static ObjectNode write(PortalMessage m, ObjectNode out) {
        switch (m) {
            case PortalMessage.Join j -> { }
            case PortalMessage.Heartbeat h -> { }
            case PortalMessage.Reply r -> {
                out.put("status", r.ok() ? "ok" : "error");
                ObjectNode response = out.putObject("response");
                if (r.reason() != null) {
                    response.put("reason", r.reason());
                }
            }
            case PortalMessage.GatewayInit i -> {
                iface(out.putObject("interface"), i.iface());
                ArrayNode relays = out.putArray("relays");
                i.relays().forEach(r -> relay(relays.addObject(), r));
                ArrayNode list = out.putArray("authorizations");
                for (Wire.Authorization a : i.authorizations()) {
                    ObjectNode o = list.addObject().put("client_id", a.clientId()).put("resource_id", a.resourceId());
                    optional(o, "expires_at", a.expiresAtUnixSeconds());
                }
            }
            case PortalMessage.CreateAuthorization c -> {
                resource(out.putObject("resource"), c.resource());
                client(out.putObject("client"), c.client());
                ice(out.putObject("client_ice_credentials"), c.clientIce());
                ice(out.putObject("gateway_ice_credentials"), c.gatewayIce());
                optional(out, "expires_at", c.expiresAtUnixSeconds());
            }
            case PortalMessage.IceCandidates c -> strings(out.put("client_id", c.clientId()), "candidates",
                    c.candidates());
            case PortalMessage.InvalidateIceCandidates c -> strings(out.put("client_id", c.clientId()), "candidates",
                    c.candidates());
            case PortalMessage.RejectAccess r -> out.put("client_id", r.clientId()).put("resource_id", r.resourceId());
            case PortalMessage.ResourceUpdated r -> resource(out.putObject("resource"), r.resource());
            case PortalMessage.RelaysPresence r -> {
                strings(out, "disconnected_ids", r.disconnectedIds());
                ArrayNode connected = out.putArray("connected");
                r.connected().forEach(x -> relay(connected.addObject(), x));
            }
            case PortalMessage.BroadcastIceCandidates b -> strings(strings(out, "client_ids", b.clientIds()),
                    "candidates", b.candidates());
            case PortalMessage.BroadcastInvalidatedIceCandidates b -> strings(strings(out, "client_ids",
                    b.clientIds()), "candidates", b.candidates());
            case PortalMessage.AuthorizationCreated a -> { }
            case PortalMessage.NoRelays n -> { }
            case PortalMessage.ClientInit i -> {
                iface(out.putObject("interface"), i.iface());
                ArrayNode resources = out.putArray("resources");
                i.resources().forEach(r -> resource(resources.addObject(), r));
                ArrayNode relays = out.putArray("relays");
                i.relays().forEach(r -> relay(relays.addObject(), r));
            }
            case PortalMessage.ResourceCreatedOrUpdated r -> resource(out.putObject("resource"), r.resource());
            case PortalMessage.ResourceDeleted r -> out.put("id", r.id());
            case PortalMessage.AccessGranted a -> {
                out.put("resource_id", a.resourceId()).put("gateway_id", a.gatewayId())
                        .put("gateway_public_key", a.gatewayPublicKey()).put("gateway_ipv4", a.gatewayIpv4())
                        .put("gateway_ipv6", a.gatewayIpv6()).put("site_id", a.siteId());
                optional(out, "preshared_key", a.presharedKey());
                ice(out.putObject("client_ice_credentials"), a.clientIce());
                ice(out.putObject("gateway_ice_credentials"), a.gatewayIce());
            }
            case PortalMessage.AuthorizationCreationFailed f -> out.put("resource_id", f.resourceId())
                    .put("reason", f.reason());
            case PortalMessage.GatewayIceCandidates c -> strings(out.put("gateway_id", c.gatewayId()), "candidates",
                    c.candidates());
            case PortalMessage.InvalidateGatewayIceCandidates c -> strings(out.put("gateway_id", c.gatewayId()),
                    "candidates", c.candidates());
            case PortalMessage.RequestAuthorization r -> strings(out.put("resource_id", r.resourceId()),
                    "connected_gateway_ids", r.connectedGatewayIds());
            case PortalMessage.NewGatewayIceCandidates c -> strings(strings(out, "gateway_ids", c.gatewayIds()),
                    "candidates", c.candidates());
            case PortalMessage.InvalidatedGatewayIceCandidates c -> strings(strings(out, "gateway_ids",
                    c.gatewayIds()), "candidates", c.candidates());
            case PortalMessage.StampSecret s -> out.put("secret", s.secret());
            case PortalMessage.RelayInit i -> { }
        }
        return out;
    }

    private static void iface(ObjectNode o, Wire.Interface i) {
        strings(o.put("ipv4", i.ipv4()).put("ipv6", i.ipv6()), "upstream_dns", i.upstreamDns());
    }

    private static void relay(ObjectNode o, Wire.Relay r) {
        o.put("type", "turn").put("id", r.id()).put("addr", r.address()).put("username", r.username())
                .put("password", r.password()).put("expires_at", r.expiresAtUnixSeconds());
    }

    private static void ice(ObjectNode o, Wire.IceCredentials c) {
        o.put("username", c.username()).put("password", c.password());
    }

    private static void client(ObjectNode o, Wire.Client c) {
        o.put("id", c.id()).put("public_key", c.publicKey());
        optional(o, "preshared_key", c.presharedKey());
        o.put("ipv4", c.ipv4()).put("ipv6", c.ipv6());
    }

    private static void resource(ObjectNode o, Wire.Resource r) {
        o.put("type", r.type()).put("id", r.id()).put("name", r.name());
        optional(o, "address", r.address());
        optional(o, "site_id", r.siteId());
        optional(o, "ip_stack", r.ipStack());
        ArrayNode filters = o.putArray("filters");
        for (Wire.Filter f : r.filters()) {
            ObjectNode x = filters.addObject().put("protocol", f.protocol());
            if (!f.protocol().equals("icmp")) {
                x.put("port_range_start", f.portRangeStart()).put("port_range_end", f.portRangeEnd());
            }
        }
    }

    private static ObjectNode strings(ObjectNode o, String name, List<String> values) {
        ArrayNode a = o.putArray(name);
        values.forEach(a::add);
        return o;
    }

    private static void optional(ObjectNode o, String name, String value) {
        if (value != null) {
            o.put(name, value);
        }
    }

    private static void optional(ObjectNode o, String name, Long value) {
        if (value != null) {
            o.put(name, value.longValue());
        }
    }
}
