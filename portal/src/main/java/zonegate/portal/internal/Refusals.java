package zonegate.portal.internal;

import java.util.HashMap;
import java.util.Map;
import org.tinylog.Logger;

/**
 * Logs refused upgrades at WARN once per source per minute, counting the rest of that minute's. Bounded:
 * at most {@value #MAX_SOURCES} sources remembered; beyond that the oldest minute's are forgotten.
 * Thread-safe.
 */
public final class Refusals {
    static final int MAX_SOURCES = 4096;
    private static final long MINUTE_NS = 60_000_000_000L;

    private record Window(long startNs, long suppressed) {
    }

    private final Map<String, Window> bySource = new HashMap<>();
    private long total;

    /** Records a refusal of {@code source} at {@code nowNs}, logging it if it is the first in its minute. */
    public synchronized void refused(String source, String role, String reason, String detail, long nowNs) {
        total++;
        Window window = bySource.get(source);
        if (window != null && nowNs - window.startNs() < MINUTE_NS) {
            bySource.put(source, new Window(window.startNs(), window.suppressed() + 1));
            return;
        }
        if (bySource.size() >= MAX_SOURCES) {
            bySource.values().removeIf(w -> nowNs - w.startNs() >= MINUTE_NS);
            if (bySource.size() >= MAX_SOURCES) {
                bySource.clear();
            }
        }
        long earlier = window == null ? 0 : window.suppressed();
        bySource.put(source, new Window(nowNs, 0));
        Logger.warn("portal: refused {} from {}: {} ({}){}", role, source, reason, detail,
                earlier == 0 ? "" : "; " + earlier + " more refusals from it in the minute before");
    }

    /** Refusals since start. */
    public synchronized long total() {
        return total;
    }
}
