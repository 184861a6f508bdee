package zonegate.app.internal.status;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A command the admin socket submits through the event loop's command queue; the driver answers it on the
 * state thread with {@link #answer}, as with {@code StateSnapshot.Request}.
 *
 * @param wallClockMs the asking thread's wall clock (the report's time; handshakes and expiries are shown against it)
 * @param dropsOnly only the drop counters are wanted (the admin socket's periodic sample): skip the clients
 */
public record StatusRequest(long wallClockMs, boolean dropsOnly, CompletableFuture<StatusSnapshot> result) {
    /** Collects now (on the state thread) and completes the request; a collector's bug fails it, not the loop. */
    public void answer(Supplier<StatusSnapshot> collector) {
        try {
            result.complete(collector.get());
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }
}
