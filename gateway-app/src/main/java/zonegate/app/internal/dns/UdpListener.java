package zonegate.app.internal.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.tinylog.Logger;

/**
 * Reads queries from one UDP socket and answers each on a virtual thread of its own, at most as many at
 * once as {@code permits} allows (a datagram beyond that is dropped and counted: the client retries,
 * and a flood costs no memory). Responses go back from the same socket, so from the tunnel address the
 * client asked.
 */
final class UdpListener implements Runnable {
    /** After an unexpected receive error, a pause so a persistent one cannot spin a carrier. */
    private static final long ERROR_PAUSE_NS = 10_000_000;

    private final DatagramChannel channel;
    private final DnsQueryHandler handler;
    private final DnsServerCounters counters;
    private final Semaphore permits;
    private final ExecutorService workers;
    private final BooleanSupplier closed;
    private final StateChangeLog log;

    UdpListener(DatagramChannel channel, DnsQueryHandler handler, DnsServerCounters counters, Semaphore permits,
                ExecutorService workers, BooleanSupplier closed) {
        this.channel = channel;
        this.handler = handler;
        this.counters = counters;
        this.permits = permits;
        this.workers = workers;
        this.closed = closed;
        this.log = new StateChangeLog("DNS over UDP on " + channel.socket().getLocalSocketAddress());
    }

    @Override
    public void run() {
        ByteBuffer buffer = ByteBuffer.allocate(UpstreamExchange.MAX_MESSAGE_BYTES);
        while (!closed.getAsBoolean()) {
            buffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(buffer);
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
            if (!(from instanceof InetSocketAddress client)) {
                continue;
            }
            if (!permits.tryAcquire()) {
                counters.queries.increment();
                counters.dropped.increment();
                Logger.trace("DNS from {} dropped: too many queries in flight", client);
                continue;
            }
            byte[] message = Arrays.copyOf(buffer.array(), buffer.position());
            try {
                workers.execute(() -> answer(message, client));
            } catch (RejectedExecutionException e) {
                permits.release();
                return;
            }
        }
    }

    private void answer(byte[] message, InetSocketAddress client) {
        try {
            byte[] response = handler.answer(message, message.length, client.getAddress(), false);
            if (response != null) {
                channel.send(ByteBuffer.wrap(response), client);
                log.onSuccess();
            }
        } catch (ClosedChannelException e) {
            // the server is closing; the client will retry elsewhere
        } catch (IOException e) {
            counters.ioErrors.increment();
            log.onFailure(e.getClass().getSimpleName(), e.getMessage());
        } catch (RuntimeException e) {
            Logger.error(e, "bug: answering a DNS query from {} failed", client);
        } finally {
            permits.release();
        }
    }
}
