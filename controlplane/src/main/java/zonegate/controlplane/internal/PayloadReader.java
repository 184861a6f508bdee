package zonegate.controlplane.internal;

import java.util.Set;
import tools.jackson.databind.JsonNode;
import zonegate.controlplane.DecodeResult;
import zonegate.controlplane.Direction;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalCodec;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.PortalMessage.AccessGranted;
import zonegate.controlplane.Wire;

/** Payloads into messages, per direction and event (the field names are the records' in snake case). */
public final class PayloadReader {
    private static final int CANDIDATES = PortalMessage.MAX_CANDIDATES;
    private static final int LIST = PortalCodec.MAX_LIST;
    private static final Set<String> RESOURCE_TYPES = Set.of("cidr", "dns", "internet");
    private static final Set<String> PROTOCOLS = Set.of("tcp", "udp", "icmp");
    private static final Set<String> IP_STACKS = Set.of("dual", "ipv4_only", "ipv6_only");

    private PayloadReader() {
    }

    public static DecodeResult read(String topic, String ref, String event, JsonNode payload, Direction direction) {
        try {
            Fields p = new Fields(payload, event);
            PortalMessage m = switch (direction) {
                case TO_GATEWAY -> toGateway(event, p);
                case FROM_GATEWAY -> fromGateway(event, p);
                case TO_CLIENT -> toClient(event, p);
                case FROM_CLIENT -> fromClient(event, p);
                case TO_RELAY -> toRelay(event, p);
                case FROM_RELAY -> fromRelay(event, p);
            };
            return m == null ? new DecodeResult.UnknownEvent(topic, ref, event)
                    : new DecodeResult.Decoded(new Frame(topic, ref, m));
        } catch (Fields.Bad bad) {
            return new DecodeResult.Rejected(bad.getMessage());
        }
    }

    private static PortalMessage toGateway(String event, Fields p) {
        return switch (event) {
            case "phx_reply" -> reply(p);
            case "init" -> new PortalMessage.GatewayInit(iface(p.object("interface")),
                    p.objects("relays", LIST, PayloadReader::relay),
                    p.objects("authorizations", LIST, a -> new Wire.Authorization(a.string("client_id"),
                            a.string("resource_id"), a.optionalInteger("expires_at"))));
            case "create_authorization" -> new PortalMessage.CreateAuthorization(resource(p.object("resource")),
                    client(p.object("client")), ice(p.object("client_ice_credentials")),
                    ice(p.object("gateway_ice_credentials")), p.optionalInteger("expires_at"));
            case "ice_candidates" -> new PortalMessage.IceCandidates(p.string("client_id"),
                    p.strings("candidates", CANDIDATES));
            case "invalidate_ice_candidates" -> new PortalMessage.InvalidateIceCandidates(p.string("client_id"),
                    p.strings("candidates", CANDIDATES));
            case "reject_access" -> new PortalMessage.RejectAccess(p.string("client_id"), p.string("resource_id"));
            case "resource_updated" -> new PortalMessage.ResourceUpdated(resource(p.object("resource")));
            case "relays_presence" -> relaysPresence(p);
            default -> null;
        };
    }

    private static PortalMessage fromGateway(String event, Fields p) {
        return switch (event) {
            case "phx_join" -> new PortalMessage.Join();
            case "heartbeat" -> new PortalMessage.Heartbeat();
            case "broadcast_ice_candidates" -> new PortalMessage.BroadcastIceCandidates(p.strings("client_ids", LIST),
                    p.strings("candidates", CANDIDATES));
            case "broadcast_invalidated_ice_candidates" -> new PortalMessage.BroadcastInvalidatedIceCandidates(
                    p.strings("client_ids", LIST), p.strings("candidates", CANDIDATES));
            case "authorization_created" -> new PortalMessage.AuthorizationCreated();
            case "no_relays" -> new PortalMessage.NoRelays();
            default -> null;
        };
    }

    private static PortalMessage toClient(String event, Fields p) {
        return switch (event) {
            case "phx_reply" -> reply(p);
            case "init" -> new PortalMessage.ClientInit(iface(p.object("interface")),
                    p.objects("resources", LIST, PayloadReader::resource), p.objects("relays", LIST, PayloadReader::relay));
            case "resource_created_or_updated" -> new PortalMessage.ResourceCreatedOrUpdated(
                    resource(p.object("resource")));
            case "resource_deleted" -> new PortalMessage.ResourceDeleted(p.string("id"));
            case "authorization_created" -> new AccessGranted(p.string("resource_id"), p.string("gateway_id"),
                    p.string("gateway_public_key"), p.string("gateway_ipv4"), p.string("gateway_ipv6"),
                    p.string("site_id"), p.optionalString("preshared_key"), ice(p.object("client_ice_credentials")),
                    ice(p.object("gateway_ice_credentials")));
            case "authorization_creation_failed" -> new PortalMessage.AuthorizationCreationFailed(
                    p.string("resource_id"), p.string("reason"));
            case "gateway_ice_candidates" -> new PortalMessage.GatewayIceCandidates(p.string("gateway_id"),
                    p.strings("candidates", CANDIDATES));
            case "invalidate_gateway_ice_candidates" -> new PortalMessage.InvalidateGatewayIceCandidates(
                    p.string("gateway_id"), p.strings("candidates", CANDIDATES));
            case "relays_presence" -> relaysPresence(p);
            default -> null;
        };
    }

