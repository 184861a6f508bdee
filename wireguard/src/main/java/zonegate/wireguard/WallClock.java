package zonegate.wireguard;

/**
 * The wall clock for TAI64N handshake timestamps, injected so the state machines stay pure.
 * Responders reject initiations whose timestamp is not after the last accepted one, so this clock
 * should not step backwards across restarts of the initiator.
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
