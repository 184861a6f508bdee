package zonegate.ice.internal;

import zonegate.ice.Candidate;
import zonegate.ice.IceRole;

/**
 * A candidate pair (RFC 8445 section 6.1.2): a local base (host or relayed candidate) and a remote
 * candidate. There is no Frozen state: with one component and one data stream every pair starts
 * Waiting and the checklist order alone decides (see the module README).
 */
public final class Pair {
    /** RFC 8445 section 6.1.2.6 pair states, without Frozen. */
    public enum State { WAITING, IN_PROGRESS, SUCCEEDED, FAILED }

    final Candidate local;
    Candidate remote;
    long priority;
    State state = State.WAITING;
    /** In the triggered-check queue. */
    boolean triggered;
    /** The peer sent USE-CANDIDATE on it (we are controlled); nominate once our check succeeds. */
    boolean remoteNominated;
    /** Priority of the valid pair this pair's successful check produced (RFC 8445 7.2.5.3.2). */
    long validPriority;
    /** The transaction of the check in progress (not cancelled), or {@code null}. */
    Check check;

    Pair(Candidate local, Candidate remote, IceRole role) {
        this.local = local;
        this.remote = remote;
        updatePriority(role);
    }

    /** The local base. */
    public Candidate local() {
        return local;
    }

    /** The remote candidate. */
    public Candidate remote() {
        return remote;
    }

    void updatePriority(IceRole role) {
        priority = priority(role, local.priority(), remote.priority());
    }

    /**
     * RFC 8445 section 6.1.2.3: {@code 2^32 * min(G, D) + 2 * max(G, D) + (G > D ? 1 : 0)}, G the
     * controlling side's candidate priority. Compare results unsigned: with remote priorities up to
     * 2^32 - 1 the value can exceed {@link Long#MAX_VALUE}.
     */
    static long priority(IceRole role, long localPriority, long remotePriority) {
        long g = role == IceRole.CONTROLLING ? localPriority : remotePriority;
        long d = role == IceRole.CONTROLLING ? remotePriority : localPriority;
        return (Math.min(g, d) << 32) + 2 * Math.max(g, d) + (g > d ? 1 : 0);
    }

    boolean valid() {
        return state == State.SUCCEEDED;
    }

    @Override
    public String toString() {
        return AgentCore.text(local.address()) + " -> " + AgentCore.text(remote.address()) + " (" + local.type().sdpName() + "/"
                + remote.type().sdpName() + ", " + state + ")";
    }
}
