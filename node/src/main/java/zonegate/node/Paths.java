package zonegate.node;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.tinylog.Logger;

/**
 * Where datagrams leave: from one of the node's sockets (one per address family) straight to the peer,
 * or, for a relayed local address, through the TURN allocation that owns it as ChannelData.
 */
final class Paths {
    private final Outbox outbox;
    private final Relays relays;
    private List<InetSocketAddress> sockets;

    Paths(Outbox outbox, Relays relays, List<InetSocketAddress> sockets) {
        this.outbox = outbox;
        this.relays = relays;
        this.sockets = List.copyOf(sockets);
    }

    List<InetSocketAddress> sockets() {
        return sockets;
    }

    void setSockets(List<InetSocketAddress> newSockets) {
        sockets = List.copyOf(newSockets);
    }

    boolean isSocket(InetSocketAddress address) {
        return sockets.contains(address);
    }

    /** The socket of {@code remote}'s address family, or null. */
    InetSocketAddress socketFor(InetSocketAddress remote) {
        boolean v4 = remote.getAddress() instanceof Inet4Address;
        for (InetSocketAddress s : sockets) {
            if ((s.getAddress() instanceof Inet4Address) == v4) {
                return s;
            }
        }
        return null;
    }

    /**
     * Queues {@code payload} (remaining bytes, unchanged) from {@code local} to {@code remote}: directly
     * when {@code local} is a socket, through its allocation when it is a relayed address.
     *
     * @return whether it was queued
     */
    boolean send(InetSocketAddress local, InetSocketAddress remote, ByteBuffer payload, long nowNs) {
        if (isSocket(local)) {
            outbox.transmit(local, remote, payload);
            return true;
        }
        if (relays.sendRelayed(local, remote, payload, nowNs)) {
            return true;
        }
        Logger.trace("no path from {} to {}: datagram dropped", local, remote);
        outbox.count(NodeCounter.NO_PATH);
        return false;
    }
}
