package zonegate.app.internal.status;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "Recent drops": the growth of each drop counter over about the last {@link #WINDOW_NS}, from a small ring of
 * counter snapshots taken every {@link #SAMPLE_EVERY_NS} (at most {@link #CAPACITY}). The count over the
 * window is the total now minus the total in the newest snapshot at least a window old; until the process has
 * run that long, minus the first snapshot, and the window reported is the shorter one.
 *
 * <p>Sans-IO: time comes in as {@code nowNs}. Thread-safe (the admin socket's connections and its sampler
 * call it; a lock here is never taken on the data path).
 */
public final class DropWindow {
    /** The window "recent" means: 60 s. */
    public static final long WINDOW_NS = 60_000_000_000L;
    /** How often a snapshot is kept: 10 s. */
    public static final long SAMPLE_EVERY_NS = 10_000_000_000L;
    /** Snapshots kept: a window's worth and one older. */
    public static final int CAPACITY = (int) (WINDOW_NS / SAMPLE_EVERY_NS) + 1;

    private record Sample(long atNs, Map<String, Long> totals) {
    }

    /**
     * The counts over the window.
     *
     * @param windowNs how far back they reach (shorter than {@link #WINDOW_NS} early in the process's life)
     * @param counts by {@link StatusReport.DropTotal#key()}; a key without growth maps to 0 or is absent
     */
    public record Recent(long windowNs, Map<String, Long> counts) {
        /** The count for {@code key} over the window. */
        public long count(String key) {
            return counts.getOrDefault(key, 0L);
        }
    }

    private final ArrayDeque<Sample> samples = new ArrayDeque<>(CAPACITY + 1);

    /** Starts at {@code startNs} with every counter at zero (counters start with the process). */
    public DropWindow(long startNs) {
        samples.add(new Sample(startNs, Map.of()));
    }

    /** Keeps a snapshot of {@code totals} if the newest is {@link #SAMPLE_EVERY_NS} old or older. */
    public synchronized void record(long nowNs, List<StatusReport.DropTotal> totals) {
        if (nowNs - samples.peekLast().atNs() < SAMPLE_EVERY_NS) {
            return;
        }
        Map<String, Long> copy = new HashMap<>();
        totals.forEach(t -> copy.put(t.key(), t.total()));
        samples.addLast(new Sample(nowNs, copy));
        while (samples.size() > CAPACITY) {
            samples.removeFirst();
        }
    }

    /** The growth of {@code totals} (read at {@code nowNs}) over the window. */
    public synchronized Recent recent(long nowNs, List<StatusReport.DropTotal> totals) {
        Sample base = samples.peekFirst();
        for (Sample s : samples) {
            if (nowNs - s.atNs() >= WINDOW_NS) {
                base = s;
            }
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (StatusReport.DropTotal t : totals) {
            counts.put(t.key(), Math.max(0, t.total() - base.totals().getOrDefault(t.key(), 0L)));
        }
        return new Recent(Math.max(0, nowNs - base.atNs()), counts);
    }
}
