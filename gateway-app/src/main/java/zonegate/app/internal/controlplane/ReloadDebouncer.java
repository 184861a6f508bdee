package zonegate.app.internal.controlplane;

/**
 * Coalesces bursts of file-change events into one reload: the reload is due once no change has been
 * seen for {@code quietNs}, or {@code maxDelayNs} after the first change of a burst, whichever comes
 * first (so a file rewritten continuously is still picked up). Editors save in several steps (write
 * a temporary file, rename it over the old one, touch attributes); reading in the middle would see
 * a missing or half-written file. Not thread-safe; time is passed in.
 */
final class ReloadDebouncer {
    private final long quietNs;
    private final long maxDelayNs;
    private boolean pending;
    private long firstChangeNs;
    private long dueNs;

    ReloadDebouncer(long quietNs, long maxDelayNs) {
        if (quietNs <= 0 || maxDelayNs < quietNs) {
            throw new IllegalArgumentException("need 0 < quietNs <= maxDelayNs");
        }
        this.quietNs = quietNs;
        this.maxDelayNs = maxDelayNs;
    }

    /** A change was seen at {@code nowNs}. */
    void onChange(long nowNs) {
        if (!pending) {
            pending = true;
            firstChangeNs = nowNs;
        }
        dueNs = Math.min(nowNs + quietNs, firstChangeNs + maxDelayNs);
    }

    /** Whether a reload is waiting. */
    boolean pending() {
        return pending;
    }

    /** Nanoseconds until the pending reload is due (0 if due now); only meaningful when {@link #pending()}. */
    long remainingNs(long nowNs) {
        return Math.max(0, dueNs - nowNs);
    }

    /** True once, when a pending reload is due at {@code nowNs}; the burst is then over. */
    boolean takeDue(long nowNs) {
        if (pending && nowNs - dueNs >= 0) {
            pending = false;
            return true;
        }
        return false;
    }
}
