package zonegate.turn.server;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An IPv4 or IPv6 address range in CIDR notation, such as {@code 10.0.0.0/8} or {@code fe80::/10}.
 *
 * @param address the first address of the range (host bits zero)
 * @param prefixLength the number of leading bits that are fixed: 0-32 for IPv4, 0-128 for IPv6
 */
public record Cidr(InetAddress address, int prefixLength) {

    /** Validates: the prefix length fits the family and the host bits are zero. */
    public Cidr {
        Objects.requireNonNull(address, "address");
        int bits = address.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not 0-" + bits);
        }
        byte[] bytes = address.getAddress();
        for (int bit = prefixLength; bit < bits; bit++) {
            if ((bytes[bit >>> 3] & (0x80 >>> (bit & 7))) != 0) {
                throw new IllegalArgumentException(address.getHostAddress() + "/" + prefixLength
                        + " has host bits set");
            }
        }
    }

    /** The range holding just {@code address} (/32 or /128). */
    public static Cidr host(InetAddress address) {
        return new Cidr(address, address.getAddress().length * 8);
    }

    /**
     * Parses {@code ADDRESS/PREFIX} or a bare address (a host range). Only literals are accepted: a name is
     * refused rather than looked up in DNS.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String literal = slash < 0 ? text : text.substring(0, slash);
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(literal);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not ADDRESS/PREFIX, e.g. 10.0.0.0/8 or fd00::/8", e);
        }
        if (slash < 0) {
            return host(address);
        }
        try {
            return new Cidr(address, Integer.parseInt(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': the prefix length is not a number", e);
        }
    }

    /** Whether this is an IPv4 range. */
    public boolean isIpv4() {
        return address instanceof Inet4Address;
    }

    @Override
    public String toString() {
        return address.getHostAddress() + "/" + prefixLength;
    }
}
