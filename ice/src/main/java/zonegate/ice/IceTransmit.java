package zonegate.ice;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A STUN datagram the agent wants sent.
 *
 * @param source the local address to send from: a host candidate's socket address, or a relayed
 *               candidate's address, in which case the caller sends the payload to {@code destination}
 *               through its TURN allocation
 * @param destination the remote address
 * @param payload the datagram, position to limit; read-only, the caller may keep it
 */
public record IceTransmit(InetSocketAddress source, InetSocketAddress destination, ByteBuffer payload) {
}
