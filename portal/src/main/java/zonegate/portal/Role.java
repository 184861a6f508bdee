package zonegate.portal;

import zonegate.controlplane.Direction;

/** What kind of peer a session is: its URL path segment, its topic and how its frames are decoded. */
public enum Role {
    GATEWAY("gateway", Direction.FROM_GATEWAY),
    CLIENT("client", Direction.FROM_CLIENT),
    RELAY("relay", Direction.FROM_RELAY);

    private final String topic;
    private final Direction from;

    Role(String topic, Direction from) {
        this.topic = topic;
        this.from = from;
    }

    /** The Phoenix topic and the URL segment ({@code /ROLE/websocket}). */
    public String topic() {
        return topic;
    }

    /** The direction the portal decodes this role's frames with. */
    public Direction fromPeer() {
        return from;
    }
}
