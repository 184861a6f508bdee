package zonegate.turn.client;

/** What an {@link Allocation}'s next deadline is for (see {@link Allocation#pollTimeout()}). */
public enum TimeoutReason {
    /** Retransmit a request, or give it up. */
    RETRANSMIT,
    /** Send a BINDING to keep the NAT binding to the relay open (25 s without traffic). */
    KEEPALIVE,
    /** Refresh the allocation (half its lifetime). */
    REFRESH,
    /** Refresh or expire a channel binding. */
    CHANNEL,
    /** Try to allocate again after a failure. */
    BACKOFF
}
