package zonegate.turn.client;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A datagram an {@link Allocation} wants sent: always to its relay.
 *
 * @param destination the relay's address
 * @param payload the datagram, from position to limit (read-only; the caller may keep it)
 */
public record Transmit(InetSocketAddress destination, ByteBuffer payload) {
}
