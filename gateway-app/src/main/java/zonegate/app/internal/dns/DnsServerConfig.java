package zonegate.app.internal.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where {@link GatewayDnsServer} listens and its bounds.
 *
 * @param listenAddresses the gateway's tunnel addresses (UDP and TCP are bound on each)
 * @param port 53, or 0 for ephemeral ports in tests
 * @param maxQueriesInFlight UDP queries being answered at once (a virtual thread each); more are dropped
 *     and counted, and the client retries
 * @param maxTcpConnections open TCP connections; more are closed at once and counted
 * @param tcpIdleTimeout how long a TCP connection may wait for its next query (RFC 7766 suggests seconds)
 * @param backendTimeout how long a query waits for the state thread ({@link DnsBackend}) before SERVFAIL
 */
public record DnsServerConfig(List<InetAddress> listenAddresses, int port, int maxQueriesInFlight,
                              int maxTcpConnections, Duration tcpIdleTimeout, Duration backendTimeout) {
    public static final int DNS_PORT = 53;
    /** A burst of a few hundred clients' lookups, each waiting up to seconds for an upstream. */
    public static final int DEFAULT_MAX_QUERIES_IN_FLIGHT = 1024;
    public static final int DEFAULT_MAX_TCP_CONNECTIONS = 128;
    public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** The state thread answers in microseconds; seconds mean it is stuck or stopped. */
    public static final Duration DEFAULT_BACKEND_TIMEOUT = Duration.ofSeconds(2);

    public DnsServerConfig {
        listenAddresses = List.copyOf(listenAddresses);
        Objects.requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
        Objects.requireNonNull(backendTimeout, "backendTimeout");
        if (port < 0 || port > 65_535 || maxQueriesInFlight < 1 || maxTcpConnections < 1
                || !tcpIdleTimeout.isPositive() || !backendTimeout.isPositive()) {
            throw new IllegalArgumentException("bad DNS server bounds: " + port + ", " + maxQueriesInFlight + ", "
                    + maxTcpConnections + ", " + tcpIdleTimeout + ", " + backendTimeout);
        }
    }

    /** Port 53 on {@code listenAddresses} with the default bounds. */
    public static DnsServerConfig of(List<InetAddress> listenAddresses) {
        return new DnsServerConfig(listenAddresses, DNS_PORT, DEFAULT_MAX_QUERIES_IN_FLIGHT,
                DEFAULT_MAX_TCP_CONNECTIONS, DEFAULT_TCP_IDLE_TIMEOUT, DEFAULT_BACKEND_TIMEOUT);
    }

    /** This configuration on another port (0: ephemeral, for tests). */
    public DnsServerConfig withPort(int newPort) {
        return new DnsServerConfig(listenAddresses, newPort, maxQueriesInFlight, maxTcpConnections, tcpIdleTimeout,
                backendTimeout);
    }
}
