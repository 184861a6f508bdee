package zonegate.tunnel.internal.client;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import zonegate.tunnel.SiteStatus;

/**
 * Every site's status, as a latest value: {@link #takeChanged()} returns the whole map once after any
 * change. Offline goes back to Unknown {@link #OFFLINE_RESET_NS} after it was set.
 */
public final class Sites {
    public static final long OFFLINE_RESET_NS = 300_000_000_000L;

    private final Map<String, SiteStatus> status = new LinkedHashMap<>();
    private final Map<String, Long> offlineUntilNs = new HashMap<>();
    private boolean changed;

    /** The sites named by the resources: new ones start Unknown, gone ones are dropped. */
    public void retain(java.util.Set<String> sites) {
        changed |= status.keySet().retainAll(sites);
        offlineUntilNs.keySet().retainAll(sites);
        for (String s : sites) {
            if (status.putIfAbsent(s, SiteStatus.UNKNOWN) == null) {
                changed = true;
            }
        }
    }

    public void set(String site, SiteStatus value, long nowNs) {
        if (site == null || !status.containsKey(site)) {
            return;
        }
        if (value == SiteStatus.OFFLINE) {
            offlineUntilNs.put(site, nowNs + OFFLINE_RESET_NS);
        } else {
            offlineUntilNs.remove(site);
        }
        if (status.put(site, value) != value) {
            changed = true;
        }
    }

    public SiteStatus get(String site) {
        return status.getOrDefault(site, SiteStatus.UNKNOWN);
    }

    public void handleTimeout(long nowNs) {
        var it = offlineUntilNs.entrySet().iterator();
        while (it.hasNext()) {
            var e = it.next();
            if (e.getValue() <= nowNs) {
                it.remove();
                status.put(e.getKey(), SiteStatus.UNKNOWN);
                changed = true;
            }
        }
    }

    public long pollTimeout() {
        long earliest = Long.MAX_VALUE;
        for (long t : offlineUntilNs.values()) {
            earliest = Math.min(earliest, t);
        }
        return earliest;
    }

    /** The statuses when they changed since the last call, else null. */
    public Map<String, SiteStatus> takeChanged() {
        if (!changed) {
            return null;
        }
        changed = false;
        return Map.copyOf(status);
    }

    public boolean hasChanged() {
        return changed;
    }
}
