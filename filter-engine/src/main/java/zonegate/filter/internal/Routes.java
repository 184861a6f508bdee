package zonegate.filter.internal;

/**
 * The per-packet choice among a destination's candidates (already in specificity order: longest
 * prefix or most specific pattern first, then resource id). Expired entries are skipped. Among the
 * rest: the flow's existing route if it still permits the packet, else the first that permits it.
 */
public final class Routes {
    /** {@link #choose} found no unexpired candidate. */
    public static final int NO_RESOURCE = -1;

    private Routes() {
    }

    /**
     * @param candidates holds the candidates at {@code [from, to)}, as (entry, filter offset) pairs
     * @param flowEntry the entry the packet's flow was routed through, or -1
     * @return the chosen entry (>= 0); {@link #NO_RESOURCE}; or {@code -2 - entry} when candidates
     *     exist but none permits the packet, {@code entry} being the most specific one (it is named in
     *     the denial)
     */
    public static int choose(Snapshot snapshot, int[] candidates, int from, int to, int flowEntry, int protocol,
                             int destinationPort, long nowNs) {
        int first = -1;
        int permitted = -1;
        boolean noneExpired = snapshot.noneExpired(nowNs);
        for (int i = from; i < to; i += 2) {
            int entry = candidates[i];
            if (!noneExpired && snapshot.expiresAtNs(entry) <= nowNs) {
                continue;
            }
            if (first < 0) {
                first = entry;
            }
            if (snapshot.filterPermits(candidates[i + 1], protocol, destinationPort)) {
                if (entry == flowEntry) {
                    return entry;
                }
                if (permitted < 0) {
                    permitted = entry;
                    if (flowEntry < 0) {
                        break;
                    }
                }
            }
        }
        if (permitted >= 0) {
            return permitted;
        }
        return first < 0 ? NO_RESOURCE : -2 - first;
    }

    /** The entry a denial code of {@link #choose} names. */
    public static int deniedEntry(int code) {
        return -2 - code;
    }
}
