package zonegate.turn.client;

/**
 * The earliest moment an {@link Allocation} wants {@link Allocation#handleTimeout(long)} called.
 *
 * @param deadlineNs on the same monotonic clock as every {@code nowNs}
 * @param reason what is due, for logs and tests
 */
public record AllocationTimeout(long deadlineNs, TimeoutReason reason) {
}
