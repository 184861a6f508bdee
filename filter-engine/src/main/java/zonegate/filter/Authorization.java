package zonegate.filter;

import java.util.List;
import java.util.Objects;

/**
 * A client's permission to reach one resource, through the given filters, until an instant.
 *
 * @param resource the resource
 * @param filters what may be sent to it; empty permits everything (copied, unmodifiable)
 * @param expiresAtUnixSeconds the instant (seconds since the Unix epoch) at which the authorisation
 *     stops matching, exactly: a packet at that instant is denied. {@link #NEVER} for no expiry.
 */
public record Authorization(Resource resource, List<Filter> filters, long expiresAtUnixSeconds) {
    /** The expiry of an authorisation that does not expire. */
    public static final long NEVER = Long.MAX_VALUE;

    public Authorization {
        Objects.requireNonNull(resource, "resource");
        filters = List.copyOf(filters);
    }

    /** An authorisation that does not expire. */
    public static Authorization permanent(Resource resource, List<Filter> filters) {
        return new Authorization(resource, filters, NEVER);
    }

    /** The resource's id. */
    public ResourceId resourceId() {
        return resource.id();
    }

    /** This authorisation with other filters, same resource and expiry. */
    public Authorization withFilters(List<Filter> newFilters) {
        return new Authorization(resource, newFilters, expiresAtUnixSeconds);
    }
}
