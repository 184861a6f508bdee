package zonegate.filter;

import java.util.List;

/**
 * What the {@link Resource.Internet Internet resource} never reaches: addresses that are private to a
 * site, the gateway or the tunnel, or that are not unicast destinations on the public Internet. A
 * packet for one of them is routed only by a CIDR resource that contains it; with none it is denied
 * with "network unreachable".
 *
 * <p>IPv4:
 * <pre>
 * 0.0.0.0/8          "this network" (RFC 791)              100.64.0.0/10     CG-NAT shared space (RFC 6598)
 * 10.0.0.0/8         private (RFC 1918)                    100.64.0.0/11     tunnel addresses
 * 127.0.0.0/8        loopback                              100.96.0.0/11     DNS-resource proxy addresses
 * 169.254.0.0/16     link-local (RFC 3927)                 100.100.111.0/24  stub resolver sentinels
 * 172.16.0.0/12      private (RFC 1918)                    192.0.0.0/24      IETF protocol assignments
 * 192.0.2.0/24       documentation TEST-NET-1 (RFC 5737)   192.168.0.0/16    private (RFC 1918)
 * 198.18.0.0/15      benchmarking (RFC 2544)               198.51.100.0/24   documentation TEST-NET-2
 * 203.0.113.0/24     documentation TEST-NET-3              224.0.0.0/4       multicast
 * 240.0.0.0/4        reserved, with 255.255.255.255 (limited broadcast)
 * </pre>
 * IPv6:
 * <pre>
 * ::/128             unspecified                           ::1/128           loopback
 * ::ffff:0:0/96      IPv4-mapped (would bypass the IPv4 exclusions)
 * 100::/64           discard-only (RFC 6666)               2001:db8::/32     documentation (RFC 3849)
 * 3fff::/20          documentation (RFC 9637)              fc00::/7          unique local (ULA)
 * fd00:2021:1111::/107        tunnel addresses (inside fc00::/7)
 * fd00:2021:1111:8000::/107   DNS-resource proxy addresses (inside fc00::/7)
 * fe80::/10          link-local                            fec0::/10         site-local (deprecated)
 * ff00::/8           multicast
 * </pre>
 * The tunnel and proxy ranges lie inside larger excluded ranges; they are listed on their own so the
 * rule survives if a larger one is ever narrowed. NAT64 prefixes (64:ff9b::/96) stay reachable:
 * translating them is the site's NAT64's business.
 */
public final class InternetExclusions {
    /** The excluded IPv4 ranges. */
    public static final List<Cidr> IPV4 = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
            Cidr.parse("100.64.0.0/11"), Cidr.parse("100.96.0.0/11"), Cidr.parse("100.100.111.0/24"),
            Cidr.parse("127.0.0.0/8"), Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.0.0.0/24"), Cidr.parse("192.0.2.0/24"), Cidr.parse("192.168.0.0/16"),
            Cidr.parse("198.18.0.0/15"), Cidr.parse("198.51.100.0/24"), Cidr.parse("203.0.113.0/24"),
            Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"));

    /** The excluded IPv6 ranges. */
    public static final List<Cidr> IPV6 = List.of(
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("::ffff:0:0/96"), Cidr.parse("100::/64"),
            Cidr.parse("2001:db8::/32"), Cidr.parse("3fff::/20"), Cidr.parse("fc00::/7"),
            Cidr.parse("fd00:2021:1111::/107"), Cidr.parse("fd00:2021:1111:8000::/107"),
            Cidr.parse("fe80::/10"), Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"));

    private InternetExclusions() {
    }

    /** Whether the IPv4 address (32 bits, network order) is excluded. Linear; for tests and tools. */
    public static boolean excludesV4(int address) {
        return IPV4.stream().anyMatch(c -> c.containsV4(address));
    }

    /** Whether the IPv6 address is excluded. Linear; for tests and tools. */
    public static boolean excludesV6(long high, long low) {
        return IPV6.stream().anyMatch(c -> c.containsV6(high, low));
    }
}
