package zonegate.portal;

import java.util.Objects;
import zonegate.controlplane.Frame;

/** What {@link PortalState#pollOutput()} asks the transport to do. Switch over it exhaustively. */
public sealed interface PortalOutput {
    /** The session the output is for. */
    SessionId session();

    /** Write one frame (one text message) to the session's socket. */
    record Send(SessionId session, Frame frame) implements PortalOutput {
        public Send {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(frame, "frame");
        }
    }

    /**
     * Close the session's socket with this WebSocket close code (4001 credentials no longer valid, 4002
     * replaced, 4003 heartbeat timeout, 4004 too slow, 4005 too many sessions). The state has already
     * forgotten the session: the transport need not call {@link PortalState#disconnect} for it.
     */
    record Close(SessionId session, int code, String reason) implements PortalOutput {
        public Close {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
