package zonegate.app.internal.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where {@link GatewayDnsServer} listens and its bounds. Each shared bound has a smaller per-client one
 * (a client is the owner of the query's source address, both of its tunnel addresses together), so one
 * client cannot take a shared bound from the others.
 *
 * @param listenAddresses the gateway's tunnel addresses (UDP and TCP are bound on each)
 * @param port 53, or 0 for ephemeral ports in tests
 * @param maxQueriesInFlight UDP queries being answered at once (a virtual thread each); more are dropped
 *     and counted, and the client retries
 * @param maxTcpConnections open TCP connections; more are closed at once and counted
 * @param tcpIdleTimeout how long a TCP connection may take to deliver its next whole query (RFC 7766
 *     suggests seconds); a client trickling bytes is closed at it
 * @param backendTimeout how long a query waits for the state thread ({@link DnsBackend}) before SERVFAIL
 * @param maxQueriesInFlightPerClient queries (UDP and TCP) one client may have being answered; beyond it a
 *     UDP query is dropped and a TCP one answered SERVFAIL, counted
 * @param maxTcpConnectionsPerClient open TCP connections of one client; more are closed at once, counted
 * @param maxUpstreamExchangesPerClient upstream exchanges one client's queries may hold (a DNS resource's
 *     lookup takes 2, a forwarded query 1); beyond it SERVFAIL, counted
 * @param tcpMaxLifetime how long a TCP connection may stay open however busy it is; it is closed then,
 *     even in the middle of a query or a blocked write
 */
public record DnsServerConfig(List<InetAddress> listenAddresses, int port, int maxQueriesInFlight,
                              int maxTcpConnections, Duration tcpIdleTimeout, Duration backendTimeout,
                              int maxQueriesInFlightPerClient, int maxTcpConnectionsPerClient,
                              int maxUpstreamExchangesPerClient, Duration tcpMaxLifetime) {
    public static final int DNS_PORT = 53;
    /** A burst of a few hundred clients' lookups, each waiting up to seconds for an upstream. */
    public static final int DEFAULT_MAX_QUERIES_IN_FLIGHT = 1024;
    public static final int DEFAULT_MAX_TCP_CONNECTIONS = 128;
    public static final Duration DEFAULT_TCP_IDLE_TIMEOUT = Duration.ofSeconds(10);
    /** The state thread answers in microseconds; seconds mean it is stuck or stopped. */
    public static final Duration DEFAULT_BACKEND_TIMEOUT = Duration.ofSeconds(2);
    /** A stub resolver's parallel lookups for a page, with room to spare; 1/32 of the shared bound. */
    public static final int DEFAULT_MAX_QUERIES_IN_FLIGHT_PER_CLIENT = 32;
    /** Stub resolvers open one or two; 1/16 of the shared bound. */
    public static final int DEFAULT_MAX_TCP_CONNECTIONS_PER_CLIENT = 8;
    /** 8 DNS-resource lookups or 16 forwarded queries; 1/16 of the upstream resolver's shared bound. */
    public static final int DEFAULT_MAX_UPSTREAM_EXCHANGES_PER_CLIENT = 16;
    public static final Duration DEFAULT_TCP_MAX_LIFETIME = Duration.ofSeconds(120);

    public DnsServerConfig {
        listenAddresses = List.copyOf(listenAddresses);
        Objects.requireNonNull(tcpIdleTimeout, "tcpIdleTimeout");
        Objects.requireNonNull(backendTimeout, "backendTimeout");
        Objects.requireNonNull(tcpMaxLifetime, "tcpMaxLifetime");
        if (port < 0 || port > 65_535 || maxQueriesInFlight < 1 || maxTcpConnections < 1
                || !tcpIdleTimeout.isPositive() || !backendTimeout.isPositive() || maxQueriesInFlightPerClient < 1
                || maxTcpConnectionsPerClient < 1 || maxUpstreamExchangesPerClient < 2
                || !tcpMaxLifetime.isPositive()) {
            throw new IllegalArgumentException("bad DNS server bounds: " + port + ", " + maxQueriesInFlight + ", "
                    + maxTcpConnections + ", " + tcpIdleTimeout + ", " + backendTimeout + ", per client "
                    + maxQueriesInFlightPerClient + ", " + maxTcpConnectionsPerClient + ", "
                    + maxUpstreamExchangesPerClient + ", " + tcpMaxLifetime);
        }
    }

    /** Port 53 on {@code listenAddresses} with the default bounds. */
    public static DnsServerConfig of(List<InetAddress> listenAddresses) {
        return new DnsServerConfig(listenAddresses, DNS_PORT, DEFAULT_MAX_QUERIES_IN_FLIGHT,
                DEFAULT_MAX_TCP_CONNECTIONS, DEFAULT_TCP_IDLE_TIMEOUT, DEFAULT_BACKEND_TIMEOUT,
                DEFAULT_MAX_QUERIES_IN_FLIGHT_PER_CLIENT, DEFAULT_MAX_TCP_CONNECTIONS_PER_CLIENT,
                DEFAULT_MAX_UPSTREAM_EXCHANGES_PER_CLIENT, DEFAULT_TCP_MAX_LIFETIME);
    }

    /** This configuration on another port (0: ephemeral, for tests). */
    public DnsServerConfig withPort(int newPort) {
        return new DnsServerConfig(listenAddresses, newPort, maxQueriesInFlight, maxTcpConnections, tcpIdleTimeout,
                backendTimeout, maxQueriesInFlightPerClient, maxTcpConnectionsPerClient, maxUpstreamExchangesPerClient,
                tcpMaxLifetime);
    }

    /** This configuration with other shared bounds and backend timeout. */
    public DnsServerConfig withSharedBounds(int queries, int tcpConnections, Duration backend) {
        return new DnsServerConfig(listenAddresses, port, queries, tcpConnections, tcpIdleTimeout, backend,
                maxQueriesInFlightPerClient, maxTcpConnectionsPerClient, maxUpstreamExchangesPerClient,
                tcpMaxLifetime);
    }

    /** This configuration with other per-client bounds. */
    public DnsServerConfig withPerClientBounds(int queries, int tcpConnections, int upstreamExchanges) {
        return new DnsServerConfig(listenAddresses, port, maxQueriesInFlight, maxTcpConnections, tcpIdleTimeout,
                backendTimeout, queries, tcpConnections, upstreamExchanges, tcpMaxLifetime);
    }

    /** This configuration with another TCP idle timeout and maximum connection lifetime. */
    public DnsServerConfig withTcpTimeouts(Duration idle, Duration maxLifetime) {
        return new DnsServerConfig(listenAddresses, port, maxQueriesInFlight, maxTcpConnections, idle, backendTimeout,
                maxQueriesInFlightPerClient, maxTcpConnectionsPerClient, maxUpstreamExchangesPerClient, maxLifetime);
    }
}
