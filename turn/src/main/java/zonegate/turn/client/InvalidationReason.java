package zonegate.turn.client;

/** Why an {@link Allocation} withdrew its addresses ({@link AllocationEvent.Invalidated}). */
public enum InvalidationReason {
    /**
     * A request went unanswered for 8 s and nothing else was answered since its last send: the relay is
     * unresponsive. Only the relayed addresses are
     * withdrawn (the server-reflexive address is our NAT's, not the relay's). A later answer recovers it.
     */
    UNRESPONSIVE,
    /** 437 Allocation Mismatch: the relay has no allocation for our 5-tuple, or one we did not expect. */
    ALLOCATION_MISMATCH,
    /** 508 Insufficient Capacity: the relay cannot allocate now; the allocation backs off. */
    INSUFFICIENT_CAPACITY,
    /** 486 Allocation Quota Reached; the allocation backs off. */
    QUOTA_REACHED,
    /** 401 although credentials were sent: wrong user name or password; the allocation backs off. */
    UNAUTHORIZED,
    /** Any other error answer, or a malformed success; the allocation backs off. */
    REJECTED,
    /** {@link Allocation#close(long)} was called: the allocation is deleted on the relay and stays closed. */
    CLOSED
}
