package zonegate.app.internal.controlplane;

import org.tinylog.Logger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP as a reload request: the one place that touches {@code sun.misc.Signal}. The JVM runs the
 * handler on a thread of its own; {@link #close()} puts the previous handler back.
 */
final class HangupSignal implements AutoCloseable {
    private static final Signal HUP = new Signal("HUP");

    private final SignalHandler previous;

    private HangupSignal(SignalHandler previous) {
        this.previous = previous;
    }

    /**
     * Runs {@code onHangup} on every SIGHUP until closed. If the JVM will not hand the signal over
     * (e.g. run with {@code -Xrs}), logs why and returns a registration that does nothing.
     */
    static HangupSignal install(Runnable onHangup) {
        try {
            return new HangupSignal(Signal.handle(HUP, signal -> onHangup.run()));
        } catch (IllegalArgumentException e) {
            Logger.warn("SIGHUP cannot trigger reloads here ({}); the configuration file is still watched",
                    e.getMessage());
            return new HangupSignal(null);
        }
    }

    /** Sends SIGHUP to this process (for tests). */
    static void raise() {
        Signal.raise(HUP);
    }

    @Override
    public void close() {
        if (previous != null) {
            Signal.handle(HUP, previous);
        }
    }
}
