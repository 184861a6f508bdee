package zonegate.app.internal.dns;

import org.tinylog.Logger;

/**
 * Logs failures of one thing (an upstream server, the backend) at DEBUG once per change of state, not
 * once per query: the first failure of a kind, nothing while the kind stays the same, then one line
 * when a success follows. Thread-safe: queries of many virtual threads report to one instance.
 */
final class StateChangeLog {
    private final String what;
    private String failing;
    private long repeats;

    StateChangeLog(String what) {
        this.what = what;
    }

    synchronized void onFailure(Object kind, Object detail) {
        String k = String.valueOf(kind);
        if (!k.equals(failing)) {
            Logger.debug("{}: {} ({}); repeats are not logged until this changes", what, k, detail);
            failing = k;
            repeats = 0;
        } else {
            repeats++;
        }
    }

    void onSuccess() {
        synchronized (this) {
            if (failing == null) {
                return;
            }
            Logger.debug("{}: answering again after {} ({} more failures not logged)", what, failing, repeats);
            failing = null;
        }
    }
}
