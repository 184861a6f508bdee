package zonegate.ice;

/**
 * What an {@link IceAgent} tells its host, from {@link IceAgent#pollEvent()}. Switch over it
 * exhaustively:
 *
 * <pre>{@code
 * switch (event) {
 *     case IceEvent.LocalCandidateGathered(Candidate c) -> signalling.send(c.toSdpAttribute());
 *     case IceEvent.RemoteCandidateAdded(Candidate c) -> { }
 *     case IceEvent.RemoteCandidateIgnored(Candidate c, IgnoredReason why) -> { }
 *     case IceEvent.RoleChanged(IceRole role) -> { }
 *     case IceEvent.StateChanged(IceState from, IceState to) -> { }
 *     case IceEvent.PairNominated(SelectedPair pair) -> wireguard.setEndpoint(pair);
 *     case IceEvent.Failed(IceFailure reason) -> connection.close();
 * }
 * }</pre>
 */
public sealed interface IceEvent {

    /** A local candidate was added: signal it to the peer (trickle). */
    record LocalCandidateGathered(Candidate candidate) implements IceEvent {
    }

    /** A remote candidate was accepted and paired (or will be, when a local candidate of its family comes). */
    record RemoteCandidateAdded(Candidate candidate) implements IceEvent {
    }

    /** A remote candidate was not used, and why. */
    record RemoteCandidateIgnored(Candidate candidate, IgnoredReason reason) implements IceEvent {
    }

    /** A role conflict (RFC 8445 section 7.3.1.1 or 7.2.5.1) switched this agent to {@code role}. */
    record RoleChanged(IceRole role) implements IceEvent {
    }

    /** The connection state changed. */
    record StateChanged(IceState from, IceState to) implements IceEvent {
    }

    /** A pair was nominated: send traffic over it. Emitted once. */
    record PairNominated(SelectedPair pair) implements IceEvent {
    }

    /** The agent failed (after the {@link StateChanged} to {@link IceState#FAILED}). */
    record Failed(IceFailure reason) implements IceEvent {
    }
}
