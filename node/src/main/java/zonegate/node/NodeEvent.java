package zonegate.node;

import java.util.List;
import zonegate.ice.Candidate;
import zonegate.wireguard.PublicKey;

/**
 * What a {@link Node} tells its host, from {@link Node#pollEvent()}. Switch over it exhaustively.
 * Events are made on state changes only, never per packet; the queue is bounded
 * ({@link NodeConfig#maxEvents()}), excess counted as {@link NodeCounter#EVENT_QUEUE_FULL}.
 */
public sealed interface NodeEvent {

    /**
     * Local candidates of one connection to signal to the peer, batched per cycle.
     *
     * @param added new candidates (host and server-reflexive ones of every relay, relayed ones of the
     *     connection's sampled relay)
     * @param removed candidates withdrawn (their relay vanished or was invalidated)
     */
    record LocalCandidates(String peerId, List<Candidate> added, List<Candidate> removed) implements NodeEvent {
        public LocalCandidates {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    /** The connection's state changed ({@link ConnectionState}). */
    record StateChanged(String peerId, ConnectionState from, ConnectionState to) implements NodeEvent {
    }

    /** The connection failed and is gone. */
    record ConnectionFailed(String peerId, FailureReason reason) implements NodeEvent {
    }

    /** The connection was closed and is gone. */
    record ConnectionClosed(String peerId, CloseReason reason) implements NodeEvent {
    }

    /** A peer-to-peer control message other than goodbye arrived (its meaning is the tunnel layer's). */
    record ControlMessage(String peerId, P2pMessage message) implements NodeEvent {
    }

    /** {@link Node#reset} rotated our WireGuard static key: give the control plane the new public key. */
    record PublicKeyChanged(PublicKey publicKey) implements NodeEvent {
    }

    /** The last relay allocation is gone: tell the control plane (no relayed path is possible). */
    record NoRelays() implements NodeEvent {
    }
}
