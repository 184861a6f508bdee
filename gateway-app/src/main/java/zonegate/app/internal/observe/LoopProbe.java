package zonegate.app.internal.observe;

import java.util.function.Supplier;
import zonegate.shell.loop.LoopCounters;

/**
 * The liveness check: the event loop's state thread started a duty cycle within the last {@code maxAgeNs},
 * or it is parked between cycles and its park ends no more than {@code maxAgeNs} before now. An idle loop
 * parks until its next deadline (at most {@code EventLoopConfig.maxParkNs}, 1 s), so it passes however
 * seldom it turns; a driver stuck in a cycle or a dead state thread fails once {@code maxAgeNs} has passed.
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
        long parkedUntilNs = loop.parkedUntilNs();
        if (parkedUntilNs != 0 && nowNs - parkedUntilNs <= maxAgeNs) {
            return new HealthCheck("event_loop", true, "idle, parked until the next deadline");
        }
        long ageNs = nowNs - loop.lastCycleNs();
        boolean ok = ageNs <= maxAgeNs;
        return new HealthCheck("event_loop", ok, "last cycle " + Math.max(0, ageNs / 1_000_000) + " ms ago");
    }
}
