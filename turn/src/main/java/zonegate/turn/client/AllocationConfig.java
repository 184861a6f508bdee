package zonegate.turn.client;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What an {@link Allocation} needs to know about its relay.
 *
 * @param server the relay's address (resolved); datagrams from any other address are not for the allocation
 * @param username the TURN long-term credential user name (at most 513 bytes of UTF-8, RFC 8489 14.3)
 * @param password the long-term credential password
 * @param ipv6Too whether to ask for an IPv6 relayed address besides the IPv4 one (ADDITIONAL-ADDRESS-FAMILY)
 */
public record AllocationConfig(InetSocketAddress server, String username, String password, boolean ipv6Too) {
    /** Longest USERNAME RFC 8489 section 14.3 allows, in bytes. */
    public static final int MAX_USERNAME_BYTES = 513;

    /**
     * @throws IllegalArgumentException for an unresolved server or an over-long user name
     */
    public AllocationConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (server.isUnresolved()) {
            throw new IllegalArgumentException("relay address must be resolved: " + server);
        }
        if (username.getBytes(StandardCharsets.UTF_8).length > MAX_USERNAME_BYTES) {
            throw new IllegalArgumentException("TURN username longer than 513 bytes");
        }
    }

    /** IPv4-only allocation on {@code server}. */
    public static AllocationConfig of(InetSocketAddress server, String username, String password) {
        return new AllocationConfig(server, username, password, false);
    }

    @Override
    public String toString() {
        return "AllocationConfig[server=" + server + ", username=" + username + ", ipv6Too=" + ipv6Too + "]";
    }
}
