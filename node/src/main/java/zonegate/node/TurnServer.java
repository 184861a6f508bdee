package zonegate.node;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A relay the control plane names, with the long-term TURN credentials for it.
 *
 * @param address the relay's resolved address (its listen socket, usually port 3478)
 */
public record TurnServer(InetSocketAddress address, String username, String password) {
    public TurnServer {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        return "TurnServer[" + address + ", username=" + username + "]";
    }
}
