package zonegate.portal.internal;

import java.util.List;
import zonegate.portal.Role;
import zonegate.portal.SessionId;

/** One authenticated socket: who it is, what it offered, when it was last heard from. */
public final class Session {
    final SessionId id;
    final Role role;
    final String identity;
    final String publicKey;
    final List<String> relayAddresses;
    long lastFrameNs;
    boolean joined;
    int queuedFrames;
    private long nextRef = 1;

    Session(SessionId id, Role role, String identity, String publicKey, List<String> relayAddresses, long nowNs) {
        this.id = id;
        this.role = role;
        this.identity = identity;
        this.publicKey = publicKey;
        this.relayAddresses = List.copyOf(relayAddresses);
        this.lastFrameNs = nowNs;
    }

    /** The ref of the portal's next request on this socket ("1", "2", ...). */
    String nextRef() {
        return Long.toString(nextRef++);
    }

    /** The id of the session. */
    public SessionId id() {
        return id;
    }

    @Override
    public String toString() {
        return role.topic() + " " + identity + " (" + id + ")";
    }
}
