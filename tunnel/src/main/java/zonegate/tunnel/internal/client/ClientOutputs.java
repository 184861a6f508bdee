package zonegate.tunnel.internal.client;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.tinylog.Logger;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.internal.BufferRings;

/**
 * The client's bounded output queues: datagrams and packets for the TUN device in {@link BufferRings}
 * (queueing allocates nothing), and events. What does not fit is dropped and counted; latest-value events
 * are made by the caller when polled, not queued here.
 */
public final class ClientOutputs {
    private final BufferPool pool;
    private final int capacity;
    private final BufferRings rings;
    private final ArrayDeque<ClientEvent> events = new ArrayDeque<>();
    private long dropped;

    public ClientOutputs(BufferPool pool, int capacity) {
        this.pool = pool;
        this.capacity = capacity;
        this.rings = new BufferRings(capacity, capacity);
    }

    public BufferPool pool() {
        return pool;
    }

    /** A buffer, or null (counted). */
    public PooledBuffer acquire() {
        PooledBuffer b = pool.acquire();
        if (b == null) {
            dropped++;
        }
        return b;
    }

    public void transmit(InetSocketAddress destination, PooledBuffer buffer) {
        if (!rings.offerTransmit(destination, buffer)) {
            pool.release(buffer);
            dropped++;
        }
    }

    public void packet(PooledBuffer buffer) {
        if (!rings.offerPacket(buffer)) {
            pool.release(buffer);
            dropped++;
        }
    }

    /** A packet for the TUN device copied from {@code bytes}. */
    public void packet(byte[] bytes) {
        PooledBuffer b = acquire();
        if (b == null) {
            return;
        }
        if (b.buffer().capacity() < bytes.length) {
            pool.release(b);
            dropped++;
            return;
        }
        b.buffer().clear().put(bytes).flip();
        packet(b);
    }

    public void event(ClientEvent event) {
        if (events.size() >= capacity) {
            dropped++;
            Logger.warn("client event queue full: {} dropped", event.getClass().getSimpleName());
            return;
        }
        events.add(event);
    }

    public BufferRings rings() {
        return rings;
    }

    public ClientEvent pollEvent() {
        return events.poll();
    }

    public boolean hasOutput() {
        return rings.transmitsQueued() > 0 || rings.packetsQueued() > 0 || !events.isEmpty();
    }

    public long dropped() {
        return dropped;
    }
}
