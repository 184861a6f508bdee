package zonegate.tunnel.internal;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.GatewayDropReason;
import zonegate.tunnel.GatewayEvent;
import zonegate.tunnel.TransmitSink;

/**
 * The gateway's bounded outputs (datagrams to send, packets for the TUN device, events) and its drop
 * counters. Rings of preallocated slots, so queueing allocates nothing; a full queue releases the
 * buffer to its pool and counts the drop.
 */
public final class OutputQueues {
    private final BufferPool pool;
    private final InetSocketAddress[] transmitDestinations;
    private final PooledBuffer[] transmitBuffers;
    private int transmitHead;
    private int transmitSize;
    private final PooledBuffer[] packets;
    private int packetHead;
    private int packetSize;
    private final ArrayDeque<GatewayEvent> events = new ArrayDeque<>();
    private final int eventCapacity;
    private final long[] drops = new long[GatewayDropReason.values().length];
    private long eventsDropped;

    public OutputQueues(BufferPool pool, int transmitCapacity, int packetCapacity, int eventCapacity) {
        this.pool = pool;
        this.transmitDestinations = new InetSocketAddress[transmitCapacity];
        this.transmitBuffers = new PooledBuffer[transmitCapacity];
        this.packets = new PooledBuffer[packetCapacity];
        this.eventCapacity = eventCapacity;
    }

    /** Queues a datagram (at the buffer's [position, limit)), or releases it and counts the drop. */
    public void offerTransmit(InetSocketAddress destination, PooledBuffer buffer) {
        if (destination == null) {
            count(GatewayDropReason.NO_SESSION);
            pool.release(buffer);
            return;
        }
        if (transmitSize == transmitBuffers.length) {
            count(GatewayDropReason.TRANSMIT_QUEUE_FULL);
            pool.release(buffer);
            return;
        }
        int tail = (transmitHead + transmitSize++) % transmitBuffers.length;
        transmitDestinations[tail] = destination;
        transmitBuffers[tail] = buffer;
    }

    /** Queues a packet for the TUN device (at [position, limit)), or releases it and counts the drop. */
    public void offerPacket(PooledBuffer buffer) {
        if (packetSize == packets.length) {
            count(GatewayDropReason.PACKET_QUEUE_FULL);
            pool.release(buffer);
            return;
        }
        packets[(packetHead + packetSize++) % packets.length] = buffer;
    }

    public void offerEvent(GatewayEvent event) {
        if (events.size() >= eventCapacity) {
            eventsDropped++;
            return;
        }
        events.add(event);
    }

    /** The destination of the next datagram, or null when none is queued. */
    public InetSocketAddress peekTransmitDestination() {
        return transmitSize == 0 ? null : transmitDestinations[transmitHead];
    }

    /** Removes and returns the next datagram's buffer (call {@link #peekTransmitDestination()} first), or null. */
    public PooledBuffer pollTransmitBuffer() {
        if (transmitSize == 0) {
            return null;
        }
        PooledBuffer buffer = transmitBuffers[transmitHead];
        transmitBuffers[transmitHead] = null;
        transmitDestinations[transmitHead] = null;
        transmitHead = (transmitHead + 1) % transmitBuffers.length;
        transmitSize--;
        return buffer;
    }

    public int drainTransmits(TransmitSink sink, int limit) {
        int n = 0;
        while (n < limit && transmitSize > 0) {
            InetSocketAddress destination = peekTransmitDestination();
            sink.accept(destination, pollTransmitBuffer());
            n++;
        }
        return n;
    }

    public PooledBuffer pollPacket() {
        if (packetSize == 0) {
            return null;
        }
        PooledBuffer buffer = packets[packetHead];
        packets[packetHead] = null;
        packetHead = (packetHead + 1) % packets.length;
        packetSize--;
        return buffer;
    }

    public GatewayEvent pollEvent() {
        return events.poll();
    }

    public int transmitsQueued() {
        return transmitSize;
    }

    public int packetsQueued() {
        return packetSize;
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
