package zonegate.nat64.internal;

/**
 * The ICMP type, code and parameter-problem pointer tables of RFC 7915 (sections 4.2 and 5.2), and the
 * RFC 1191 MTU plateaus. A mapped type and code are packed as {@code type << 8 | code}; -1 means the
 * message is silently dropped.
 */
public final class IcmpMapping {
    /** RFC 1191 section 7, table 7-1 (the plateaus), largest first. */
    private static final int[] PLATEAUS = {65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};

    private IcmpMapping() {
    }

    /** ICMPv4 error type/code to ICMPv6 (RFC 7915 section 4.2). */
    public static int v4ErrorToV6(int type, int code) {
        return switch (type) {
            case 3 -> switch (code) {
                case 0, 1, 5, 6, 7, 8, 11, 12 -> 1 << 8;
                case 2 -> 4 << 8 | 1;
                case 3 -> 1 << 8 | 4;
                case 4 -> 2 << 8;
                case 9, 10, 13, 15 -> 1 << 8 | 1;
                default -> -1;
            };
            case 11 -> code <= 1 ? 3 << 8 | code : -1;
            case 12 -> code == 0 || code == 2 ? 4 << 8 : -1;
            default -> -1;
        };
    }

    /** ICMPv6 error type/code to ICMPv4 (RFC 7915 section 5.2). */
    public static int v6ErrorToV4(int type, int code) {
        return switch (type) {
            case 1 -> switch (code) {
                case 0, 2, 3 -> 3 << 8 | 1;
                case 1 -> 3 << 8 | 10;
                case 4 -> 3 << 8 | 3;
                default -> -1;
            };
            case 2 -> code == 0 ? 3 << 8 | 4 : -1;
            case 3 -> code <= 1 ? 11 << 8 | code : -1;
            case 4 -> code == 0 ? 12 << 8 : code == 1 ? 3 << 8 | 2 : -1;
            default -> -1;
        };
    }

    /** An IPv4 parameter-problem pointer to the IPv6 one (RFC 7915 figure 3), or -1 when it has none. */
    public static int pointer4to6(int pointer) {
        if (pointer >= 12 && pointer <= 15) {
            return 8;
        }
        if (pointer >= 16 && pointer <= 19) {
            return 24;
        }
        return switch (pointer) {
            case 0 -> 0;
            case 1 -> 1;
            case 2, 3 -> 4;
            case 8 -> 7;
            case 9 -> 6;
            default -> -1;
        };
    }

    /** An IPv6 parameter-problem pointer to the IPv4 one (RFC 7915 figure 6), or -1 when it has none. */
    public static int pointer6to4(long pointer) {
        if (pointer >= 8 && pointer <= 23) {
            return 12;
        }
        if (pointer >= 24 && pointer <= 39) {
            return 16;
        }
        return switch ((int) pointer) {
            case 0 -> 0;
            case 1 -> 1;
            case 4, 5 -> 2;
            case 6 -> 9;
            case 7 -> 8;
            default -> -1;
        };
    }

    /**
     * The greatest RFC 1191 plateau below {@code totalLengthBytes} (the quoted packet's total length), used
     * when a router sent a fragmentation-needed error with a next-hop MTU of 0; 68 when none is below.
     */
    public static int plateauBelow(int totalLengthBytes) {
        for (int plateau : PLATEAUS) {
            if (plateau < totalLengthBytes) {
                return plateau;
            }
        }
        return 68;
    }
}
