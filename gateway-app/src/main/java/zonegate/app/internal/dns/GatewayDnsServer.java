package zonegate.app.internal.dns;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * The DNS server stock WireGuard clients use: it listens on the gateway's tunnel addresses (the
 * {@code DNS =} line of {@code zonegate client-config}), whose packets the gateway state machine writes
 * to the TUN device so the host kernel hands them to these sockets. Each query is answered by
 * {@link DnsQueryHandler}: DNS resources with proxy addresses, other names through the upstream
 * resolvers, the rest REFUSED.
 *
 * <p>Only clients are served: a datagram or connection whose source is no client's tunnel address
 * ({@link DnsBackend#clientOf}) is dropped or closed at once, and each client has its own bounds on
 * queries in flight, TCP connections and upstream exchanges beside the shared ones, so one client cannot
 * starve the others ({@link DnsServerConfig}).
 *
 * <p>Threads (all virtual): one reader per UDP socket, which hands each datagram to a virtual thread of
 * its own (at most {@link DnsServerConfig#maxQueriesInFlight()}; beyond that datagrams are dropped and
 * counted, and the client's retry comes later); one acceptor per TCP socket and one virtual thread per
 * connection (at most {@link DnsServerConfig#maxTcpConnections()}), which answers its queries in order
 * (RFC 7766 framing: a 2-byte length before each message) and closes the connection when no complete
 * query arrives within {@link DnsServerConfig#tcpIdleTimeout()}; one timer thread closes connections at
 * {@link DnsServerConfig#tcpMaxLifetime()}.
 *
 * <pre>{@code
 * var upstream = new UpstreamResolver(UpstreamConfig.of(resolvers));
 * try (var dns = GatewayDnsServer.start(DnsServerConfig.of(tunnelAddresses), backend, upstream)) {
 *     ...                                   // serve until the gateway stops
 * }                                         // close() stops every thread and closes the resolver
 * }</pre>
 */
public final class GatewayDnsServer implements AutoCloseable {
    private static final int TCP_BACKLOG = 64;
    private static final long CLOSE_WAIT_MS = 1_000;

    private final DnsServerConfig config;
    private final UpstreamResolver upstream;
    private final DnsServerCounters counters = new DnsServerCounters();
    private final ListenerContext context;
    private final List<DatagramChannel> udpChannels = new ArrayList<>();
    private final List<ServerSocketChannel> tcpChannels = new ArrayList<>();
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Semaphore queryPermits;
    private final Semaphore connectionPermits;
    private final ExecutorService workers =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("dns-query-", 0).factory());
    private final ScheduledThreadPoolExecutor lifetimeTimer =
            new ScheduledThreadPoolExecutor(1, Thread.ofVirtual().name("dns-tcp-lifetime").factory());
    private final List<Thread> listeners = new ArrayList<>();
    private volatile boolean closed;

    private GatewayDnsServer(DnsServerConfig config, DnsBackend backend, UpstreamResolver upstream) {
        this.config = config;
        this.upstream = upstream;
        ClientQuotas quotas = new ClientQuotas(config.maxTcpConnectionsPerClient(),
                config.maxQueriesInFlightPerClient(), config.maxUpstreamExchangesPerClient());
        DnsQueryHandler handler = new DnsQueryHandler(backend, upstream, counters, quotas,
                config.backendTimeout().toNanos());
        this.context = new ListenerContext(handler, backend, counters, quotas, workers, () -> closed);
        lifetimeTimer.setRemoveOnCancelPolicy(true);
        this.queryPermits = new Semaphore(config.maxQueriesInFlight());
        this.connectionPermits = new Semaphore(config.maxTcpConnections());
    }

    /**
     * Binds UDP and TCP on every listen address and starts serving. From this call on the server owns
     * {@code upstream} and closes it in {@link #close()} (also when binding fails).
     *
     * @throws IOException if an address cannot be bound (not assigned to an interface yet, port in use,
     *     port 53 without CAP_NET_BIND_SERVICE); nothing stays open then
     */
    public static GatewayDnsServer start(DnsServerConfig config, DnsBackend backend, UpstreamResolver upstream)
            throws IOException {
        GatewayDnsServer server = new GatewayDnsServer(config, backend, upstream);
        try {
            server.bind();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        for (DatagramChannel channel : server.udpChannels) {
            server.listen("dns-udp", () -> server.serveUdp(channel));
        }
        for (ServerSocketChannel channel : server.tcpChannels) {
            server.listen("dns-tcp", () -> server.acceptTcp(channel));
        }
        Logger.info("DNS server listening on {} (UDP and TCP)", server.udpAddresses());
        return server;
    }

    /** The bound UDP addresses, in listen-address order (ports differ from the config's when it said 0). */
    public List<InetSocketAddress> udpAddresses() {
        return udpChannels.stream().map(c -> (InetSocketAddress) c.socket().getLocalSocketAddress()).toList();
    }

    /** The bound TCP addresses, in listen-address order. */
    public List<InetSocketAddress> tcpAddresses() {
        return tcpChannels.stream().map(c -> (InetSocketAddress) c.socket().getLocalSocketAddress()).toList();
    }

    public DnsServerCounters counters() {
        return counters;
    }

    public UpstreamCounters upstreamCounters() {
        return upstream.counters();
    }

    /**
     * Stops listening, closes the TCP connections and the upstream resolver (queries in flight fail and
     * are not answered), and waits up to 1 s for the threads to end. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        udpChannels.forEach(GatewayDnsServer::closeQuietly);
        tcpChannels.forEach(GatewayDnsServer::closeQuietly);
        connections.forEach(GatewayDnsServer::closeQuietly);
        upstream.close();
        lifetimeTimer.shutdownNow();
        workers.shutdownNow();
        try {
            long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
            for (Thread listener : listeners) {
                listener.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime())));
            }
            workers.awaitTermination(Math.max(1, deadlineNs - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void bind() throws IOException {
        for (InetAddress address : config.listenAddresses()) {
            var family = address instanceof Inet4Address ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6;
            DatagramChannel udp = DatagramChannel.open(family);
            udpChannels.add(udp);
            udp.bind(new InetSocketAddress(address, config.port()));
            ServerSocketChannel tcp = ServerSocketChannel.open(family);
            tcpChannels.add(tcp);
            tcp.bind(new InetSocketAddress(address, config.port()), TCP_BACKLOG);
        }
    }

    private void listen(String name, Runnable loop) {
        listeners.add(Thread.ofVirtual().name(name).start(loop));
    }

    private void serveUdp(DatagramChannel channel) {
        new UdpListener(channel, context, queryPermits).run();
    }

    private void acceptTcp(ServerSocketChannel channel) {
        new TcpListener(channel, context, connectionPermits, connections, lifetimeTimer, config).run();
    }

    static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing while shutting down or after a failed connection; nothing left to do with it
        }
    }
}
