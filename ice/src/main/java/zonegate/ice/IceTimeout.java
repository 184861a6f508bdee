package zonegate.ice;

/**
 * The earliest instant an {@link IceAgent} wants {@link IceAgent#handleTimeout(long)} called.
 *
 * @param deadlineNs on the same monotonic clock as every {@code nowNs}
 * @param reason what is due, for logs and tests
 */
public record IceTimeout(long deadlineNs, Reason reason) {

    /** What a deadline is for. */
    public enum Reason {
        /** Ta has passed and a check is waiting to be sent. */
        PACING,
        /** A check must be retransmitted, or its transaction has timed out. */
        RETRANSMIT,
        /** The controlling agent stops waiting for a better pair and nominates. */
        NOMINATION,
        /** The next consent/keepalive check on the selected pair. */
        CONSENT,
        /** The disconnect grace period ends. */
        DISCONNECT_GRACE,
        /** No remote candidate has arrived yet. */
        CANDIDATE_TIMEOUT
    }
}
