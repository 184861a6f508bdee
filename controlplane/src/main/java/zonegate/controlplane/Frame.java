package zonegate.controlplane;

import java.util.Objects;

/**
 * One message on the socket, as JSON {@code {"topic": ..., "event": ..., "ref": ..., "payload": {...}}}.
 *
 * @param topic {@code gateway}, {@code client}, {@code relay}, or {@code phoenix} for heartbeats
 * @param ref the sender's reference (a request's, echoed in its answer), or null
 * @param message the event and its payload
 */
public record Frame(String topic, String ref, PortalMessage message) {
    public Frame {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(message, "message");
    }
}
