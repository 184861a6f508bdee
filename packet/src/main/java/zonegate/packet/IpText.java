package zonegate.packet;

import java.net.InetAddress;

/**
 * The canonical text of an IP address: IPv4 as a dotted quad, IPv6 in RFC 5952 form (lower case, no
 * leading zeros, the longest run of two or more zero groups, the first of equal runs, as "::"), without a
 * zone. It is the shortest text of the address, so a message that re-writes addresses it parsed never
 * grows.
 */
public final class IpText {
    private IpText() {
    }

    /** The address's canonical text. */
    public static String format(InetAddress address) {
        byte[] b = address.getAddress();
        if (b.length == 4) {
            return formatV4((b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF));
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = high << 8 | (b[i] & 0xFF);
            low = low << 8 | (b[8 + i] & 0xFF);
        }
        return formatV6(high, low);
    }

    /** An IPv4 address (32 bits, network order) as a dotted quad. */
    public static String formatV4(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }

    /** An IPv6 address in RFC 5952 form. */
    public static String formatV6(long high, long low) {
        int[] words = new int[8];
        for (int i = 0; i < 4; i++) {
            words[i] = (int) (high >>> (48 - 16 * i)) & 0xFFFF;
            words[4 + i] = (int) (low >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLength - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(words[i]));
        }
        return sb.toString();
    }
}
