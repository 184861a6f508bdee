package zonegate.shell.loop;

import java.net.InetSocketAddress;
import zonegate.packet.PooledBuffer;

/**
 * Where a {@link StateMachineDriver} puts its outputs: datagrams for the UDP sockets and packets for the
 * TUN queues. Call only from the state-machine thread (inside a driver callback).
 *
 * <p>Every buffer passed in changes owner: the loop sends it (from its position to its limit) and
 * releases it to its pool, or, when the outbound queue has no room, releases it at once, counts the
 * drop in {@link LoopCounters#outboundDrops()} and returns false. The loop stops taking input while an
 * outbound queue runs low, so a driver that emits about one output per input never sees a drop.
 */
public interface Outbound {
    /** A buffer from the loop's pool, cleared, or null when the pool is exhausted (counted by the pool). */
    PooledBuffer acquire();

    /**
     * Queues {@code datagram} for socket {@code socketIndex}, to {@code destination}. Datagrams to one
     * destination leave in the order queued; runs of equal size are sent with one GSO syscall.
     *
     * @return false when dropped (queue full)
     */
    boolean sendDatagram(int socketIndex, InetSocketAddress destination, PooledBuffer datagram);

    /**
     * Queues {@code packet} for the TUN device. {@code flowHash} (e.g. a hash of the 5-tuple) picks the
     * queue, so packets of one flow keep their order across a multi-queue device.
     *
     * @return false when dropped (queue full, or the loop has no TUN device)
     */
    boolean writeToDevice(int flowHash, PooledBuffer packet);

    /** The number of UDP sockets: valid socket indices are 0 to this - 1. */
    int socketCount();

    /** The number of TUN queues (0 without a device). */
    int deviceQueueCount();
}
