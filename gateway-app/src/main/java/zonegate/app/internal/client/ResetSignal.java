package zonegate.app.internal.client;

import org.tinylog.Logger;
import sun.misc.Signal;

/** SIGUSR1 as a request to reset the client's connections (as after a network change). */
public final class ResetSignal {
    private ResetSignal() {
    }

    /** Runs {@code onReset} (on a JVM signal thread) at every SIGUSR1. */
    public static void install(Runnable onReset) {
        try {
            Signal.handle(new Signal("USR1"), signal -> {
                Logger.info("SIGUSR1 received: resetting connections");
                onReset.run();
            });
        } catch (IllegalArgumentException e) {
            Logger.warn("SIGUSR1 cannot trigger resets here ({})", e.getMessage());
        }
    }
}
