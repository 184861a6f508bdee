package zonegate.filter.internal;

import zonegate.packet.IpText;


/** Address bit masks and formatting (formatting allocates: for reasons and logs only). */
public final class Addresses {
    private Addresses() {
    }

    /** Mask of the first {@code bits} of 32, as an unsigned value in a long. */
    public static long v4Mask(int bits) {
        return bits == 0 ? 0 : (0xFFFF_FFFFL << (32 - bits)) & 0xFFFF_FFFFL;
    }

    /** Mask of the first {@code bits} of 128, restricted to the high 64 bits. */
    public static long highMask(int bits) {
        return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
    }

    /** Mask of the first {@code bits} of 128, restricted to the low 64 bits. */
    public static long lowMask(int bits) {
        return bits <= 64 ? 0 : bits >= 128 ? -1L : -1L << (128 - bits);
    }

    public static int int32(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    public static long long64(byte[] b, int at) {
        return (long) int32(b, at) << 32 | (int32(b, at + 4) & 0xFFFF_FFFFL);
    }

    public static String formatV4(int address) {
        return IpText.formatV4(address);
    }

    /** RFC 5952 text of an IPv6 address. */
    public static String formatV6(long high, long low) {
        return IpText.formatV6(high, low);
    }
}
