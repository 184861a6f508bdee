package zonegate.controlplane.internal;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import zonegate.controlplane.PortalCodec;

/**
 * The {@link WebSocket.Listener} of one portal socket: assembles text fragments up to
 * {@link PortalCodec#MAX_TEXT_CHARS} and hands what happened to the client's loop as {@link SocketInput}s.
 * Flow control: after a whole text the next message is requested by the loop once it has handled this one
 * ({@link WebSocket#request}), so the inbox holds at most one text per socket.
 */
public final class SocketListener implements WebSocket.Listener {
    private final long connection;
    private final Consumer<SocketInput> inbox;
    private final StringBuilder text = new StringBuilder();
    private boolean oversized;

    public SocketListener(long connection, Consumer<SocketInput> inbox) {
        this.connection = connection;
        this.inbox = inbox;
    }

    @Override
    public void onOpen(WebSocket socket) {
        inbox.accept(new SocketInput.Opened(connection, socket));
        socket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        if (oversized) {
            return null;
        }
        if (text.length() + data.length() > PortalCodec.MAX_TEXT_CHARS) {
            oversized = true;
            text.setLength(0);
            inbox.accept(new SocketInput.Oversized(connection));
            return null;
        }
        text.append(data);
        if (last) {
            String whole = text.toString();
            text.setLength(0);
            inbox.accept(new SocketInput.Text(connection, socket, whole));
        } else {
            socket.request(1);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
        // The protocol is text only; a binary message is ignored rather than fatal.
        socket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
        inbox.accept(new SocketInput.Closed(connection, statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket socket, Throwable error) {
        inbox.accept(new SocketInput.Failed(connection, describe(error)));
    }

    /** A one-line description of a transport failure. */
    public static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
