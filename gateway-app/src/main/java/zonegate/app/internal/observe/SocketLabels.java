package zonegate.app.internal.observe;

import java.net.InetSocketAddress;
import zonegate.app.internal.portal.WireMapping;

/**
 * The {@code socket} label of a loop's UDP socket in the per-socket metrics. Sockets with the same label
 * are added up, which keeps the label's values few: a relay's hundreds of relay-port sockets are one.
 */
@FunctionalInterface
public interface SocketLabels {
    /** Each socket by its local address, {@code 0.0.0.0:51820} or {@code [::]:51820} (gateways, the client). */
    SocketLabels BY_ADDRESS = (index, local) -> WireMapping.socketAddressText(local);

    /** The label of socket {@code index}, bound to {@code local}. */
    String label(int index, InetSocketAddress local);

    /** A relay's: its listening socket (index 0) by address, every relay-port socket as {@code relay_ports}. */
    static SocketLabels relay() {
        return (index, local) -> index == 0 ? BY_ADDRESS.label(index, local) : "relay_ports";
    }
}
