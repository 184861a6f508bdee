package zonegate.app.spi;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Objects;
import zonegate.filter.Cidr;

/**
 * An address of the gateway's tunnel interface with the prefix length of its range, as
 * {@code ip addr} shows it: {@code 100.64.0.1/11}.
 *
 * @param address the interface address (IPv4 or IPv6)
 * @param prefixLengthBits the length of the tunnel range's prefix: 1..31 for IPv4, 1..127 for IPv6
 */
public record InterfaceAddress(InetAddress address, int prefixLengthBits) {
    public InterfaceAddress {
        Objects.requireNonNull(address, "address");
        int maxBits = address instanceof Inet4Address ? 32 : 128;
        if (prefixLengthBits < 1 || prefixLengthBits >= maxBits) {
            throw new IllegalArgumentException("prefix length " + prefixLengthBits + " is outside 1.." + (maxBits - 1));
        }
    }

    /** 4 or 6. */
    public int version() {
        return address instanceof Inet4Address ? 4 : 6;
    }

    /** The tunnel range, e.g. {@code 100.64.0.0/11}. */
    public Cidr range() {
        Cidr host = hostCidr(address);
        return new Cidr(host.version(), host.high(), host.low(), prefixLengthBits);
    }

    /** The address alone, as a /32 or /128. */
    public Cidr host() {
        return hostCidr(address);
    }

    /** Whether {@code other} lies in the {@link #range() tunnel range}. */
    public boolean contains(InetAddress other) {
        Cidr host = hostCidr(other);
        Cidr range = range();
        return host.version() == 4 ? range.containsV4((int) host.low()) : range.containsV6(host.high(), host.low());
    }

    /** {@code address} as a /32 (IPv4) or /128 (IPv6) {@link Cidr}. */
    public static Cidr hostCidr(InetAddress address) {
        byte[] bytes = address.getAddress();
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return bytes.length == 4 ? Cidr.v4(buffer.getInt(), 32) : Cidr.v6(buffer.getLong(), buffer.getLong(), 128);
    }

    /** {@code address} in its shortest text (RFC 5952 for IPv6), without a prefix length. */
    public static String text(InetAddress address) {
        String cidr = hostCidr(address).toString();
        return cidr.substring(0, cidr.indexOf('/'));
    }

    @Override
    public String toString() {
        return text(address) + "/" + prefixLengthBits;
    }
}
