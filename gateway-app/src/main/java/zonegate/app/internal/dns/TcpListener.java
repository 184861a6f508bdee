package zonegate.app.internal.dns;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;
import zonegate.app.internal.dns.ClientQuotas.Kind;
import zonegate.filter.ClientId;

/**
 * Accepts DNS-over-TCP connections on one socket and serves each on a virtual thread: queries framed
 * with a 2-byte length (RFC 1035 section 4.2.2), answered in order, as many per connection as the
 * client sends (RFC 7766 section 6.2.1).
 *
 * <p>At accept, a connection is closed at once and counted when its source is no client's tunnel
 * address, when its client has its bound of connections open, or when the shared bound
 * ({@code permits}) is reached. An open connection is closed when the next whole query does not arrive
 * within the idle timeout (a trickling client cannot hold it longer), at its maximum lifetime however
 * busy it is (a timer closes the socket, so a blocked write or a slow answer ends too), on EOF, on a
 * zero length, or after a message too broken to answer. A query beyond its client's in-flight bound is
 * answered SERVFAIL.
 */
final class TcpListener implements Runnable {
    private static final long ERROR_PAUSE_NS = 10_000_000;

    private final ServerSocketChannel server;
    private final ListenerContext context;
    private final DnsServerCounters counters;
    private final Semaphore permits;
    private final Set<SocketChannel> connections;
    private final ScheduledExecutorService lifetimeTimer;
    private final long idleTimeoutNs;
    private final long maxLifetimeNs;
    private final StateChangeLog log;

    TcpListener(ServerSocketChannel server, ListenerContext context, Semaphore permits, Set<SocketChannel> connections,
                ScheduledExecutorService lifetimeTimer, DnsServerConfig config) {
        this.server = server;
        this.context = context;
        this.counters = context.counters();
        this.permits = permits;
        this.connections = connections;
        this.lifetimeTimer = lifetimeTimer;
        this.idleTimeoutNs = config.tcpIdleTimeout().toNanos();
        this.maxLifetimeNs = config.tcpMaxLifetime().toNanos();
        this.log = new StateChangeLog("DNS over TCP on " + server.socket().getLocalSocketAddress());
    }

    @Override
    public void run() {
        while (!context.closed().getAsBoolean()) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (context.closed().getAsBoolean()) {
                    return;
                }
                counters.ioErrors.increment();
                log.onFailure(e.getClass().getSimpleName(), e.getMessage());
                LockSupport.parkNanos(ERROR_PAUSE_NS);
                continue;
            }
            admit(connection);
        }
    }

    private void admit(SocketChannel connection) {
        ClientId id = clientOf(connection);
        if (id == null) {
            counters.tcpNonClientsRefused.increment();
            GatewayDnsServer.closeQuietly(connection);
            return;
        }
        if (!context.quotas().tryAcquire(id, Kind.TCP_CONNECTIONS, 1)) {
            counters.tcpClientConnectionsRefused.increment();
            GatewayDnsServer.closeQuietly(connection);
            return;
        }
        if (!permits.tryAcquire()) {
            context.quotas().release(id, Kind.TCP_CONNECTIONS, 1);
            counters.tcpConnectionsRefused.increment();
            GatewayDnsServer.closeQuietly(connection);
            return;
        }
        connections.add(connection);
        Connection c = new Connection(connection, id);
        try {
            c.lifetime = lifetimeTimer.schedule(c::expire, maxLifetimeNs, TimeUnit.NANOSECONDS);
            context.workers().execute(c::serve);
        } catch (RejectedExecutionException e) {
            c.release();
        }
    }

    private ClientId clientOf(SocketChannel connection) {
        try {
            return connection.getRemoteAddress() instanceof InetSocketAddress remote
                    ? context.backend().clientOf(remote.getAddress()) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** One accepted connection: served on its own virtual thread, released exactly once. */
    private final class Connection {
        private final SocketChannel channel;
        private final ClientId id;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile ScheduledFuture<?> lifetime;

        Connection(SocketChannel channel, ClientId id) {
            this.channel = channel;
            this.id = id;
        }

        void serve() {
            InetSocketAddress client = null;
            try {
                client = (InetSocketAddress) channel.getRemoteAddress();
                Socket socket = channel.socket();
                InputStream in = socket.getInputStream();
                byte[] length = new byte[2];
                while (!context.closed().getAsBoolean()) {
                    long deadlineNs = System.nanoTime() + idleTimeoutNs;
                    if (!readFully(in, socket, length, deadlineNs)) {
                        return;
                    }
                    int n = (length[0] & 0xFF) << 8 | length[1] & 0xFF;
                    byte[] message = new byte[n];
                    if (n == 0 || !readFully(in, socket, message, deadlineNs)) {
                        return;
                    }
                    byte[] response = answer(message, n, client);
                    if (response == null) {
                        return;
                    }
                    ByteBuffer framed = ByteBuffer.allocate(2 + response.length).putShort((short) response.length)
                            .put(response).flip();
                    while (framed.hasRemaining()) {
                        channel.write(framed);
                    }
                }
            } catch (IOException e) {
                if (!context.closed().getAsBoolean()) {
                    Logger.trace("DNS over TCP from {}: {}", client, e.toString());
                }
            } catch (RuntimeException e) {
                Logger.error(e, "bug: serving DNS over TCP to {} failed", client);
            } finally {
                release();
            }
        }

        private byte[] answer(byte[] message, int n, InetSocketAddress client) {
            if (!context.quotas().tryAcquire(id, Kind.QUERIES, 1)) {
                counters.clientQueryLimited.increment();
                return context.handler().busy(message, n, client.getAddress());
            }
            try {
                return context.handler().answer(message, n, client.getAddress(), id, true);
            } finally {
                context.quotas().release(id, Kind.QUERIES, 1);
            }
        }

        /** Fills {@code into}; false on EOF, or when the deadline passes first (an idle close, counted). */
        private boolean readFully(InputStream in, Socket socket, byte[] into, long deadlineNs) throws IOException {
            int at = 0;
            while (at < into.length) {
                long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0) {
                    counters.tcpIdleCloses.increment();
                    return false;
                }
                socket.setSoTimeout(Math.clamp(TimeUnit.NANOSECONDS.toMillis(leftNs + 999_999), 1,
                        Integer.MAX_VALUE));
                int n;
                try {
                    n = in.read(into, at, into.length - at);
                } catch (SocketTimeoutException e) {
                    counters.tcpIdleCloses.increment();
                    return false;
                }
                if (n < 0) {
                    return false;
                }
                at += n;
            }
            return true;
        }

        void expire() {
            if (!released.get()) {
                counters.tcpLifetimeCloses.increment();
                GatewayDnsServer.closeQuietly(channel);
            }
        }

        void release() {
            if (!released.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> timer = lifetime;
            if (timer != null) {
                timer.cancel(false);
            }
            connections.remove(channel);
            GatewayDnsServer.closeQuietly(channel);
            permits.release();
            context.quotas().release(id, Kind.TCP_CONNECTIONS, 1);
        }
    }
}
