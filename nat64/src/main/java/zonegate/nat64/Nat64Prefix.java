package zonegate.nat64;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An RFC 6052 IPv4-embedding prefix, such as the well-known {@code 64:ff9b::/96}, and the algorithm that
 * embeds an IPv4 address in it and extracts one from an IPv6 address (RFC 6052 section 2.2).
 *
 * <pre>
 * +--+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
 * |PL| 0-------------32--40--48--56--64--72--80--88--96--104---------|
 * +--+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
 * |32|     prefix    |v4(32)         | u | suffix                    |
 * |40|     prefix        |v4(24)     | u |(8)| suffix                |
 * |48|     prefix            |v4(16) | u | (16)  | suffix            |
 * |56|     prefix                |(8)| u |  v4(24)   | suffix        |
 * |64|     prefix                    | u |   v4(32)      | suffix    |
 * |96|     prefix                                    |    v4(32)     |
 * +--+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+---+
 * </pre>
 *
 * <p>Bits 64 to 71 (the "u" octet) and the suffix are written as zero. Extraction ignores them, as
 * RFC 6052 lets a decoder do. Addresses are {@code long} halves in network order ({@code high} holds
 * bits 0-63), IPv4 addresses {@code int}s in network order, as in {@code zonegate.packet}.
 *
 * @param high       bits 0-63 of the prefix
 * @param low        bits 64-127 of the prefix (non-zero only for a /96)
 * @param lengthBits 32, 40, 48, 56, 64 or 96
 */
public record Nat64Prefix(long high, long low, int lengthBits) {
    /** The well-known prefix {@code 64:ff9b::/96} (RFC 6052 section 2.1). */
    public static final Nat64Prefix WELL_KNOWN = new Nat64Prefix(0x0064_FF9B_0000_0000L, 0, 96);

    /**
     * @throws IllegalArgumentException for a length RFC 6052 does not define, bits set beyond the length,
     *     or a non-zero u octet
     */
    public Nat64Prefix {
        if (lengthBits != 32 && lengthBits != 40 && lengthBits != 48 && lengthBits != 56 && lengthBits != 64
                && lengthBits != 96) {
            throw new IllegalArgumentException("RFC 6052 prefix length must be 32, 40, 48, 56, 64 or 96: " + lengthBits);
        }
        if ((high & ~highMask(lengthBits)) != 0 || (low & ~lowMask(lengthBits)) != 0) {
            throw new IllegalArgumentException("prefix has bits set beyond /" + lengthBits);
        }
        if ((low >>> 56) != 0) {
            throw new IllegalArgumentException("bits 64-71 (the u octet) of the prefix must be zero");
        }
    }

    /**
     * Parses {@code "2001:db8::/32"} (not for the data path: allocates).
     *
     * @throws IllegalArgumentException if the text is not an IPv6 prefix RFC 6052 allows
     */
    public static Nat64Prefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("expected address/length: " + text);
        }
        InetAddress address = InetAddress.ofLiteral(text.substring(0, slash));
        if (!(address instanceof Inet6Address)) {
            throw new IllegalArgumentException("not an IPv6 prefix: " + text);
        }
        byte[] bytes = address.getAddress();
        return new Nat64Prefix(Addresses.high(bytes), Addresses.low(bytes), Integer.parseInt(text.substring(slash + 1)));
    }

    /** Bits 0-63 of the IPv6 address embedding {@code ipv4}. */
    public long embedHigh(int ipv4) {
        long v4 = ipv4 & 0xFFFF_FFFFL;
        return switch (lengthBits) {
            case 32 -> high | v4;
            case 40 -> high | v4 >>> 8;
            case 48 -> high | v4 >>> 16;
            case 56 -> high | v4 >>> 24;
            default -> high;
        };
    }

    /** Bits 64-127 of the IPv6 address embedding {@code ipv4} (the u octet and suffix zero). */
    public long embedLow(int ipv4) {
        long v4 = ipv4 & 0xFFFF_FFFFL;
        return switch (lengthBits) {
            case 32 -> 0;
            case 40 -> (v4 & 0xFF) << 48;
            case 48 -> (v4 & 0xFFFF) << 40;
            case 56 -> (v4 & 0xFF_FFFF) << 32;
            case 64 -> v4 << 24;
            default -> low | v4;
        };
    }

    /** Whether the IPv6 address starts with this prefix (and so embeds an IPv4 address). */
    public boolean contains(long addressHigh, long addressLow) {
        return (addressHigh & highMask(lengthBits)) == high && (addressLow & lowMask(lengthBits)) == low;
    }

    /** The IPv4 address embedded in an address this prefix {@linkplain #contains contains}. */
    public int extract(long addressHigh, long addressLow) {
        return switch (lengthBits) {
            case 32 -> (int) addressHigh;
            case 40 -> (int) (addressHigh << 8 | (addressLow >>> 48) & 0xFF);
            case 48 -> (int) (addressHigh << 16 | (addressLow >>> 40) & 0xFFFF);
            case 56 -> (int) (addressHigh << 24 | (addressLow >>> 32) & 0xFF_FFFF);
            case 64 -> (int) (addressLow >>> 24);
            default -> (int) addressLow;
        };
    }

    private static long highMask(int lengthBits) {
        return lengthBits >= 64 ? -1L : -1L << (64 - lengthBits);
    }

    private static long lowMask(int lengthBits) {
        return lengthBits <= 64 ? 0 : -1L << (128 - lengthBits);
    }
}
