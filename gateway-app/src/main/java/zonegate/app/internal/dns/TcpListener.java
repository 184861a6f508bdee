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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.tinylog.Logger;

/**
 * Accepts DNS-over-TCP connections on one socket and serves each on a virtual thread: queries framed
 * with a 2-byte length (RFC 1035 section 4.2.2), answered in order, as many per connection as the
 * client sends (RFC 7766 section 6.2.1). A connection is closed when the next complete query does not
 * arrive within the idle timeout (a trickling client cannot hold it longer), on EOF, on a zero length,
 * or after a message too broken to answer. At most {@code permits} connections are open; more are
 * closed at once and counted.
 */
final class TcpListener implements Runnable {
    private static final long ERROR_PAUSE_NS = 10_000_000;

    private final ServerSocketChannel server;
    private final DnsQueryHandler handler;
    private final DnsServerCounters counters;
    private final Semaphore permits;
    private final Set<SocketChannel> connections;
    private final ExecutorService workers;
    private final long idleTimeoutNs;
    private final BooleanSupplier closed;
    private final StateChangeLog log;

    TcpListener(ServerSocketChannel server, DnsQueryHandler handler, DnsServerCounters counters, Semaphore permits,
                Set<SocketChannel> connections, ExecutorService workers, long idleTimeoutNs, BooleanSupplier closed) {
        this.server = server;
        this.handler = handler;
        this.counters = counters;
        this.permits = permits;
        this.connections = connections;
        this.workers = workers;
        this.idleTimeoutNs = idleTimeoutNs;
        this.closed = closed;
        this.log = new StateChangeLog("DNS over TCP on " + server.socket().getLocalSocketAddress());
    }

    @Override
    public void run() {
        while (!closed.getAsBoolean()) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed.getAsBoolean()) {
                    return;
                }
                counters.ioErrors.increment();
                log.onFailure(e.getClass().getSimpleName(), e.getMessage());
                LockSupport.parkNanos(ERROR_PAUSE_NS);
                continue;
            }
            if (!permits.tryAcquire()) {
                counters.tcpConnectionsRefused.increment();
                GatewayDnsServer.closeQuietly(connection);
                continue;
            }
            connections.add(connection);
            try {
                workers.execute(() -> serve(connection));
            } catch (RejectedExecutionException e) {
                release(connection);
                return;
            }
        }
    }

    private void serve(SocketChannel connection) {
        InetSocketAddress client = null;
        try {
            client = (InetSocketAddress) connection.getRemoteAddress();
            Socket socket = connection.socket();
            InputStream in = socket.getInputStream();
            byte[] length = new byte[2];
            while (!closed.getAsBoolean()) {
                long deadlineNs = System.nanoTime() + idleTimeoutNs;
                if (!readFully(in, socket, length, deadlineNs)) {
                    return;
                }
                int n = (length[0] & 0xFF) << 8 | length[1] & 0xFF;
                byte[] message = new byte[n];
                if (n == 0 || !readFully(in, socket, message, deadlineNs)) {
                    return;
                }
                byte[] response = handler.answer(message, n, client.getAddress(), true);
                if (response == null) {
                    return;
                }
                ByteBuffer framed = ByteBuffer.allocate(2 + response.length).putShort((short) response.length)
                        .put(response).flip();
                while (framed.hasRemaining()) {
                    connection.write(framed);
                }
            }
        } catch (IOException e) {
            if (!closed.getAsBoolean()) {
                Logger.trace("DNS over TCP from {}: {}", client, e.toString());
            }
        } catch (RuntimeException e) {
            Logger.error(e, "bug: serving DNS over TCP to {} failed", client);
        } finally {
            release(connection);
        }
    }

    private void release(SocketChannel connection) {
        connections.remove(connection);
        GatewayDnsServer.closeQuietly(connection);
        permits.release();
    }

    /** Fills {@code into}; false on EOF or when the deadline passes first. */
    private static boolean readFully(InputStream in, Socket socket, byte[] into, long deadlineNs) throws IOException {
        int at = 0;
        while (at < into.length) {
            long leftNs = deadlineNs - System.nanoTime();
            if (leftNs <= 0) {
                return false;
            }
            socket.setSoTimeout(Math.clamp(TimeUnit.NANOSECONDS.toMillis(leftNs + 999_999), 1,
                    Integer.MAX_VALUE));
            int n;
            try {
                n = in.read(into, at, into.length - at);
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (n < 0) {
                return false;
            }
            at += n;
        }
        return true;
    }
}
