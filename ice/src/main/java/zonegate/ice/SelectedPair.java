package zonegate.ice;

import java.net.InetSocketAddress;

/**
 * The nominated candidate pair: where the caller sends its traffic.
 *
 * @param local the local base the agent checked from: a {@link CandidateType#HOST HOST} candidate
 *              (send from its socket) or a {@link CandidateType#RELAYED RELAYED} one (send through the
 *              TURN allocation)
 * @param remote the remote candidate (possibly peer-reflexive)
 */
public record SelectedPair(Candidate local, Candidate remote) {

    /** The local socket address, or the relayed address, to send from. */
    public InetSocketAddress localAddress() {
        return local.address();
    }

    /** The remote address to send to. */
    public InetSocketAddress remoteAddress() {
        return remote.address();
    }

    /** Whether our side sends through our TURN relay. */
    public boolean localRelayed() {
        return local.type() == CandidateType.RELAYED;
    }

    /** Whether either side relays (our relayed candidate, or the peer's); {@code false} means direct. */
    public boolean relayed() {
        return localRelayed() || remote.type() == CandidateType.RELAYED;
    }
}
