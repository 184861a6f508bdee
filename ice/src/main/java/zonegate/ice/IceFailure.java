package zonegate.ice;

/** Why an {@link IceAgent} failed (see {@link IceEvent.Failed}). */
public enum IceFailure {
    /** No remote candidate at all (signalled or peer-reflexive) within {@link IceConfig#candidateTimeoutNs()}. */
    NO_REMOTE_CANDIDATES,
    /** Every pair failed after both sides signalled end-of-candidates. */
    ALL_PAIRS_FAILED,
    /** Consent checks on the selected pair went unanswered, and the grace period passed. */
    CONSENT_LOST
}
