package zonegate.tunnel;

import java.net.InetSocketAddress;
import zonegate.packet.PooledBuffer;

/**
 * One datagram to send, from {@link GatewayState#pollTransmit()}.
 *
 * @param destination where to send it (a client's endpoint)
 * @param buffer the datagram at {@code [position, limit)}; ownership passes to the caller, who releases
 *     it to its pool once sent
 */
public record Transmit(InetSocketAddress destination, PooledBuffer buffer) {
}
