package zonegate.app.internal.observe;

import java.util.function.Supplier;
import zonegate.shell.loop.LoopCounters;

/**
 * The liveness check: the event loop's state thread started a duty cycle within the last {@code maxAgeNs}.
 * It parks at most 100 ms when idle ({@code EventLoopConfig.maxParkNs}), so a healthy loop is never more than
 * that behind; a stuck driver or a dead state thread shows here.
 *
 * @param counters the running loop's counters, or null while none runs (starting, or stopped)
 */
public record LoopProbe(Supplier<LoopCounters> counters, long maxAgeNs) implements HealthProbe {
    /** What {@code /healthz} allows: 2 s. */
    public static final long MAX_AGE_NS = 2_000_000_000L;

    @Override
    public HealthCheck check(long nowNs) {
        LoopCounters loop = counters.get();
        if (loop == null) {
            return new HealthCheck("event_loop", false, "not running");
        }
        long ageNs = nowNs - loop.lastCycleNs();
        boolean ok = ageNs <= maxAgeNs;
        return new HealthCheck("event_loop", ok, "last cycle " + Math.max(0, ageNs / 1_000_000) + " ms ago");
    }
}
