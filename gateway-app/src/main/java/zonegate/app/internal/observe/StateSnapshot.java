package zonegate.app.internal.observe;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Metrics that only the state thread may read (a state machine's counters are plain fields): a scrape
 * submits a {@link Request} through the event loop's command queue, the driver fills it in on the state
 * thread with {@link Request#answer}, and the scrape waits at most {@code timeoutMs}. A refused or late
 * request leaves these metrics out of that scrape and counts in {@code zonegate_scrape_state_timeouts_total}.
 *
 * @param submit the loop's {@code submit} (false when the command queue is full)
 */
public record StateSnapshot(Predicate<Object> submit, long timeoutMs, LongAdder timeouts) implements MetricSource {
    /** What a scrape waits for the state thread by default. */
    public static final long TIMEOUT_MS = 1_000;

    public StateSnapshot(Predicate<Object> submit) {
        this(submit, TIMEOUT_MS, new LongAdder());
    }

    /** The command the driver answers on the state thread. */
    public record Request(CompletableFuture<List<MetricFamily>> result) {
        /** Collects {@code collector}'s metrics now (on the state thread) and completes the request. */
        public void answer(Consumer<MetricsBuilder> collector) {
            MetricsBuilder out = new MetricsBuilder();
            try {
                collector.accept(out);
                result.complete(out.build());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    @Override
    public void collect(MetricsBuilder out) {
        Request request = new Request(new CompletableFuture<>());
        List<MetricFamily> families = List.of();
        if (submit.test(request)) {
            try {
                families = request.result().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                timeouts.increment();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        } else {
            timeouts.increment();
        }
        families.forEach(out::add);
        out.counter("zonegate_scrape_state_timeouts_total",
                "Scrapes whose request to the state thread was refused or unanswered within 1 s.", timeouts.sum());
    }
}