    private static PortalMessage fromClient(String event, Fields p) {
        return switch (event) {
            case "phx_join" -> new PortalMessage.Join();
            case "heartbeat" -> new PortalMessage.Heartbeat();
            case "request_authorization" -> new PortalMessage.RequestAuthorization(p.string("resource_id"),
                    p.strings("connected_gateway_ids", LIST));
            case "new_gateway_ice_candidates" -> new PortalMessage.NewGatewayIceCandidates(
                    p.strings("gateway_ids", LIST), p.strings("candidates", CANDIDATES));
            case "invalidate_gateway_ice_candidates" -> new PortalMessage.InvalidatedGatewayIceCandidates(
                    p.strings("gateway_ids", LIST), p.strings("candidates", CANDIDATES));
            case "no_relays" -> new PortalMessage.NoRelays();
            default -> null;
        };
    }

    private static PortalMessage toRelay(String event, Fields p) {
        return switch (event) {
            case "phx_reply" -> reply(p);
            case "init" -> new PortalMessage.RelayInit();
            default -> null;
        };
    }

    private static PortalMessage fromRelay(String event, Fields p) {
        return switch (event) {
            case "phx_join" -> new PortalMessage.Join();
            case "heartbeat" -> new PortalMessage.Heartbeat();
            case "stamp_secret" -> new PortalMessage.StampSecret(p.string("secret"));
            default -> null;
        };
    }

    private static PortalMessage.Reply reply(Fields p) {
        String status = p.string("status");
        if (!status.equals("ok") && !status.equals("error")) {
            throw new Fields.Bad("phx_reply.status must be \"ok\" or \"error\"");
        }
        Fields response = p.optionalObject("response");
        return new PortalMessage.Reply(status.equals("ok"), response == null ? null : response.optionalString("reason"));
    }

    private static PortalMessage.RelaysPresence relaysPresence(Fields p) {
        return new PortalMessage.RelaysPresence(p.strings("disconnected_ids", LIST),
                p.objects("connected", LIST, PayloadReader::relay));
    }

    private static Wire.Interface iface(Fields f) {
        return new Wire.Interface(f.string("ipv4"), f.string("ipv6"), f.strings("upstream_dns", 20));
    }

    private static Wire.Relay relay(Fields f) {
        String type = f.string("type");
        if (!type.equals("turn")) {
            throw new Fields.Bad("a relay's type must be \"turn\", not \"" + type + "\"");
        }
        return new Wire.Relay(f.string("id"), f.string("addr"), f.string("username"), f.string("password"),
                f.integer("expires_at"));
    }

    private static Wire.IceCredentials ice(Fields f) {
        return new Wire.IceCredentials(f.string("username"), f.string("password"));
    }

    private static Wire.Client client(Fields f) {
        return new Wire.Client(f.string("id"), f.string("public_key"), f.optionalString("preshared_key"),
                f.string("ipv4"), f.string("ipv6"));
    }

    private static Wire.Resource resource(Fields f) {
        String type = oneOf(f.string("type"), RESOURCE_TYPES, "a resource's type");
        String address = type.equals("internet") ? f.optionalString("address") : f.string("address");
        String stack = f.optionalString("ip_stack");
        if (stack != null) {
            oneOf(stack, IP_STACKS, "ip_stack");
        }
        return new Wire.Resource(type, f.string("id"), f.string("name"), address, f.optionalString("site_id"), stack,
                f.objects("filters", 1024, PayloadReader::filter));
    }

    private static Wire.Filter filter(Fields f) {
        String protocol = oneOf(f.string("protocol"), PROTOCOLS, "a filter's protocol");
        if (protocol.equals("icmp")) {
            return new Wire.Filter(protocol, 0, 0);
        }
        int start = f.bounded("port_range_start", 0, 65_535, 0);
        int end = f.bounded("port_range_end", 0, 65_535, 65_535);
        if (end < start) {
            throw new Fields.Bad("a filter's port_range_end " + end + " is below its port_range_start " + start);
        }
        return new Wire.Filter(protocol, start, end);
    }

    private static String oneOf(String value, Set<String> allowed, String what) {
        if (!allowed.contains(value)) {
            throw new Fields.Bad(what + " must be one of " + new java.util.TreeSet<>(allowed) + ", not \""
                    + value + "\"");
        }
        return value;
    }
}
