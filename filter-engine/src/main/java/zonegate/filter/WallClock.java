package zonegate.filter;

/**
 * The wall clock, injected at construction so the engine stays sans-IO. It is read only when an
 * authorisation is set (to turn its Unix-seconds expiry into the monotonic {@code nowNs} domain),
 * never per packet.
 */
@FunctionalInterface
public interface WallClock {
    /** Nanoseconds since the Unix epoch. */
    long epochNanos();

    /** The system clock ({@code Instant.now()}); for the shell only. */
    static WallClock system() {
        return () -> {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }
}
