package zonegate.tunnel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The proxy addresses a domain got for one client: what the DNS server answers A and AAAA queries
 * with. Always 4 IPv4 addresses from 100.96.0.0/11 and 4 IPv6 from fd00:2021:1111:8000::/107.
 */
public record ProxyAddresses(List<Inet4Address> ipv4, List<Inet6Address> ipv6) {
    public ProxyAddresses {
        ipv4 = List.copyOf(ipv4);
        ipv6 = List.copyOf(ipv6);
    }

    /** The IPv4 addresses, then the IPv6 ones. */
    public List<InetAddress> all() {
        List<InetAddress> all = new ArrayList<>(ipv4);
        all.addAll(ipv6);
        return List.copyOf(all);
    }
}
