package zonegate.ice;

/**
 * The connection state of an {@link IceAgent}, reported by {@link IceEvent.StateChanged}.
 *
 * <pre>
 *  NEW          --first check sent-------------------&gt; CHECKING
 *  CHECKING     --pair nominated---------------------&gt; CONNECTED
 *  CONNECTED    --consent check timed out------------&gt; DISCONNECTED
 *  DISCONNECTED --consent answered within the grace--&gt; CONNECTED
 *  DISCONNECTED --grace (2 s) over-------------------&gt; FAILED
 *  NEW/CHECKING --no remote candidate within 10 s----&gt; FAILED
 *  CHECKING     --all pairs failed, after both end-of-candidates--&gt; FAILED
 * </pre>
 *
 * FAILED is terminal: the agent then sends nothing, asks for no timeout and refuses every input.
 */
public enum IceState {
    /** Created; no check sent yet. */
    NEW,
    /** Connectivity checks are running. */
    CHECKING,
    /** A pair is nominated and consent checks on it are answered. */
    CONNECTED,
    /** A consent check on the selected pair went unanswered; within the grace period. */
    DISCONNECTED,
    /** Terminal: see {@link IceEvent.Failed#reason()}. */
    FAILED
}
