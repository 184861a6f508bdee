package zonegate.tunnel.internal.client;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import zonegate.filter.Cidr;
import zonegate.filter.DnsPattern;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.tunnel.ClientResource;

/** Client resources and addresses for the routing tests. */
final class TestResources {
    private TestResources() {
    }

    static ClientResource cidr(String id, String range) {
        return cidr(id, range, "site-a", List.of());
    }

    static ClientResource cidr(String id, String range, String site, List<Filter> filters) {
        return new ClientResource(new Resource.CidrRange(ResourceId.of(id), Cidr.parse(range)), "name " + id, site,
                filters, null);
    }

    static ClientResource dns(String id, String pattern) {
        return new ClientResource(new Resource.Dns(ResourceId.of(id), DnsPattern.of(pattern)), "name " + id, "site-a",
                List.of(), null);
    }

    static ClientResource internet(String id) {
        return new ClientResource(new Resource.Internet(ResourceId.of(id)), "Internet", "site-i", List.of(), null);
    }

    static int v4(String address) {
        return ByteBuffer.wrap(InetAddress.ofLiteral(address).getAddress()).getInt();
    }

    /** High 64 bits of an IPv6 address (Cidr keeps {@code ::ffff:a.b.c.d} as IPv6, unlike InetAddress). */
    static long high(String address) {
        return Cidr.parse(address).high();
    }

    static long low(String address) {
        return Cidr.parse(address).low();
    }

    /** The id of the route for a textual IPv4 or IPv6 destination, or null. */
    static String route(ClientRoutes routes, String destination) {
        ClientResource r = destination.indexOf(':') >= 0 ? routes.routeV6(high(destination), low(destination))
                : routes.routeV4(v4(destination));
        return r == null ? null : r.id().value();
    }
}
