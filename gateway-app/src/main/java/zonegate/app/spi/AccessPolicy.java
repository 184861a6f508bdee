package zonegate.app.spi;

import java.util.Objects;
import zonegate.filter.Authorization;
import zonegate.filter.ClientId;
import zonegate.filter.ResourceId;

/**
 * One grant: a client may reach a resource until an instant.
 *
 * @param client the client
 * @param resource the resource
 * @param expiresAtUnixSeconds the instant (seconds since the Unix epoch) the grant stops matching, or
 *     {@link Authorization#NEVER}
 */
public record AccessPolicy(ClientId client, ResourceId resource, long expiresAtUnixSeconds) {
    public AccessPolicy {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(resource, "resource");
    }

    /** Whether the grant has stopped matching at {@code nowUnixSeconds}. */
    public boolean isExpiredAt(long nowUnixSeconds) {
        return nowUnixSeconds >= expiresAtUnixSeconds;
    }
}
