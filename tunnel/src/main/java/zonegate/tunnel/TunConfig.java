package zonegate.tunnel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import zonegate.filter.Cidr;
import zonegate.filter.TunnelAddresses;

/**
 * How the client's TUN device must be set up: its addresses, the DNS servers the system should use (the
 * stub resolver's sentinel addresses, each standing for one upstream server) and the routes into it.
 *
 * @param addresses the client's tunnel addresses
 * @param dnsBySentinel sentinel address -> the upstream server it forwards to, in order
 * @param routes what to route into the device: the tunnel, proxy and sentinel ranges, every CIDR resource,
 *     and 0.0.0.0/0 and ::/0 while the Internet resource is on
 */
public record TunConfig(TunnelAddresses addresses, Map<InetAddress, InetSocketAddress> dnsBySentinel,
        List<Cidr> routes) {
    public TunConfig {
        Objects.requireNonNull(addresses, "addresses");
        dnsBySentinel = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(dnsBySentinel));
        routes = List.copyOf(routes);
    }
}
