package zonegate.app.internal.gateway;

import org.tinylog.Logger;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT as a request for a graceful stop, instead of the JVM's abrupt shutdown: the
 * gateway then stops reading, flushes for at most 1 s, closes its device and exits 0.
 */
public final class TerminationSignals {
    private TerminationSignals() {
    }

    /** Runs {@code onStop} (on a JVM signal thread) at the first SIGTERM or SIGINT. */
    public static void install(Runnable onStop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    Logger.info("SIG{} received: stopping", signal.getName());
                    onStop.run();
                });
            } catch (IllegalArgumentException e) {
                Logger.warn("SIG{} cannot be handled here ({}); the JVM's default applies", name, e.getMessage());
            }
        }
    }
}
