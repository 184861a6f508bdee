package zonegate.tunnel;

import java.net.InetSocketAddress;
import java.util.List;
import zonegate.ice.Candidate;
import zonegate.filter.ClientId;
import zonegate.filter.ResourceId;

/**
 * What {@link GatewayState#pollEvent()} reports to the shell. Events are made on state changes only,
 * never per packet. Switch over them exhaustively.
 */
public sealed interface GatewayEvent {

    /**
     * The client's first session is up (its first packet on a new session arrived after it had none);
     * re-keys of a live session are not reported.
     *
     * @param endpoint where its datagrams come from
     */
    record ClientConnected(ClientId clientId, InetSocketAddress endpoint, long atNs) implements GatewayEvent {
    }

    /** The client's session reached its reject-after time without a new handshake: it is disconnected. */
    record ClientSessionExpired(ClientId clientId, long atNs) implements GatewayEvent {
    }

    /** An authorisation reached its expiry; packets stopped matching it at that instant. */
    record AuthorizationExpired(ClientId clientId, ResourceId resourceId) implements GatewayEvent {
    }

    /** The client went from some authorisation to none (by expiry, removal or replacement). */
    record NoAuthorizationLeft(ClientId clientId) implements GatewayEvent {
    }

    // ---- ICE mode ({@link IceGatewayState}) ------------------------------------------------------

    /** The control plane's {@code createAuthorization} was applied: answer it with authorization_created. */
    record AuthorizationCreated(ClientId clientId, ResourceId resourceId) implements GatewayEvent {
    }

    /**
     * Local ICE candidates of the client's connection to signal to the client (batched per cycle; held
     * while the control plane is disconnected and merged per client, then flushed on reconnect).
     */
    record CandidatesChanged(ClientId clientId, List<Candidate> added, List<Candidate> removed)
            implements GatewayEvent {
        public CandidatesChanged {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    /**
     * The client sent AssignedIps for a domain of one of its DNS resources: resolve {@code domain} (A and
     * AAAA) and answer with {@link IceGatewayState#domainResolved}.
     */
    record ResolveDomain(ClientId clientId, ResourceId resourceId, String domain) implements GatewayEvent {
    }

    /**
     * The client's connection failed or closed. After a failure its authorisations are kept (it may connect
     * again); after its goodbye, or when its last authorisation went, the gateway has forgotten the client.
     */
    record ConnectionLost(ClientId clientId, String reason) implements GatewayEvent {
    }

    /** The last relay allocation is gone: no relayed path is possible until the control plane sends relays. */
    record NoRelays() implements GatewayEvent {
    }
}
