package zonegate.tunnel.internal;

import java.net.InetSocketAddress;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.Transmit;
import zonegate.tunnel.TransmitSink;

/**
 * Two bounded rings of pooled buffers, preallocated so queueing allocates nothing: datagrams to send with
 * their destinations, and packets for the TUN device. An offer to a full ring is refused; the caller
 * releases the buffer and counts the drop. Single-threaded.
 */
public final class BufferRings {
    private final InetSocketAddress[] transmitDestinations;
    private final PooledBuffer[] transmitBuffers;
    private int transmitHead;
    private int transmitSize;
    private final PooledBuffer[] packets;
    private int packetHead;
    private int packetSize;

    public BufferRings(int transmitCapacity, int packetCapacity) {
        this.transmitDestinations = new InetSocketAddress[transmitCapacity];
        this.transmitBuffers = new PooledBuffer[transmitCapacity];
        this.packets = new PooledBuffer[packetCapacity];
    }

    /** Queues a datagram (at the buffer's [position, limit)); false when the ring is full. */
    public boolean offerTransmit(InetSocketAddress destination, PooledBuffer buffer) {
        if (transmitSize == transmitBuffers.length) {
            return false;
        }
        int tail = (transmitHead + transmitSize++) % transmitBuffers.length;
        transmitDestinations[tail] = destination;
        transmitBuffers[tail] = buffer;
        return true;
    }

    /** Queues a packet for the TUN device (at [position, limit)); false when the ring is full. */
    public boolean offerPacket(PooledBuffer buffer) {
        if (packetSize == packets.length) {
            return false;
        }
        packets[(packetHead + packetSize++) % packets.length] = buffer;
        return true;
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

    /** The next datagram with its destination (allocates the {@link Transmit}), or null. */
    public Transmit pollTransmit() {
        InetSocketAddress destination = peekTransmitDestination();
        return destination == null ? null : new Transmit(destination, pollTransmitBuffer());
    }

    /** Hands up to {@code limit} datagrams to {@code sink}, in order; returns how many. */
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

    public int transmitsQueued() {
        return transmitSize;
    }

    public int packetsQueued() {
        return packetSize;
    }
}
