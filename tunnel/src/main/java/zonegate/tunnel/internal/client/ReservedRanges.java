package zonegate.tunnel.internal.client;

import java.util.ArrayList;
import java.util.List;
import zonegate.filter.Cidr;
import zonegate.filter.InternetExclusions;

/**
 * The client's own address ranges (tunnel, DNS-resource proxy, stub resolver sentinels) and the test
 * "may this destination go to the Internet resource", answered without allocating: the excluded ranges
 * are flattened once into network/mask arrays and scanned (a few dozen entries, cheaper than a tree).
 */
final class ReservedRanges {
    static final Cidr TUNNEL_V4 = Cidr.parse("100.64.0.0/11");
    static final Cidr TUNNEL_V6 = Cidr.parse("fd00:2021:1111::/107");
    static final Cidr PROXY_V4 = Cidr.parse("100.96.0.0/11");
    static final Cidr PROXY_V6 = Cidr.parse("fd00:2021:1111:8000::/107");
    static final Cidr SENTINEL_V4 = Cidr.parse("100.100.111.0/24");
    static final Cidr SENTINEL_V6 = Cidr.parse("fd00:2021:1111:8000:100:100:111:0/120");
    static final Cidr ALL_V4 = Cidr.parse("0.0.0.0/0");
    static final Cidr ALL_V6 = Cidr.parse("::/0");

    /** What the TUN device always routes, whatever the resources. */
    static final List<Cidr> ALWAYS_ROUTED = List.of(TUNNEL_V4, TUNNEL_V6, PROXY_V4, PROXY_V6, SENTINEL_V4, SENTINEL_V6);

    private static final long[] NETWORK_V4;
    private static final long[] MASK_V4;
    private static final long[] NETWORK_HIGH;
    private static final long[] NETWORK_LOW;
    private static final long[] MASK_HIGH;
    private static final long[] MASK_LOW;

    static {
        // The client's own ranges are listed even where InternetExclusions already covers them, so
        // narrowing a broader exclusion there can never send tunnel or proxy traffic to the Internet.
        List<Cidr> v4 = new ArrayList<>(InternetExclusions.IPV4);
        v4.addAll(List.of(TUNNEL_V4, PROXY_V4, SENTINEL_V4));
        List<Cidr> v6 = new ArrayList<>(InternetExclusions.IPV6);
        v6.addAll(List.of(TUNNEL_V6, PROXY_V6, SENTINEL_V6));
        NETWORK_V4 = new long[v4.size()];
        MASK_V4 = new long[v4.size()];
        for (int i = 0; i < v4.size(); i++) {
            NETWORK_V4[i] = v4.get(i).low();
            MASK_V4[i] = Masks.v4(v4.get(i).prefixLengthBits());
        }
        NETWORK_HIGH = new long[v6.size()];
        NETWORK_LOW = new long[v6.size()];
        MASK_HIGH = new long[v6.size()];
        MASK_LOW = new long[v6.size()];
        for (int i = 0; i < v6.size(); i++) {
            Cidr c = v6.get(i);
            NETWORK_HIGH[i] = c.high();
            NETWORK_LOW[i] = c.low();
            MASK_HIGH[i] = Masks.high(c.prefixLengthBits());
            MASK_LOW[i] = Masks.low(c.prefixLengthBits());
        }
    }

    private ReservedRanges() {
    }

    /** Whether the Internet resource must never carry a packet for this IPv4 destination. */
    static boolean excludedFromInternetV4(int destination) {
        long address = destination & 0xFFFF_FFFFL;
        for (int i = 0; i < NETWORK_V4.length; i++) {
            if ((address & MASK_V4[i]) == NETWORK_V4[i]) {
                return true;
            }
        }
        return false;
    }

    /** Whether the Internet resource must never carry a packet for this IPv6 destination. */
    static boolean excludedFromInternetV6(long high, long low) {
        for (int i = 0; i < NETWORK_HIGH.length; i++) {
            if ((high & MASK_HIGH[i]) == NETWORK_HIGH[i] && (low & MASK_LOW[i]) == NETWORK_LOW[i]) {
                return true;
            }
        }
        return false;
    }
}
