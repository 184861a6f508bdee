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
     * The relay of the nominated (relayed) pair vanished; the ICE agents cannot renominate, so the control
     * plane makes a new connection, which samples another relay.
     */
    RELAY_GONE,
    /** The peer withdrew the remote candidate of the nominated pair. */
    NOMINATED_CANDIDATE_REMOVED
}
