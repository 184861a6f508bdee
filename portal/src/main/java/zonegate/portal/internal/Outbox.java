package zonegate.portal.internal;

import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.Set;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalMessage;
import zonegate.portal.PortalOutput;

/**
 * The outputs waiting for the transport, and the per-session bound: a session with more frames handed
 * out and not yet written than the bound is marked too slow (the state closes it after the input).
 */
final class Outbox {
    private final ArrayDeque<PortalOutput> outputs = new ArrayDeque<>();
    private final Set<Session> tooSlow = new LinkedHashSet<>();
    private final int maxQueuedFrames;

    Outbox(int maxQueuedFrames) {
        this.maxQueuedFrames = maxQueuedFrames;
    }

    void send(Session to, String topic, String ref, PortalMessage message) {
        if (to.queuedFrames >= maxQueuedFrames) {
            tooSlow.add(to);
            return;
        }
        to.queuedFrames++;
        outputs.add(new PortalOutput.Send(to.id, new Frame(topic, ref, message)));
    }

    void send(Session to, String ref, PortalMessage message) {
        send(to, to.role.topic(), ref, message);
    }

    void close(Session session, int code, String reason) {
        outputs.add(new PortalOutput.Close(session.id, code, reason));
    }

    /** The sessions found too slow since the last call. */
    Set<Session> takeTooSlow() {
        Set<Session> taken = Set.copyOf(tooSlow);
        tooSlow.clear();
        return taken;
    }

    PortalOutput poll() {
        return outputs.poll();
    }
}
