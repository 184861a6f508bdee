package zonegate.tunnel.sim;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import zonegate.filter.Filter;
import zonegate.filter.ResourceId;
import zonegate.tunnel.dns.DnsQuery;

/**
 * The fixed universe a {@link DataPlaneModelFuzzTest} sequence draws from: four resource slots (each a CIDR
 * range or a DNS pattern, on site hq or lab) plus the Internet resource (site hq), the ranges, patterns and
 * filters a slot can take, the probe targets, the DNS names and what the sites' resolvers and the upstream
 * DNS server answer. Overlaps are deliberate: 10.20.0.5 lies in three of the ranges, app.example.com
 * matches two of the patterns.
 */
final class ModelUniverse {
    private ModelUniverse() {
    }

    static final int SLOTS = 4;
    /** The slot index of the Internet resource (always listed, site hq, no filters). */
    static final int INTERNET = SLOTS;
    static final String[] CIDRS = {"10.20.0.0/16", "10.20.0.0/24", "10.0.0.0/8", "10.30.0.0/16", "fd10:20::/64"};
    static final String[] PATTERNS = {"*.example.com", "app.example.com", "*.corp.test"};
    static final List<List<Filter>> FILTERS = List.of(List.of(), List.of(new Filter.Icmp()),
            List.of(new Filter.Udp(5000, 5000)), List.of(new Filter.Tcp(443, 443)),
            List.of(new Filter.Tcp(1, 1024), new Filter.Icmp()));
    static final Nat.Type[] NATS = {null, Nat.Type.PORT_RESTRICTED, Nat.Type.SYMMETRIC};
    /** Address probe targets; indexes past them are the proxy addresses of {@link #NAMES}[0..DNS_NAMES). */
    static final String[] TARGETS = {"10.20.0.5", "10.20.1.5", "10.21.0.5", "10.30.0.7", "fd10:20::5",
            "192.168.1.1", "1.1.1.1", "2606:4700::1111", "10.99.0.1"};
    /** Addresses the Internet resource carries (public); the other targets are never Internet. */
    static final List<String> PUBLIC = List.of("1.1.1.1", "2606:4700::1111");
    /** Names for queries: the first {@link #DNS_NAMES} are probed through their proxy addresses. */
    static final String[] NAMES = {"app.example.com", "db.example.com", "x.corp.test", "www.other.org",
            "use-application-dns.net"};
    static final int DNS_NAMES = 3;
    static final int[] QUERY_TYPES = {DnsQuery.TYPE_A, DnsQuery.TYPE_AAAA, DnsQuery.TYPE_PTR, 33, 16,
            DnsQuery.TYPE_HTTPS};
    static final String[] QUERY_TYPE_NAMES = {"A", "AAAA", "PTR", "SRV", "TXT", "HTTPS"};
    /** What both sites' resolvers answer for the DNS names (the A and AAAA records together). */
    static final Map<String, List<InetAddress>> RESOLVED = Map.of(
            "app.example.com", List.of(SimPackets.ip("10.50.0.1"), SimPackets.ip("fd50::1")),
            "db.example.com", List.of(SimPackets.ip("10.50.0.2"), SimPackets.ip("fd50::2")),
            "x.corp.test", List.of(SimPackets.ip("10.50.0.3"), SimPackets.ip("fd50::3")));
    /** What the upstream DNS server answers for A and AAAA of any name it is asked. */
    static final InetAddress UPSTREAM_V4 = SimPackets.ip("192.0.2.80");
    static final InetAddress UPSTREAM_V6 = SimPackets.ip("2001:db8::80");

    enum Kind { PING, UDP_5000, TCP_443, TCP_22 }

    static ResourceId id(int slot) {
        return slot == INTERNET ? ResourceId.of("internet")
                : ResourceId.of("00000000-0000-4000-8000-00000000000" + slot);
    }
}
