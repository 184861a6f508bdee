package zonegate.filter.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import zonegate.filter.Filter;
import zonegate.packet.IpProtocol;

/**
 * A resource's filters compiled for the per-packet check: per protocol, the permitted destination
 * ports as sorted, disjoint, non-touching inclusive ranges (binary-searched), laid out flat in the
 * snapshot's filter pool. Immutable.
 */
public final class PortRanges {
    private static final int[] NONE = new int[0];
    /** What an empty filter list compiles to: everything permitted. */
    public static final PortRanges ALL = new PortRanges(true, true, NONE, NONE, NONE, NONE);

    private final boolean all;
    private final boolean icmp;
    private final int[] tcpFrom;
    private final int[] tcpTo;
    private final int[] udpFrom;
    private final int[] udpTo;

    private PortRanges(boolean all, boolean icmp, int[] tcpFrom, int[] tcpTo, int[] udpFrom, int[] udpTo) {
        this.all = all;
        this.icmp = icmp;
        this.tcpFrom = tcpFrom;
        this.tcpTo = tcpTo;
        this.udpFrom = udpFrom;
        this.udpTo = udpTo;
    }

    public static PortRanges compile(List<Filter> filters) {
        if (filters.isEmpty()) {
            return ALL;
        }
        List<int[]> tcp = new ArrayList<>();
        List<int[]> udp = new ArrayList<>();
        boolean icmp = false;
        for (Filter filter : filters) {
            switch (filter) {
                case Filter.Tcp(int from, int to) -> tcp.add(new int[] {from, to});
                case Filter.Udp(int from, int to) -> udp.add(new int[] {from, to});
                case Filter.Icmp() -> icmp = true;
            }
        }
        int[][] t = merge(tcp);
        int[][] u = merge(udp);
        return new PortRanges(false, icmp, t[0], t[1], u[0], u[1]);
    }

    /** Ints this filter takes in a flat pool ({@link #writeTo}); 0 for {@link #ALL}. */
    public int poolInts() {
        return all ? 0 : 3 + 2 * tcpFrom.length + 2 * udpFrom.length;
    }

    /**
     * Writes this filter at {@code pool[at]}: {@code icmp, tcpCount, udpCount, tcpFrom[], tcpTo[],
     * udpFrom[], udpTo[]}, so the per-packet check reads one contiguous run of ints.
     */
    public void writeTo(int[] pool, int at) {
        pool[at] = icmp ? 1 : 0;
        pool[at + 1] = tcpFrom.length;
        pool[at + 2] = udpFrom.length;
        int i = at + 3;
        for (int[] a : new int[][] {tcpFrom, tcpTo, udpFrom, udpTo}) {
            System.arraycopy(a, 0, pool, i, a.length);
            i += a.length;
        }
    }

    /**
     * Whether the filter written by {@link #writeTo} at {@code pool[at]} (at < 0: {@link #ALL}) permits a
     * packet of {@code protocol} to {@code destinationPort}. A TCP/UDP packet without a port (-1: a
     * non-first fragment) is permitted only when every port of its protocol is. ICMP and ICMPv6 are
     * one filter; other protocols pass only an empty filter list.
     */
    public static boolean permits(int[] pool, int at, int protocol, int destinationPort) {
        if (at < 0) {
            return true;
        }
        int tcp = pool[at + 1];
        int udp = pool[at + 2];
        int tcpAt = at + 3;
        int udpAt = tcpAt + 2 * tcp;
        return switch (protocol) {
            case IpProtocol.TCP -> containsIn(pool, tcpAt, pool, tcpAt + tcp, tcp, destinationPort);
            case IpProtocol.UDP -> containsIn(pool, udpAt, pool, udpAt + udp, udp, destinationPort);
            case IpProtocol.ICMP, IpProtocol.ICMPV6 -> pool[at] != 0;
            default -> false;
        };
    }

    private static boolean containsIn(int[] fromArray, int fromAt, int[] toArray, int toAt, int count, int port) {
        if (port < 0) {
            return count == 1 && fromArray[fromAt] == 0 && toArray[toAt] == 65535;
        }
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (fromArray[fromAt + mid] <= port) {
                if (port <= toArray[toAt + mid]) {
                    return true;
                }
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return false;
    }

    /** Sorts and merges overlapping or touching ranges ([1,5] and [6,9] become [1,9]). */
    private static int[][] merge(List<int[]> ranges) {
        ranges.sort((a, b) -> Integer.compare(a[0], b[0]));
        int[] from = new int[ranges.size()];
        int[] to = new int[ranges.size()];
        int n = 0;
        for (int[] r : ranges) {
            if (n > 0 && r[0] <= to[n - 1] + 1) {
                to[n - 1] = Math.max(to[n - 1], r[1]);
            } else {
                from[n] = r[0];
                to[n] = r[1];
                n++;
            }
        }
        return new int[][] {Arrays.copyOf(from, n), Arrays.copyOf(to, n)};
    }
}
