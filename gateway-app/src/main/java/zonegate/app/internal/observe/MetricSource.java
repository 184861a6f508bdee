package zonegate.app.internal.observe;

/**
 * Something that contributes metrics to a scrape. Called on the HTTP server's thread for every
 * {@code GET /metrics}: read counters that are safe to read from any thread (LongAdder, volatile), or ask the
 * state thread (see {@link StateSnapshot}); never take a lock the data path takes.
 */
@FunctionalInterface
public interface MetricSource {
    /** Adds this source's metrics to {@code out}. */
    void collect(MetricsBuilder out);
}
