package zonegate.controlplane;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link PortalClient} reaches the portal.
 *
 * <p>The socket's URL is {@code portal + "/" + role + "/websocket?" + query} (each key and value
 * URL-encoded, a key repeated once per value, in the map's order); the token goes in the header
 * {@code X-Authorization: Bearer TOKEN}.
 *
 * @param portal the portal's base URI, {@code ws://host:port} or {@code wss://host:port} (a path is kept, a
 *        trailing slash ignored)
 * @param role {@code gateway}, {@code client} or {@code relay}
 * @param token the bearer token (never logged)
 * @param query the query parameters ({@code name}, {@code public_key}, {@code address}, ...)
 * @param extraCaPem a PEM certificate or bundle trusted in addition to the JDK's default trust store
 *        ({@code --portal-ca}), or empty
 * @param heartbeatInterval time between heartbeats (default 10 s)
 * @param backoffStart the first reconnect delay's upper bound (default 250 ms)
 * @param backoffMax the reconnect delays' cap (default 30 s)
 * @param connectTimeout the longest a TCP connect plus WebSocket upgrade may take (default 10 s)
 */
public record PortalClientConfig(URI portal, String role, String token, Map<String, List<String>> query,
        Optional<Path> extraCaPem, Duration heartbeatInterval, Duration backoffStart, Duration backoffMax,
        Duration connectTimeout) {
    /** Default time between heartbeats. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    /** Default first reconnect delay bound. */
    public static final Duration DEFAULT_BACKOFF_START = Duration.ofMillis(250);
    /** Default reconnect delay cap. */
    public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(30);
    /** Default connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public PortalClientConfig {
        Objects.requireNonNull(portal, "portal");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(extraCaPem, "extraCaPem");
        if (!"ws".equalsIgnoreCase(portal.getScheme()) && !"wss".equalsIgnoreCase(portal.getScheme())) {
            throw new IllegalArgumentException("the portal URI must be ws:// or wss://, not " + portal);
        }
        directionOf(role);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        query.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "query key"), List.copyOf(v)));
        query = java.util.Collections.unmodifiableMap(copy);
        positive(heartbeatInterval, "heartbeatInterval");
        positive(backoffStart, "backoffStart");
        positive(backoffMax, "backoffMax");
        positive(connectTimeout, "connectTimeout");
        if (backoffMax.compareTo(backoffStart) < 0) {
            throw new IllegalArgumentException("backoffMax " + backoffMax + " is below backoffStart " + backoffStart);
        }
    }

    /** A configuration with the default timings and no extra CA. */
    public static PortalClientConfig of(URI portal, String role, String token, Map<String, List<String>> query) {
        return new PortalClientConfig(portal, role, token, query, Optional.empty(), DEFAULT_HEARTBEAT_INTERVAL,
                DEFAULT_BACKOFF_START, DEFAULT_BACKOFF_MAX, DEFAULT_CONNECT_TIMEOUT);
    }

    /** This configuration trusting {@code pem} too. */
    public PortalClientConfig withExtraCaPem(Path pem) {
        return new PortalClientConfig(portal, role, token, query, Optional.of(pem), heartbeatInterval, backoffStart,
                backoffMax, connectTimeout);
    }

    /** This configuration with other timings (tests and the end-to-end runs use short ones). */
    public PortalClientConfig withTimings(Duration heartbeatInterval, Duration backoffStart, Duration backoffMax,
            Duration connectTimeout) {
        return new PortalClientConfig(portal, role, token, query, extraCaPem, heartbeatInterval, backoffStart,
                backoffMax, connectTimeout);
    }

    /** What the peer decodes the portal's frames as: {@code TO_GATEWAY}, {@code TO_CLIENT} or {@code TO_RELAY}. */
    public Direction inbound() {
        return directionOf(role);
    }

    private static Direction directionOf(String role) {
        return switch (Objects.requireNonNull(role, "role")) {
            case "gateway" -> Direction.TO_GATEWAY;
            case "client" -> Direction.TO_CLIENT;
            case "relay" -> Direction.TO_RELAY;
            default -> throw new IllegalArgumentException("role must be gateway, client or relay, not " + role);
        };
    }

    private static void positive(Duration d, String name) {
        if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, not " + d);
        }
    }
}
