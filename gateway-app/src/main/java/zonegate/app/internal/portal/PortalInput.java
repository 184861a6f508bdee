package zonegate.app.internal.portal;

import java.util.Objects;
import zonegate.controlplane.Frame;

/** What the portal connection hands the state thread, as a command of its event loop. */
public sealed interface PortalInput {
    /** Joined: {@code init} follows as a {@link Received} frame. */
    record Connected() implements PortalInput {
    }

    /** A frame from the portal (already decoded for the receiver's direction). */
    record Received(Frame frame) implements PortalInput {
        public Received {
            Objects.requireNonNull(frame, "frame");
        }
    }

    /** The socket went down; the transport reconnects with backoff. */
    record Disconnected(String reason) implements PortalInput {
    }

    /** The portal refused our token: terminal, the runtime stops with a clear message. */
    record Refused(String reason) implements PortalInput {
    }
}
