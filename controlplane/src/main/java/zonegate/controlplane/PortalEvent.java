package zonegate.controlplane;

import java.util.Objects;

/**
 * What the portal connection tells its host ({@link PortalSession#pollEvent}, {@link PortalClient.Listener}).
 * Switch over it exhaustively.
 */
public sealed interface PortalEvent {
    /** The join was accepted; the portal's {@code init} follows as a {@link Message}. */
    record Connected() implements PortalEvent {
    }

    /**
     * A frame from the portal (heartbeat and join replies are consumed by the session, every other reply
     * comes through: its ref names the request it answers).
     */
    record Message(Frame frame) implements PortalEvent {
        public Message {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /**
     * A connection, or an attempt at one, ended; the next attempt is scheduled after a backoff. Requests
     * sent with a ref on that connection will not be answered.
     */
    record Disconnected(String reason) implements PortalEvent {
        public Disconnected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The portal refused the token or the query ({@code missing_token}, {@code invalid_token},
     * {@code bad_request}): terminal, no reconnect.
     */
    record Refused(String reason) implements PortalEvent {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
