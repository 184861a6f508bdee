package zonegate.controlplane.internal;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the n-th delay in a row (n from 0) is uniform in
 * {@code [0, min(maxNs, startNs * 2^n)]}. {@link #reset()} starts over.
 */
public final class Backoff {
    private final long startNs;
    private final long maxNs;
    private int attempt;

    public Backoff(long startNs, long maxNs) {
        if (startNs <= 0 || maxNs < startNs) {
            throw new IllegalArgumentException("backoff " + startNs + " ns .. " + maxNs + " ns");
        }
        this.startNs = startNs;
        this.maxNs = maxNs;
    }

    /** The upper bound of the next delay. */
    public long ceilingNs() {
        // From this attempt on, startNs << attempt would reach the sign bit (and the cap long before).
        if (attempt >= Long.numberOfLeadingZeros(startNs) - 1) {
            return maxNs;
        }
        return Math.min(maxNs, startNs << attempt);
    }

    /** The next delay, and one more attempt counted. */
    public long nextDelayNs(RandomGenerator random) {
        long ceiling = ceilingNs();
        if (attempt < Integer.MAX_VALUE) {
            attempt++;
        }
        return random.nextLong(ceiling + 1);
    }

    /** After a connection that stayed up long enough: the next delay is bounded by the start again. */
    public void reset() {
        attempt = 0;
    }
}
