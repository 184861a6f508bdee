package zonegate.app.embed;

import java.io.IOException;
import java.util.Objects;

/**
 * The gateway could not be opened: its message says what to do, {@link #reason()} what went wrong, and the
 * cause (when there is one) is the failed system call ({@code zonegate.shell.io.NativeIoException}). Nothing
 * the failed open made is left behind: the device and the sockets are closed again.
 */
public final class GatewayStartException extends IOException {
    private static final long serialVersionUID = 1L;

    /** What kept the gateway from opening. */
    public enum Reason {
        /** The process lacks CAP_NET_ADMIN (needed to create the TUN device and set its addresses). */
        MISSING_CAPABILITY,
        /** A network interface with the requested name already exists. */
        INTERFACE_EXISTS,
        /** Another socket holds the listen port (EADDRINUSE). */
        PORT_IN_USE,
        /** There is no {@code /dev/net/tun} (no TUN driver, or a container without the device). */
        NO_TUN_DEVICE,
        /** Any other failed system call; see the cause. */
        IO_ERROR
    }

    private final Reason reason;

    GatewayStartException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** What went wrong. */
    public Reason reason() {
        return reason;
    }
}
