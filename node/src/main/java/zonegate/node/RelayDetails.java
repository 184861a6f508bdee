package zonegate.node;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A read-only snapshot of one of the node's relays and its TURN allocation, for status pages. The
 * credentials are left out.
 *
 * @param server the relay's address
 * @param relayedAddresses our relayed addresses on it (empty until allocated)
 * @param srttNs the smoothed round-trip time of its STUN transactions, or -1 before the first answer
 * @param suspect a consent check through it went unanswered: not sampled for new connections
 */
public record RelayDetails(InetSocketAddress server, List<InetSocketAddress> relayedAddresses, long srttNs,
        boolean suspect) {
    public RelayDetails {
        relayedAddresses = List.copyOf(relayedAddresses);
    }
}
