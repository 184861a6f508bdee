package zonegate.app.internal.observe;

/** One health check, evaluated on every probe (on the HTTP server's thread; cheap, lock-free reads only). */
@FunctionalInterface
public interface HealthProbe {
    /** The check's outcome at {@code nowNs} ({@link System#nanoTime()} of the request). */
    HealthCheck check(long nowNs);
}
