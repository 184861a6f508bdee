package zonegate.portal.internal;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The gateways' tunnel addresses: one IPv4 from 100.64.0.0/11 and one IPv6 from fd00:2021:1111::/107 per
 * gateway name, counting down from the top of each range (clients are configured from the bottom up, by
 * habit), never one a client holds, and the same for a name as long as the portal runs. Bounded by the
 * number of gateway names the policies ever held (each a handful of bytes).
 */
final class TunnelAddresses {
    /** 100.95.255.254, the last usable address of 100.64.0.0/11. */
    private static final long V4_TOP = (100L << 24) | (95L << 16) | (255L << 8) | 254L;
    /** fd00:2021:1111::1f:fffe, near the top of fd00:2021:1111::/107. */
    private static final BigInteger V6_TOP = new BigInteger("fd002021111100000000000000" + "1ffffe", 16);
    private static final long RANGE_SIZE = 1L << 21;

    record Pair(String ipv4, String ipv6) {
    }

    private final Map<String, Pair> byGateway = new HashMap<>();
    private long nextIndex;

    /** The addresses of {@code gateway}, allocated on first use avoiding {@code taken} (client addresses). */
    Pair of(String gateway, Set<InetAddress> taken) {
        Pair existing = byGateway.get(gateway);
        if (existing != null) {
            return existing;
        }
        while (nextIndex < RANGE_SIZE - 2) {
            long index = nextIndex++;
            InetAddress v4 = v4(V4_TOP - index);
            InetAddress v6 = v6(V6_TOP.subtract(BigInteger.valueOf(index)));
            if (!taken.contains(v4) && !taken.contains(v6)) {
                Pair pair = new Pair(v4.getHostAddress(), v6.getHostAddress());
                byGateway.put(gateway, pair);
                return pair;
            }
        }
        throw new IllegalStateException("tunnel address ranges exhausted");
    }

    private static InetAddress v4(long value) {
        byte[] raw = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        return literal(raw);
    }

    private static InetAddress v6(BigInteger value) {
        byte[] big = value.toByteArray();
        byte[] raw = new byte[16];
        System.arraycopy(big, Math.max(0, big.length - 16), raw, Math.max(0, 16 - big.length), Math.min(16, big.length));
        return literal(raw);
    }

    private static InetAddress literal(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Parses a configured address literal (no DNS), or null when it is not one. */
    static InetAddress parse(String text) {
        try {
            return InetAddress.ofLiteral(text);
        } catch (IllegalArgumentException notLiteral) {
            return null;
        }
    }
}
