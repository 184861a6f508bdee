package zonegate.filter;

import java.net.Inet4Address;
import java.net.Inet6Address;
import zonegate.filter.internal.Addresses;

/**
 * A client's tunnel addresses (one IPv4 in 100.64.0.0/11, one IPv6 in fd00:2021:1111::/107 in
 * Firezone): the only sources its packets may carry. Anything else is a spoofed packet.
 *
 * @param ipv4 the IPv4 address, as the 32 bits in network order
 * @param ipv6High the first 64 bits of the IPv6 address
 * @param ipv6Low the last 64 bits of the IPv6 address
 */
public record TunnelAddresses(int ipv4, long ipv6High, long ipv6Low) {

    /** From {@link java.net.InetAddress} values (for configuration code; not on the data path). */
    public static TunnelAddresses of(Inet4Address ipv4, Inet6Address ipv6) {
        byte[] a = ipv4.getAddress();
        byte[] b = ipv6.getAddress();
        return new TunnelAddresses(Addresses.int32(a, 0), Addresses.long64(b, 0), Addresses.long64(b, 8));
    }

    /** From textual addresses, e.g. {@code of("100.64.0.7", "fd00:2021:1111::7")}. */
    public static TunnelAddresses of(String ipv4, String ipv6) {
        Cidr v4 = Cidr.parse(ipv4 + "/32");
        Cidr v6 = Cidr.parse(ipv6 + "/128");
        if (v4.version() != 4 || v6.version() != 6) {
            throw new IllegalArgumentException("expected an IPv4 and an IPv6 address: " + ipv4 + ", " + ipv6);
        }
        return new TunnelAddresses((int) v4.low(), v6.high(), v6.low());
    }

    @Override
    public String toString() {
        return Addresses.formatV4(ipv4) + ", " + Addresses.formatV6(ipv6High, ipv6Low);
    }
}
