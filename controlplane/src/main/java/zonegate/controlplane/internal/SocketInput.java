package zonegate.controlplane.internal;

/** What a portal socket reports to the client's loop; {@code connection} is the session's number. */
public sealed interface SocketInput {
    /** The upgrade succeeded. */
    record Opened(long connection, WsConnection socket) implements SocketInput {
    }

    /** A whole text message (the loop requests the next one from {@code socket} after handling it). */
    record Text(long connection, WsConnection socket, String text) implements SocketInput {
    }

    /** A text grew past the limit; the socket reads nothing more. */
    record Oversized(long connection) implements SocketInput {
    }

    /** The portal closed the socket. */
    record Closed(long connection, int code, String reason) implements SocketInput {
    }

    /** The connect, the upgrade or the socket failed. */
    record Failed(long connection, String reason) implements SocketInput {
    }

    /** Nothing from a socket: the host called the client, commands may be waiting. */
    record Wake() implements SocketInput {
    }
}
