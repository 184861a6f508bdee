package zonegate.controlplane.internal;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * The life of one portal socket on a virtual thread of its own: opens the {@link WsConnection}, then
 * reads it, handing what happened to the client's loop as {@link SocketInput}s. Flow control: after a
 * whole text the reader waits until the loop has handled it ({@link WsConnection#request()}), so the
 * inbox holds at most one text per socket.
 */
public final class SocketListener implements WsConnection.Listener, Runnable {
    private final long connection;
    private final WsConnection socket;
    private final Consumer<SocketInput> inbox;

    public SocketListener(long connection, WsConnection socket, Consumer<SocketInput> inbox) {
        this.connection = connection;
        this.socket = socket;
        this.inbox = inbox;
    }

    @Override
    public void run() {
        try {
            socket.open();
        } catch (IOException | IllegalArgumentException e) {
            inbox.accept(new SocketInput.Failed(connection, WsConnection.describe(e)));
            return;
        }
        inbox.accept(new SocketInput.Opened(connection, socket));
        socket.read(this);
    }

    @Override
    public void onText(String text) {
        inbox.accept(new SocketInput.Text(connection, socket, text));
    }

    @Override
    public void onOversized() {
        inbox.accept(new SocketInput.Oversized(connection));
    }

    @Override
    public void onClosed(int code, String reason) {
        inbox.accept(new SocketInput.Closed(connection, code, reason));
    }

    @Override
    public void onFailed(String reason) {
        inbox.accept(new SocketInput.Failed(connection, reason));
    }
}
