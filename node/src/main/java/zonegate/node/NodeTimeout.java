package zonegate.node;

/**
 * When the node next needs {@link Node#handleTimeout}, from {@link Node#pollTimeout()}.
 *
 * @param deadlineNs on the caller's monotonic clock; the last {@code nowNs} while output is queued
 * @param reason what is due, for logs and tests
 */
public record NodeTimeout(long deadlineNs, String reason) {
}
