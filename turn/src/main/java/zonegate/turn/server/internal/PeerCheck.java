package zonegate.turn.server.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Stream;
import zonegate.turn.server.Cidr;
import zonegate.turn.server.PeerPolicy;
import zonegate.turn.server.RelayConfig;

/**
 * The peer policy as the relay applies it: {@link RelayConfig#peerPolicy()} with the relay addresses
 * refused on top, except that a peer at a relay address and a port of the relay range (another client's
 * relayed address on this relay: two clients meeting through one relay) is allowed whatever the policy
 * says. Every other port of the relay addresses, among them the listen port and whatever else the host
 * serves there, stays refused unless the policy allows the address itself.
 *
 * <p>Permissions are per IP address (RFC 8656 section 9), so a permission for a relay address is
 * installed only for a peer port in the range, and data to that address is checked per datagram
 * ({@link #reachable}) against the range. Allocates nothing.
 */
public final class PeerCheck {
    private final PeerPolicy policy;
    private final InetAddress relayV4;
    private final InetAddress relayV6;
    private final byte[] relayV4Bytes;
    private final byte[] relayV6Bytes;
    // Whether the policy allows the relay address itself (an operator's exception): then every port is open.
    private final boolean relayV4Allowed;
    private final boolean relayV6Allowed;
    private final int portLow;
    private final int portHigh;

    /** The check for {@code config}. */
    public PeerCheck(RelayConfig config) {
        relayV4 = config.relayAddressV4();
        relayV6 = config.relayAddressV6();
        policy = config.peerPolicy().refusing(Stream.of(relayV4, relayV6).filter(Objects::nonNull).map(Cidr::host)
                .toList());
        relayV4Bytes = relayV4 == null ? null : relayV4.getAddress();
        relayV6Bytes = relayV6 == null ? null : relayV6.getAddress();
        relayV4Allowed = relayV4 != null && policy.allows(relayV4);
        relayV6Allowed = relayV6 != null && policy.allows(relayV6);
        portLow = config.relayPortLow();
        portHigh = config.relayPortHigh();
    }

    /** Whether a permission or channel for the peer {@code address[0, length)} and {@code port} is allowed. */
    boolean permits(byte[] address, int length, int port) {
        return (isRelayAddress(address, length) && inRange(port)) || policy.allows(address, length);
    }

    /** Whether the peer {@code address[0, length)} is refused whatever its port (for the drop counters). */
    boolean refused(byte[] address, int length) {
        return !isRelayAddress(address, length) && !policy.allows(address, length);
    }

    /**
     * Whether a datagram to {@code peer}, whose IP holds a permission, may leave: false only for a relay
     * address at a port outside the relay range (unless the policy allows that address itself).
     */
    boolean reachable(InetSocketAddress peer) {
        InetAddress ip = peer.getAddress();
        if (inRange(peer.getPort())) {
            return true;
        }
        if (ip.equals(relayV4)) {
            return relayV4Allowed;
        }
        return !ip.equals(relayV6) || relayV6Allowed;
    }

    private boolean isRelayAddress(byte[] address, int length) {
        byte[] relay = length == 4 ? relayV4Bytes : length == 16 ? relayV6Bytes : null;
        return relay != null && Arrays.equals(address, 0, length, relay, 0, length);
    }

    private boolean inRange(int port) {
        return port >= portLow && port <= portHigh;
    }
}
