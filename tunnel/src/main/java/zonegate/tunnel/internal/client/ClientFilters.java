package zonegate.tunnel.internal.client;

import java.util.List;
import zonegate.filter.Filter;
import zonegate.packet.IpProtocol;

/**
 * The client-side filter check: may a packet of this protocol to this destination port be sent to a
 * resource with these filters? The client asks before sending, so a denied packet is answered locally
 * (ICMP "administratively prohibited") instead of crossing the tunnel; the gateway checks again.
 *
 * <ul>
 *   <li>an empty filter list permits everything;</li>
 *   <li>{@link Filter.Icmp} permits ICMP (IPv4) and ICMPv6, every type and code;</li>
 *   <li>{@link Filter.Tcp} and {@link Filter.Udp} permit their protocol to destination ports in their
 *       inclusive range; a packet without a port (a non-first fragment, {@code destinationPort < 0})
 *       matches no range;</li>
 *   <li>any other protocol is permitted only by an empty list.</li>
 * </ul>
 * Not precompiled: resources have a handful of filters, and a scan over the list with indexed access
 * allocates nothing and needs no cache to invalidate when the portal updates a resource.
 */
public final class ClientFilters {
    private ClientFilters() {
    }

    /** Whether {@code filters} permit {@code protocol} (IP protocol number) to {@code destinationPort}. */
    public static boolean permits(List<Filter> filters, int protocol, int destinationPort) {
        int n = filters.size();
        if (n == 0) {
            return true;
        }
        for (int i = 0; i < n; i++) {
            boolean match = switch (filters.get(i)) {
                case Filter.Tcp(int fromPort, int toPort) -> protocol == IpProtocol.TCP
                        && destinationPort >= fromPort && destinationPort <= toPort;
                case Filter.Udp(int fromPort, int toPort) -> protocol == IpProtocol.UDP
                        && destinationPort >= fromPort && destinationPort <= toPort;
                case Filter.Icmp() -> protocol == IpProtocol.ICMP || protocol == IpProtocol.ICMPV6;
            };
            if (match) {
                return true;
            }
        }
        return false;
    }
}
