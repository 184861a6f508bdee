package zonegate.tunnel.internal;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.GatewayDropReason;
import zonegate.tunnel.GatewayEvent;
import zonegate.tunnel.Transmit;
import zonegate.tunnel.TransmitSink;

/**
 * The gateway's bounded outputs (datagrams to send, packets for the TUN device, events) and its drop
 * counters. The buffers wait in {@link BufferRings}, so queueing allocates nothing; a full queue
 * releases the buffer to its pool and counts the drop.
 */
public final class OutputQueues {
    private final BufferPool pool;
    private final BufferRings rings;
    private final ArrayDeque<GatewayEvent> events = new ArrayDeque<>();
    private final int eventCapacity;
    private final long[] drops = new long[GatewayDropReason.values().length];
    private long eventsDropped;

    public OutputQueues(BufferPool pool, int transmitCapacity, int packetCapacity, int eventCapacity) {
        this.pool = pool;
        this.rings = new BufferRings(transmitCapacity, packetCapacity);
        this.eventCapacity = eventCapacity;
    }

    /** Queues a datagram (at the buffer's [position, limit)), or releases it and counts the drop. */
    public void offerTransmit(InetSocketAddress destination, PooledBuffer buffer) {
        if (destination == null) {
            count(GatewayDropReason.NO_SESSION);
            pool.release(buffer);
            return;
        }
        if (!rings.offerTransmit(destination, buffer)) {
            count(GatewayDropReason.TRANSMIT_QUEUE_FULL);
            pool.release(buffer);
        }
    }

    /** Queues a packet for the TUN device (at [position, limit)), or releases it and counts the drop. */
    public void offerPacket(PooledBuffer buffer) {
        if (!rings.offerPacket(buffer)) {
            count(GatewayDropReason.PACKET_QUEUE_FULL);
            pool.release(buffer);
        }
    }

    public void offerEvent(GatewayEvent event) {
        if (events.size() >= eventCapacity) {
            eventsDropped++;
            return;
        }
        events.add(event);
    }

    /** The next datagram with its destination (allocates the {@link Transmit}), or null. */
    public Transmit pollTransmit() {
        return rings.pollTransmit();
    }

    public int drainTransmits(TransmitSink sink, int limit) {
        return rings.drainTransmits(sink, limit);
    }

    public PooledBuffer pollPacket() {
        return rings.pollPacket();
    }

    public GatewayEvent pollEvent() {
        return events.poll();
    }

    public int transmitsQueued() {
        return rings.transmitsQueued();
    }

    public int packetsQueued() {
        return rings.packetsQueued();
    }

    public void count(GatewayDropReason reason) {
        drops[reason.ordinal()]++;
    }

    public long dropCount(GatewayDropReason reason) {
        return drops[reason.ordinal()];
    }

    public long eventsDropped() {
        return eventsDropped;
    }
}
