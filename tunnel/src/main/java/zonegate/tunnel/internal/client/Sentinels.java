package zonegate.tunnel.internal.client;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import zonegate.nat64.Addresses;

/**
 * The sentinel addresses and the upstream server behind each: each family is numbered on its own, in the
 * list's order, so the {@code k}-th IPv4 upstream gets {@code 100.100.111.k} and the {@code k}-th IPv6 one
 * {@code fd00:2021:1111:8000:100:100:111:k} (k from 1). Lookups by address are an array index,
 * allocation-free.
 */
final class Sentinels {
    static final int NET4 = ProxyPool.SENTINEL_NET4;
    static final long HIGH6 = 0xfd00_2021_1111_8000L;
    /** The low half of {@code fd00:2021:1111:8000:100:100:111:0}. */
    static final long LOW6_BASE = 0x0100_0100_0111_0000L;

    private final int max;
    private final InetSocketAddress[] by4 = new InetSocketAddress[256];
    private final InetSocketAddress[] by6 = new InetSocketAddress[256];
    private List<StubResolver.Sentinel> list = List.of();

    /** @param max upstreams that get a sentinel, at most 255 */
    Sentinels(int max) {
        this.max = max;
    }

    /** Assigns sentinels to the first {@code max} upstreams; returns how many were left out. */
    int set(List<InetSocketAddress> upstreams) {
        Arrays.fill(by4, null);
        Arrays.fill(by6, null);
        List<StubResolver.Sentinel> out = new ArrayList<>();
        int assigned = Math.min(max, upstreams.size());
        int count4 = 0;
        int count6 = 0;
        for (int i = 0; i < assigned; i++) {
            InetSocketAddress upstream = upstreams.get(i);
            InetAddress sentinel;
            if (upstream.getAddress() instanceof Inet6Address) {
                sentinel = Addresses.toInet6(HIGH6, LOW6_BASE + ++count6);
                by6[count6] = upstream;
            } else {
                sentinel = Addresses.toInet4(NET4 + ++count4);
                by4[count4] = upstream;
            }
            out.add(new StubResolver.Sentinel(sentinel, upstream));
        }
        list = List.copyOf(out);
        return upstreams.size() - assigned;
    }

    List<StubResolver.Sentinel> list() {
        return list;
    }

    /** The upstream behind an IPv4 sentinel, or null. */
    InetSocketAddress upstream4(int address) {
        return (address & 0xFFFF_FF00) == NET4 ? by4[address & 0xFF] : null;
    }

    /** The upstream behind an IPv6 sentinel, or null. */
    InetSocketAddress upstream6(long high, long low) {
        return high == HIGH6 && (low & ~0xFFL) == LOW6_BASE ? by6[(int) low & 0xFF] : null;
    }

    /** Whether {@code upstream} is still behind some sentinel. */
    boolean contains(InetSocketAddress upstream) {
        for (StubResolver.Sentinel s : list) {
            if (s.upstream().equals(upstream)) {
                return true;
            }
        }
        return false;
    }
}
