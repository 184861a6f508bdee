package zonegate.tunnel;

import java.net.InetSocketAddress;
import zonegate.filter.ClientId;
import zonegate.filter.ResourceId;

/**
 * What {@link GatewayState#pollEvent()} reports to the shell. Events are made on state changes only,
 * never per packet. Switch over them exhaustively.
 */
public sealed interface GatewayEvent {
    /** The client concerned. */
    ClientId clientId();

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
}
