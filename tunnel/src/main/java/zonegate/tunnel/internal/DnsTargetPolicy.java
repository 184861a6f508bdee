package zonegate.tunnel.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import zonegate.filter.Authorization;
import zonegate.filter.ClientFilter;
import zonegate.filter.Cidr;
import zonegate.filter.Resource;
import zonegate.nat64.Addresses;

/**
 * Which resolved addresses a DNS resource may not be translated to: addresses that would let a client
 * reach the gateway itself or another client through the NAT, because the translated packet leaves
 * through the gateway host's routing table. Refused unless a CIDR resource the client holds covers the
 * address (an operator who wants a DNS name for such an address says so with a CIDR resource).
 *
 * <p>The tunnel and proxy ranges, loopback, link-local, unspecified ("this network"), multicast and
 * broadcast, the gateway's own tunnel addresses and any configured extra ranges (the host's own
 * addresses); IPv6 forms that embed an IPv4 address ({@code ::ffff:0:0/96}, {@code 64:ff9b::/96}) are
 * judged by the IPv4 address.
 */
final class DnsTargetPolicy {
    private static final long MAPPED_LOW_TAG = 0xFFFFL;
    private static final long WELL_KNOWN_NAT64_HIGH = 0x0064_ff9b_0000_0000L;

    private record Range(Cidr cidr, String what) {
    }

    private static final List<Range> BUILT_IN = List.of(
            range("100.64.0.0/11", "in the tunnel range"),
            range("100.96.0.0/11", "in the DNS proxy range"),
            range("127.0.0.0/8", "loopback"),
            range("169.254.0.0/16", "link-local"),
            range("0.0.0.0/8", "unspecified"),
            range("224.0.0.0/4", "multicast"),
            range("255.255.255.255/32", "broadcast"),
            range("fd00:2021:1111:8000::/107", "in the DNS proxy range"),
            range("fd00:2021:1111::/107", "in the tunnel range"),
            range("::1/128", "loopback"),
            range("fe80::/10", "link-local"),
            range("::/128", "unspecified"),
            range("ff00::/8", "multicast"));

    private final List<Range> ranges;

    /**
     * @param gatewayAddresses the gateway's tunnel addresses
     * @param extra further refused ranges (the host's own addresses)
     */
    DnsTargetPolicy(List<? extends InetAddress> gatewayAddresses, List<Cidr> extra) {
        List<Range> all = new ArrayList<>();
        for (InetAddress a : gatewayAddresses) {
            Cidr own = a instanceof Inet4Address v4 ? Cidr.v4(Addresses.ipv4(v4), 32)
                    : Cidr.v6(Addresses.high((Inet6Address) a), Addresses.low((Inet6Address) a), 128);
            all.add(new Range(own, "the gateway's own address"));
        }
        extra.forEach(c -> all.add(new Range(c, "a refused range (" + c + ")")));
        all.addAll(BUILT_IN);
        this.ranges = List.copyOf(all);
    }

    /**
     * Why {@code target} may not be a translation target for this client ("loopback", ...), or null when
     * it may: it is in no refused range, or an unexpired CIDR resource of the client covers it.
     */
    String refusal(InetAddress target, ClientFilter client, long nowUnixSeconds) {
        long v4 = embeddedIpv4(target);
        for (Range r : ranges) {
            if (contains(r.cidr, target, v4)) {
                return coveredByCidrResource(target, v4, client, nowUnixSeconds) ? null : r.what;
            }
        }
        return null;
    }

    /** The IPv4 address (unsigned) of an IPv4 target or of an IPv6 form embedding one, else -1. */
    private static long embeddedIpv4(InetAddress target) {
        if (target instanceof Inet4Address v4) {
            return Addresses.ipv4(v4) & 0xFFFF_FFFFL;
        }
        Inet6Address v6 = (Inet6Address) target;
        long high = Addresses.high(v6);
        long low = Addresses.low(v6);
        boolean mapped = high == 0 && low >>> 32 == MAPPED_LOW_TAG;
        boolean wellKnownNat64 = high == WELL_KNOWN_NAT64_HIGH && low >>> 32 == 0;
        return mapped || wellKnownNat64 ? low & 0xFFFF_FFFFL : -1;
    }

    private static boolean contains(Cidr cidr, InetAddress target, long v4) {
        if (v4 >= 0) {
            return cidr.version() == 4 && cidr.containsV4((int) v4);
        }
        Inet6Address v6 = (Inet6Address) target;
        return cidr.version() == 6 && cidr.containsV6(Addresses.high(v6), Addresses.low(v6));
    }

    private static boolean coveredByCidrResource(InetAddress target, long v4, ClientFilter client,
                                                 long nowUnixSeconds) {
        for (Authorization a : client.authorizations()) {
            if (a.resource() instanceof Resource.CidrRange(_, Cidr cidr) && a.expiresAtUnixSeconds() > nowUnixSeconds
                    && contains(cidr, target, v4)) {
                return true;
            }
        }
        return false;
    }

    private static Range range(String cidr, String what) {
        return new Range(Cidr.parse(cidr), what);
    }
}
