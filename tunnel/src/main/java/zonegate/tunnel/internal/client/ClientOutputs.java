package zonegate.tunnel.internal.client;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import org.tinylog.Logger;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.Transmit;

/**
 * The client's bounded output queues: datagrams, packets for the TUN device and events. What does not
 * fit is dropped and counted; latest-value events are made by the caller when polled, not queued here.
 */
public final class ClientOutputs {
    private final BufferPool pool;
    private final int capacity;
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<PooledBuffer> packets = new ArrayDeque<>();
    private final ArrayDeque<ClientEvent> events = new ArrayDeque<>();
    private long dropped;

    public ClientOutputs(BufferPool pool, int capacity) {
        this.pool = pool;
        this.capacity = capacity;
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
        if (transmits.size() >= capacity) {
            pool.release(buffer);
            dropped++;
            return;
        }
        transmits.add(new Transmit(destination, buffer));
    }

    public void packet(PooledBuffer buffer) {
        if (packets.size() >= capacity) {
            pool.release(buffer);
            dropped++;
            return;
        }
        packets.add(buffer);
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

    public Transmit pollTransmit() {
        return transmits.poll();
    }

    public PooledBuffer pollPacket() {
        return packets.poll();
    }

    public ClientEvent pollEvent() {
        return events.poll();
    }

    public boolean hasOutput() {
        return !transmits.isEmpty() || !packets.isEmpty() || !events.isEmpty();
    }

    public long dropped() {
        return dropped;
    }
}
