package zonegate.tunnel.internal.client;

/**
 * Reads the address out of a reverse-lookup name (RFC 1035 section 3.5 {@code d.c.b.a.in-addr.arpa}, RFC 3596
 * section 2.5 nibble {@code ip6.arpa}), lower-case names without a trailing dot. Only full addresses: a
 * name for a network (fewer labels) is not one.
 */
final class ReverseName {
    private static final String V4_SUFFIX = ".in-addr.arpa";
    private static final String V6_SUFFIX = ".ip6.arpa";
    private static final int V6_NIBBLES = 32;

    private ReverseName() {
    }

    /** The IPv4 address of {@code name} as an unsigned value, or -1 when it is not a full in-addr.arpa name. */
    static long ipv4(String name) {
        if (!name.endsWith(V4_SUFFIX)) {
            return -1;
        }
        int end = name.length() - V4_SUFFIX.length();
        long address = 0;
        int octets = 0;
        int start = 0;
        while (start <= end) {
            int dot = name.indexOf('.', start);
            int labelEnd = dot < 0 || dot > end ? end : dot;
            int octet = octet(name, start, labelEnd);
            if (octet < 0 || ++octets > 4) {
                return -1;
            }
            address |= (long) octet << 8 * (octets - 1);
            start = labelEnd + 1;
        }
        return octets == 4 ? address : -1;
    }

    /**
     * The IPv6 address of {@code name} as two halves in {@code out[0]} (high) and {@code out[1]} (low);
     * false when it is not a full 32-nibble ip6.arpa name.
     */
    static boolean ipv6(String name, long[] out) {
        if (!name.endsWith(V6_SUFFIX) || name.length() != 2 * V6_NIBBLES - 1 + V6_SUFFIX.length()) {
            return false;
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < V6_NIBBLES; i++) {
            int nibble = hex(name.charAt(2 * i));
            if (nibble < 0 || name.charAt(2 * i + 1) != '.') {
                return false;
            }
            // the first label is the least significant nibble
            if (i < 16) {
                low |= (long) nibble << 4 * i;
            } else {
                high |= (long) nibble << 4 * (i - 16);
            }
        }
        out[0] = high;
        out[1] = low;
        return true;
    }

    private static int hex(char ch) {
        if (ch >= '0' && ch <= '9') {
            return ch - '0';
        }
        return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
    }

    /** A decimal octet without leading zeros in {@code [start, end)}, or -1. */
    private static int octet(String s, int start, int end) {
        int length = end - start;
        if (length < 1 || length > 3 || length > 1 && s.charAt(start) == '0') {
            return -1;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            value = value * 10 + ch - '0';
        }
        return value <= 255 ? value : -1;
    }
}
