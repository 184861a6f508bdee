package zonegate.controlplane;

import java.util.List;
import java.util.Objects;

/**
 * Every message between the portal and its gateways, clients and relays, by direction: a record's
 * {@link #event()} is its name on the wire; the payload's fields are the record's, in snake case. One
 * event name may mean different messages in different directions ({@code authorization_created} from a
 * gateway answers a {@code create_authorization}; to a client it is the access granted), so the codec
 * decodes for a {@link Direction}. Switch over the direction's interface exhaustively.
 *
 * <p>Candidates are SDP candidate attribute strings ({@code candidate:...}), at most
 * {@value #MAX_CANDIDATES} per message.
 */
public sealed interface PortalMessage {
    /** Most candidates in one message. */
    int MAX_CANDIDATES = 64;

    /** The event name on the wire. */
    String event();

    /** Portal to gateway. */
    sealed interface ToGateway extends PortalMessage {
    }

    /** Gateway to portal. */
    sealed interface FromGateway extends PortalMessage {
    }

    /** Portal to client. */
    sealed interface ToClient extends PortalMessage {
    }

    /** Client to portal. */
    sealed interface FromClient extends PortalMessage {
    }

    /** Portal to relay. */
    sealed interface ToRelay extends PortalMessage {
    }

    /** Relay to portal. */
    sealed interface FromRelay extends PortalMessage {
    }

    // ---- both ways, every peer

    /** A peer joins its topic (the first message on a socket). */
    record Join() implements FromGateway, FromClient, FromRelay {
        @Override
        public String event() {
            return "phx_join";
        }
    }

    /** Keeps the socket alive (topic {@code phoenix}); answered with an ok {@link Reply}. */
    record Heartbeat() implements FromGateway, FromClient, FromRelay {
        @Override
        public String event() {
            return "heartbeat";
        }
    }

    /**
     * The portal's answer to a join or a heartbeat (the frame's ref names the request).
     *
     * @param ok whether it was accepted
     * @param reason why not ({@code invalid_token}, ...), or null
     */
    record Reply(boolean ok, String reason) implements ToGateway, ToClient, ToRelay {
        @Override
        public String event() {
            return "phx_reply";
        }
    }

    // ---- portal to gateway

    /** On every (re)connect: the interface, the relays and the full list of authorisations. */
    record GatewayInit(Wire.Interface iface, List<Wire.Relay> relays, List<Wire.Authorization> authorizations)
            implements ToGateway {
        public GatewayInit {
            Objects.requireNonNull(iface, "iface");
            relays = List.copyOf(relays);
            authorizations = List.copyOf(authorizations);
        }

        @Override
        public String event() {
            return "init";
        }
    }

    /** Allow a client a resource over a connection with these credentials; answered with {@link AuthorizationCreated}. */
    record CreateAuthorization(Wire.Resource resource, Wire.Client client, Wire.IceCredentials clientIce,
            Wire.IceCredentials gatewayIce, Long expiresAtUnixSeconds) implements ToGateway {
        public CreateAuthorization {
            Objects.requireNonNull(resource, "resource");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(clientIce, "clientIce");
            Objects.requireNonNull(gatewayIce, "gatewayIce");
        }

        @Override
        public String event() {
            return "create_authorization";
        }
    }

    /** A client's candidates. */
    record IceCandidates(String clientId, List<String> candidates) implements ToGateway {
        public IceCandidates {
            Objects.requireNonNull(clientId, "clientId");
            candidates = List.copyOf(candidates);
        }

        @Override
        public String event() {
            return "ice_candidates";
        }
    }

    /** Candidates a client withdrew. */
    record InvalidateIceCandidates(String clientId, List<String> candidates) implements ToGateway {
        public InvalidateIceCandidates {
            Objects.requireNonNull(clientId, "clientId");
            candidates = List.copyOf(candidates);
        }

        @Override
        public String event() {
            return "invalidate_ice_candidates";
        }
    }

    /** Revoke one resource of a client. */
    record RejectAccess(String clientId, String resourceId) implements ToGateway {
        public RejectAccess {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(resourceId, "resourceId");
        }

        @Override
        public String event() {
            return "reject_access";
        }
    }

    /** A resource's address or filters changed. */
    record ResourceUpdated(Wire.Resource resource) implements ToGateway {
        public ResourceUpdated {
            Objects.requireNonNull(resource, "resource");
        }

        @Override
        public String event() {
            return "resource_updated";
        }
    }

    /** Relays that connected (with fresh credentials) or went away. */
    record RelaysPresence(List<String> disconnectedIds, List<Wire.Relay> connected) implements ToGateway, ToClient {
        public RelaysPresence {
            disconnectedIds = List.copyOf(disconnectedIds);
            connected = List.copyOf(connected);
        }

        @Override
        public String event() {
            return "relays_presence";
        }
    }

    // ---- gateway to portal

    /** Local candidates for connections to these clients. */
    record BroadcastIceCandidates(List<String> clientIds, List<String> candidates) implements FromGateway {
        public BroadcastIceCandidates {
            clientIds = List.copyOf(clientIds);
            candidates = List.copyOf(candidates);
        }

        @Override
        public String event() {
            return "broadcast_ice_candidates";
        }
    }

    /** Local candidates withdrawn. */
    record BroadcastInvalidatedIceCandidates(List<String> clientIds, List<String> candidates) implements FromGateway {
        public BroadcastInvalidatedIceCandidates {
            clientIds = List.copyOf(clientIds);
            candidates = List.copyOf(candidates);
        }

