package zonegate.node.internal;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides whether a log line about a source may be written: at most once per source per interval, over
 * at most {@value #MAX_SOURCES} remembered sources (the oldest forgotten first), so a flood of
 * spoofed sources cannot grow it.
 */
public final class OncePerSource {
    /** Sources remembered. */
    public static final int MAX_SOURCES = 1024;

    private final long intervalNs;
    private final Map<InetSocketAddress, Long> lastNs = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Long> eldest) {
            return size() > MAX_SOURCES;
        }
    };

    public OncePerSource(long intervalNs) {
        this.intervalNs = intervalNs;
    }

    /** Whether to log about {@code source} now; if so, the next line waits for the interval. */
    public boolean allow(InetSocketAddress source, long nowNs) {
        Long last = lastNs.get(source);
        if (last != null && nowNs - last < intervalNs) {
            return false;
        }
        lastNs.remove(source);
        lastNs.put(source, nowNs);
        return true;
    }
}
