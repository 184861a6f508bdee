package zonegate.tunnel;

import java.net.InetSocketAddress;
import zonegate.packet.PooledBuffer;

/** Receives datagrams from {@link GatewayState#drainTransmits}, without a {@link Transmit} per datagram. */
@FunctionalInterface
public interface TransmitSink {
    /**
     * @param destination where to send the datagram
     * @param buffer the datagram at {@code [position, limit)}; ownership passes to the sink
     */
    void accept(InetSocketAddress destination, PooledBuffer buffer);
}
