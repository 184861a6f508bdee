package zonegate.filter;

import java.net.Inet4Address;
import java.net.InetAddress;
import zonegate.filter.internal.Addresses;

/**
 * An IPv4 or IPv6 address range in CIDR form. Addresses are held as 128 bits in two longs: an IPv4
 * address is {@code high = 0}, {@code low} = its 32 bits (unsigned, network order); IPv6 addresses
 * are compared as unsigned 128-bit numbers. Host bits below the prefix are cleared on construction,
 * so {@code 10.1.2.3/8} is {@code 10.0.0.0/8}.
 *
 * <pre>{@code
 * Cidr office = Cidr.parse("10.20.0.0/16");
 * office.containsV4(0x0A140001);              // true: 10.20.0.1
 * }</pre>
 *
 * @param version 4 or 6
 * @param high the first 64 bits of the (IPv6) network address; 0 for IPv4
 * @param low the last 64 bits of the network address; for IPv4 the address in the low 32 bits
 * @param prefixLengthBits 0..32 for IPv4, 0..128 for IPv6
 */
public record Cidr(int version, long high, long low, int prefixLengthBits) {
    public Cidr {
        if (version != 4 && version != 6) {
            throw new IllegalArgumentException("IP version must be 4 or 6, not " + version);
        }
        int maxBits = version == 4 ? 32 : 128;
        if (prefixLengthBits < 0 || prefixLengthBits > maxBits) {
            throw new IllegalArgumentException(
                    "prefix length " + prefixLengthBits + " is outside 0.." + maxBits + " for IPv" + version);
        }
        if (version == 4) {
            high = 0;
            low = low & Addresses.v4Mask(prefixLengthBits) & 0xFFFF_FFFFL;
        } else {
            high &= Addresses.highMask(prefixLengthBits);
            low &= Addresses.lowMask(prefixLengthBits);
        }
    }

    /** An IPv4 range; {@code address} is the 32 bits in network order. */
    public static Cidr v4(int address, int prefixLengthBits) {
        return new Cidr(4, 0, address & 0xFFFF_FFFFL, prefixLengthBits);
    }

    /** An IPv6 range. */
    public static Cidr v6(long high, long low, int prefixLengthBits) {
        return new Cidr(6, high, low, prefixLengthBits);
    }

    /**
     * Parses {@code "10.0.0.0/8"}, {@code "2001:db8::/32"}, or a bare address (a /32 or /128). Never
     * resolves names.
     *
     * @throws IllegalArgumentException with a message naming the input, if it is not such a range
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        if (addressText.indexOf(':') < 0 && addressText.chars().filter(c -> c == '.').count() != 3) {
            throw new IllegalArgumentException("not an IP address range (IPv4 needs four parts): \"" + text + "\"");
        }
        InetAddress address;
        try {
            address = InetAddress.ofLiteral(addressText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an IP address range: \"" + text + "\"", e);
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address && addressText.indexOf(':') >= 0) {
            // ofLiteral turns an IPv4-mapped IPv6 literal (::ffff:a.b.c.d) into an IPv4 address; undo it.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            bytes = mapped;
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            String lengthText = text.substring(slash + 1);
            if (lengthText.isEmpty() || lengthText.length() > 3 || !lengthText.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("bad prefix length in \"" + text + "\"");
            }
            bits = Integer.parseInt(lengthText);
        }
        try {
            return bytes.length == 4 ? v4(Addresses.int32(bytes, 0), bits)
                    : v6(Addresses.long64(bytes, 0), Addresses.long64(bytes, 8), bits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad address range \"" + text + "\": " + e.getMessage(), e);
        }
    }

    /** Whether the IPv4 {@code address} (32 bits, network order) is in this IPv4 range. */
    public boolean containsV4(int address) {
        return version == 4 && ((address & 0xFFFF_FFFFL) & Addresses.v4Mask(prefixLengthBits)) == low;
    }

    /** Whether the IPv6 address {@code (high, low)} is in this IPv6 range. */
    public boolean containsV6(long addressHigh, long addressLow) {
        return version == 6 && (addressHigh & Addresses.highMask(prefixLengthBits)) == high
                && (addressLow & Addresses.lowMask(prefixLengthBits)) == low;
    }

    /** The last address of the range, low 64 bits. */
    public long lastLow() {
        return version == 4 ? low | (~Addresses.v4Mask(prefixLengthBits) & 0xFFFF_FFFFL)
                : low | ~Addresses.lowMask(prefixLengthBits);
    }

    /** The last address of the range, high 64 bits. */
    public long lastHigh() {
        return version == 4 ? 0 : high | ~Addresses.highMask(prefixLengthBits);
    }

    @Override
    public String toString() {
        return (version == 4 ? Addresses.formatV4((int) low) : Addresses.formatV6(high, low)) + "/" + prefixLengthBits;
    }
}
