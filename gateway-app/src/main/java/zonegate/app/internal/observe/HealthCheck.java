package zonegate.app.internal.observe;

import java.util.Objects;

/**
 * The outcome of one health check, as {@code /healthz} and {@code /readyz} report it.
 *
 * @param name a short identifier ({@code event_loop}, {@code policy}, {@code device}, {@code portal}...)
 * @param detail what was seen, for an operator (never a secret)
 */
public record HealthCheck(String name, boolean ok, String detail) {
    public HealthCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(detail, "detail");
    }
}
