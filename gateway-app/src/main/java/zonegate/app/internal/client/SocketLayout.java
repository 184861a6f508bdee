package zonegate.app.internal.client;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of the event loop's UDP sockets does what: the node's sockets (WireGuard, STUN, TURN; one per
 * family) and the sockets that forward DNS queries upstream (one per family). Indices are the loop's socket
 * indices, -1 for a socket that is not open.
 *
 * @param node4 the node's IPv4 socket
 * @param node6 the node's IPv6 socket
 * @param dns4 the IPv4 DNS socket
 * @param dns6 the IPv6 DNS socket
 * @param node4Address the concrete host address and port of the IPv4 node socket (its host candidate), or null
 * @param node6Address likewise for IPv6
 */
record SocketLayout(int node4, int node6, int dns4, int dns6, InetSocketAddress node4Address,
        InetSocketAddress node6Address) {

    /** The node's socket addresses, as the state machine knows them. */
    List<InetSocketAddress> nodeAddresses() {
        List<InetSocketAddress> all = new ArrayList<>(2);
        if (node4 >= 0) {
            all.add(node4Address);
        }
        if (node6 >= 0) {
            all.add(node6Address);
        }
        return all;
    }

    /** The node's address of socket {@code index}, or null when it is no node socket. */
    InetSocketAddress nodeAddress(int index) {
        if (index >= 0 && index == node4) {
            return node4Address;
        }
        return index >= 0 && index == node6 ? node6Address : null;
    }

    boolean isDns(int index) {
        return index >= 0 && (index == dns4 || index == dns6);
    }

    /** The node socket for a datagram to {@code destination}, or -1. */
    int nodeFor(InetSocketAddress destination) {
        return destination.getAddress() instanceof Inet4Address ? node4 : node6;
    }

    /** The DNS socket for a query to {@code upstream}, or -1. */
    int dnsFor(InetSocketAddress upstream) {
        return upstream.getAddress() instanceof Inet4Address ? dns4 : dns6;
    }
}