        @Override
        public String event() {
            return "broadcast_invalidated_ice_candidates";
        }
    }

    /** The answer to a {@link CreateAuthorization} (the frame's ref names it). */
    record AuthorizationCreated() implements FromGateway {
        @Override
        public String event() {
            return "authorization_created";
        }
    }

    /** The sender has no relay left. */
    record NoRelays() implements FromGateway, FromClient {
        @Override
        public String event() {
            return "no_relays";
        }
    }

    // ---- portal to client

    /** On every (re)connect: the interface, the resources and the relays. */
    record ClientInit(Wire.Interface iface, List<Wire.Resource> resources, List<Wire.Relay> relays)
            implements ToClient {
        public ClientInit {
            Objects.requireNonNull(iface, "iface");
            resources = List.copyOf(resources);
            relays = List.copyOf(relays);
        }

        @Override
        public String event() {
            return "init";
        }
    }

    /** A resource was created or changed. */
    record ResourceCreatedOrUpdated(Wire.Resource resource) implements ToClient {
        public ResourceCreatedOrUpdated {
            Objects.requireNonNull(resource, "resource");
        }

        @Override
        public String event() {
            return "resource_created_or_updated";
        }
    }

    /** A resource was deleted. */
    record ResourceDeleted(String id) implements ToClient {
        public ResourceDeleted {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String event() {
            return "resource_deleted";
        }
    }

    /** The answer to a {@link RequestAuthorization}: the gateway and how to connect to it. */
    record AccessGranted(String resourceId, String gatewayId, String gatewayPublicKey, String gatewayIpv4,
            String gatewayIpv6, String siteId, String presharedKey, Wire.IceCredentials clientIce,
            Wire.IceCredentials gatewayIce) implements ToClient {
        public AccessGranted {
            Objects.requireNonNull(resourceId, "resourceId");
            Objects.requireNonNull(gatewayId, "gatewayId");
            Objects.requireNonNull(gatewayPublicKey, "gatewayPublicKey");
            Objects.requireNonNull(gatewayIpv4, "gatewayIpv4");
            Objects.requireNonNull(gatewayIpv6, "gatewayIpv6");
            Objects.requireNonNull(siteId, "siteId");
            Objects.requireNonNull(clientIce, "clientIce");
            Objects.requireNonNull(gatewayIce, "gatewayIce");
        }

        @Override
        public String event() {
            return "authorization_created";
        }

        @Override
        public String toString() {
            return "AccessGranted[" + resourceId + " via " + gatewayId + "]";
        }
    }

    /**
     * A {@link RequestAuthorization} could not be served.
     *
     * @param reason {@code not_found}, {@code offline}, {@code forbidden}, ...
     */
    record AuthorizationCreationFailed(String resourceId, String reason) implements ToClient {
        public AuthorizationCreationFailed {
            Objects.requireNonNull(resourceId, "resourceId");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String event() {
            return "authorization_creation_failed";
        }
    }

    /** A gateway's candidates. */
    record GatewayIceCandidates(String gatewayId, List<String> candidates) implements ToClient {
        public GatewayIceCandidates {
            Objects.requireNonNull(gatewayId, "gatewayId");
            candidates = List.copyOf(candidates);
        }

        @Override
        public String event() {
            return "gateway_ice_candidates";
        }
    }

    /** Candidates a gateway withdrew. */
    record InvalidateGatewayIceCandidates(String gatewayId, List<String> candidates) implements ToClient {
        public InvalidateGatewayIceCandidates {
            Objects.requireNonNull(gatewayId, "gatewayId");
            candidates = List.copyOf(candidates);
        }

        @Override
        public String event() {
            return "invalidate_gateway_ice_candidates";
        }
    }

    // ---- client to portal

    /** The client's connection intent: access to a resource, preferring these connected gateways. */
    record RequestAuthorization(String resourceId, List<String> connectedGatewayIds) implements FromClient {
        public RequestAuthorization {
            Objects.requireNonNull(resourceId, "resourceId");
            connectedGatewayIds = List.copyOf(connectedGatewayIds);
        }

        @Override
        public String event() {
            return "request_authorization";
        }
    }

    /** Local candidates for connections to these gateways. */
    record NewGatewayIceCandidates(List<String> gatewayIds, List<String> candidates) implements FromClient {
        public NewGatewayIceCandidates {
            gatewayIds = List.copyOf(gatewayIds);
            candidates = List.copyOf(candidates);
        }

        @Override
        public String event() {
            return "new_gateway_ice_candidates";
        }
    }

    /** Local candidates withdrawn. */
    record InvalidatedGatewayIceCandidates(List<String> gatewayIds, List<String> candidates) implements FromClient {
        public InvalidatedGatewayIceCandidates {
            gatewayIds = List.copyOf(gatewayIds);
            candidates = List.copyOf(candidates);
        }

        @Override
        public String event() {
            return "invalidate_gateway_ice_candidates";
        }
    }

    // ---- relay and portal

    /** The relay's fresh secret (base64), from which the portal mints TURN credentials for it. */
    record StampSecret(String secret) implements FromRelay {
        public StampSecret {
            Objects.requireNonNull(secret, "secret");
        }

        @Override
        public String event() {
            return "stamp_secret";
        }

        @Override
        public String toString() {
            return "StampSecret[secret hidden]";
        }
    }

    /** The portal accepted the relay. */
    record RelayInit() implements ToRelay {
        @Override
        public String event() {
            return "init";
        }
    }
}
