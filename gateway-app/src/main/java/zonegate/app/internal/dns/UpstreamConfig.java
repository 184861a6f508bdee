package zonegate.app.internal.dns;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where and how {@link UpstreamResolver} asks: the servers (UDP and TCP on the same port), the time one
 * try may take, how many tries a query gets (each on the next server) and how many upstream exchanges
 * may be in flight at once (each holds a socket; beyond it queries fail fast with
 * {@link UpstreamFailure#BUSY}).
 */
public record UpstreamConfig(List<InetSocketAddress> servers, Duration tryTimeout, int tries, int maxInFlight) {
    public static final int DNS_PORT = 53;
    /** Long enough for a cold recursive lookup, short enough that the client's own retry is not wasted. */
    public static final Duration DEFAULT_TRY_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_TRIES = 2;
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;

    public UpstreamConfig {
        servers = List.copyOf(servers);
        Objects.requireNonNull(tryTimeout, "tryTimeout");
        if (tryTimeout.isNegative() || tryTimeout.isZero() || tries < 1 || maxInFlight < 2) {
            throw new IllegalArgumentException("need a positive timeout, tries >= 1 and maxInFlight >= 2");
        }
    }

    /** The given resolvers on port 53, with a 2 s timeout per try, 2 tries and 256 exchanges in flight. */
    public static UpstreamConfig of(List<InetAddress> resolvers) {
        return new UpstreamConfig(resolvers.stream().map(a -> new InetSocketAddress(a, DNS_PORT)).toList(),
                DEFAULT_TRY_TIMEOUT, DEFAULT_TRIES, DEFAULT_MAX_IN_FLIGHT);
    }
}
