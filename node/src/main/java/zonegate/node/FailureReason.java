package zonegate.node;

/** Why a connection failed ({@link NodeEvent.ConnectionFailed}). */
public enum FailureReason {
    /** No remote candidate arrived within the ICE candidate timeout (10 s). */
    NO_REMOTE_CANDIDATES,
    /** Every candidate pair failed after both sides signalled end-of-candidates. */
    ALL_PAIRS_FAILED,
    /** Consent checks on the nominated pair went unanswered past the grace period. */
    CONSENT_LOST,
    /** The WireGuard handshake did not complete within the ICE rekey-attempt time (20 s). */
    HANDSHAKE_TIMEOUT,
    /**
     * Our relay that carries the nominated pair (our local candidate is relayed through it) was removed or
     * invalidated and is not back. This is how a relayed connection moves to another relay: neither ICE
     * agent can renominate (the peer's ignores candidates once a pair is nominated, and there is no ICE
     * restart), so the control plane answers this event by making the connection again on both sides with
     * new ICE credentials (an upsert with other credentials replaces the peer's side), and the new
     * connection samples a live relay. The peer's side, which reaches our relayed address from its own
     * socket or relay, does not see the relay go; its connection is replaced by that upsert.
     */
    RELAY_GONE,
    /** The peer withdrew the remote candidate of the nominated pair. */
    NOMINATED_CANDIDATE_REMOVED
}
