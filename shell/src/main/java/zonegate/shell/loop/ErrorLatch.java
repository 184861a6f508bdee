package zonegate.shell.loop;

import org.tinylog.Logger;

/**
 * Logs a per-packet failure at DEBUG once per change of state rather than per packet (a bad peer must
 * not flood the log): the first error of a kind, then nothing until the kind changes, then "recovered"
 * once the failures stop. Single-threaded: one per thread that reports.
 */
final class ErrorLatch {
    private final String where;
    private String lastKind;
    private long suppressed;

    ErrorLatch(String where) {
        this.where = where;
    }

    /** Reports a failure of {@code kind} (an exception class, an errno name) with its detail. */
    void onError(String kind, Object detail) {
        if (!kind.equals(lastKind)) {
            Logger.debug("{}: {} ({}); repeats are not logged until this changes", where, kind, detail);
            lastKind = kind;
            suppressed = 0;
        } else {
            suppressed++;
        }
    }

    /** Reports a stretch without failures; logs the recovery once. */
    void onSuccess() {
        if (lastKind != null) {
            Logger.debug("{}: recovered from {} ({} more not logged)", where, lastKind, suppressed);
            lastKind = null;
        }
    }
}
