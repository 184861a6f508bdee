package zonegate.ice;

/** Why a remote candidate was not used (see {@link IceEvent.RemoteCandidateIgnored}). */
public enum IgnoredReason {
    /** A pair is already nominated: later candidates are ignored (DESIGN.md section 5). */
    AFTER_NOMINATION,
    /** No local candidate of its address family, and local gathering is over. */
    WRONG_FAMILY,
    /** {@link IceAgent#MAX_REMOTE_CANDIDATES} remote candidates are already known. */
    LIMIT,
    /** Not usable: component other than 1, unresolved address, port 0 or priority 0. */
    INVALID,
    /** A candidate with the same address and type is already known. */
    DUPLICATE,
    /** The agent has failed. */
    AGENT_FAILED
}
