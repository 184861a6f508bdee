package zonegate.app.internal.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.tinylog.Logger;
import zonegate.app.internal.dns.ClientQuotas.Kind;
import zonegate.filter.ClientId;

/**
 * Reads queries from one UDP socket and answers each on a virtual thread of its own. Before any work a
 * datagram is dropped and counted when its source is no client's tunnel address, when its client has its
 * bound of queries in flight, or when {@code permits} (the shared bound) are gone: the client retries,
 * and a flood costs no memory and no state-thread time. Responses go back from the same socket, so from
 * the tunnel address the client asked.
 */
final class UdpListener implements Runnable {
    /** After an unexpected receive error, a pause so a persistent one cannot spin a carrier. */
    private static final long ERROR_PAUSE_NS = 10_000_000;

    private final DatagramChannel channel;
    private final ListenerContext context;
    private final DnsServerCounters counters;
    private final Semaphore permits;
    private final StateChangeLog log;

    UdpListener(DatagramChannel channel, ListenerContext context, Semaphore permits) {
        this.channel = channel;
        this.context = context;
        this.counters = context.counters();
        this.permits = permits;
        this.log = new StateChangeLog("DNS over UDP on " + channel.socket().getLocalSocketAddress());
    }

    @Override
    public void run() {
        ByteBuffer buffer = ByteBuffer.allocate(UpstreamExchange.MAX_MESSAGE_BYTES);
        while (!context.closed().getAsBoolean()) {
            buffer.clear();
            SocketAddress from;
            try {
                from = channel.receive(buffer);
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
            if (from instanceof InetSocketAddress client) {
                dispatch(buffer, client);
            }
        }
    }

    private void dispatch(ByteBuffer buffer, InetSocketAddress client) {
        ClientId id = context.backend().clientOf(client.getAddress());
        if (id == null) {
            drop(counters.nonClientQueries, client, "not a client's tunnel address");
            return;
        }
        if (!context.quotas().tryAcquire(id, Kind.QUERIES, 1)) {
            drop(counters.clientQueryLimited, client, "its client has too many queries in flight");
            return;
        }
        if (!permits.tryAcquire()) {
            context.quotas().release(id, Kind.QUERIES, 1);
            drop(null, client, "too many queries in flight");
            return;
        }
        byte[] message = Arrays.copyOf(buffer.array(), buffer.position());
        try {
            context.workers().execute(() -> answer(message, client, id));
        } catch (RejectedExecutionException e) {
            permits.release();
            context.quotas().release(id, Kind.QUERIES, 1);
        }
    }

    private void drop(LongAdder reason, InetSocketAddress client, String why) {
        counters.queries.increment();
        counters.dropped.increment();
        if (reason != null) {
            reason.increment();
        }
        Logger.trace("DNS from {} dropped: {}", client, why);
    }

    private void answer(byte[] message, InetSocketAddress client, ClientId id) {
        try {
            byte[] response = context.handler().answer(message, message.length, client.getAddress(), id, false);
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
            context.quotas().release(id, Kind.QUERIES, 1);
        }
    }
}
