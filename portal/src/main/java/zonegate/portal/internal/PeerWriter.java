package zonegate.portal.internal;

import io.helidon.websocket.WsSession;
import java.util.concurrent.LinkedBlockingQueue;
import org.tinylog.Logger;
import zonegate.portal.SessionId;

/**
 * Writes one session's frames in order on its own virtual thread, so a slow socket holds up only itself.
 * Its queue is bounded by the state ({@link zonegate.portal.PortalStateConfig#maxQueuedFrames()}: the
 * state closes a session that has that many unwritten frames), and each write is reported back.
 */
public final class PeerWriter {
    private record CloseCommand(int code, String reason) {
    }

    private static final Object STOP = new Object();

    private final SessionId id;
    private final WsSession socket;
    private final StateLoop loop;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    public PeerWriter(SessionId id, WsSession socket, StateLoop loop) {
        this.id = id;
        this.socket = socket;
        this.loop = loop;
        Thread.ofVirtual().name("portal-writer-" + id).start(this::run);
    }

    void enqueue(String text) {
        queue.add(text);
    }

    void enqueueClose(int code, String reason) {
        queue.add(new CloseCommand(code, reason));
    }

    void stop() {
        queue.add(STOP);
    }

    private void run() {
        try {
            while (true) {
                Object next = queue.take();
                switch (next) {
                    case String text -> {
                        socket.send(text, true);
                        loop.onWritten(id);
                    }
                    case CloseCommand close -> {
                        socket.close(close.code(), close.reason());
                        return;
                    }
                    default -> {
                        return;
                    }
                }
            }
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException broken) {
            Logger.debug("portal: writing to {} failed: {}", id, broken.toString());
            socket.terminate();
        }
    }
}
