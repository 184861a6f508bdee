package zonegate.filter;

import java.util.Objects;

/**
 * The identity of a client as the control plane names it (logged as {@code cid}).
 *
 * @param value the id text, non-empty
 */
public record ClientId(String value) {
    public ClientId {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("client id must not be empty");
        }
    }

    /** Shorthand for {@code new ClientId(value)}. */
    public static ClientId of(String value) {
        return new ClientId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
