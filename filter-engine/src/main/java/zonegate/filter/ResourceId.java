package zonegate.filter;

import java.util.Objects;

/**
 * The identity of a resource as the control plane names it (a UUID in Firezone, any non-empty string
 * here). Ids order lexicographically by UTF-16 code unit ({@link String#compareTo}); that order is the
 * last tie-break of the routing table, so two resources never tie.
 *
 * @param value the id text, non-empty, compared case-sensitively
 */
public record ResourceId(String value) implements Comparable<ResourceId> {
    public ResourceId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("resource id must not be empty");
        }
    }

    /** Shorthand for {@code new ResourceId(value)}. */
    public static ResourceId of(String value) {
        return new ResourceId(value);
    }

    @Override
    public int compareTo(ResourceId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
