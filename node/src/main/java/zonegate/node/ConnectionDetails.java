package zonegate.node;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import zonegate.ice.SelectedPair;

/**
 * A read-only snapshot of one connection, for status pages (allocates; never on the data path). Holds
 * nothing secret: no ICE password, preshared key or session key.
 *
 * @param peerId the control plane's id of the peer
 * @param state the connection's state
 * @param pair the nominated pair (whether it is {@linkplain SelectedPair#relayed() relayed}), or null before
 *     nomination
 * @param relay the server address of the relay sampled for this connection, or null
 * @param endpoint where WireGuard sends the peer's datagrams (the remote address of the pair), or null
 * @param lastHandshakeNs monotonic time of the latest WireGuard handshake, or
 *     {@link zonegate.wireguard.Tunnel#NEVER}
 * @param rxBytes authenticated transport bytes received
 * @param txBytes transport bytes sent
 */
public record ConnectionDetails(String peerId, ConnectionState state, SelectedPair pair, InetSocketAddress relay,
        SocketAddress endpoint, long lastHandshakeNs, long rxBytes, long txBytes) {
}
