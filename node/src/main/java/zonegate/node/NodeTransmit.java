package zonegate.node;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A datagram the node wants sent, from {@link Node#pollTransmit()}.
 *
 * @param source the local socket to send from (one of the node's sockets)
 * @param destination the peer, or our TURN relay when the payload is ChannelData or STUN for it
 * @param payload the datagram, position to limit; the caller may keep it
 */
public record NodeTransmit(InetSocketAddress source, InetSocketAddress destination, ByteBuffer payload) {
}
