package zonegate.node;

import java.net.InetSocketAddress;

/**
 * The outcome of one {@link Node#encapsulate} or {@link Node#handleNetworkInput} call, as a reusable
 * mutable value so the data path allocates nothing: the host owns one per thread and passes it to every
 * call, which overwrites every field. The bytes are at {@code [start, start + lengthBytes())} of the
 * output buffer, where {@code start} was its position; its position is left after them.
 */
public final class NodeResult {
    private NodeAction action = NodeAction.DONE;
    private int lengthBytes;
    private InetSocketAddress source;
    private InetSocketAddress destination;
    private String peerId;
    private NodeCounter dropReason;

    /** What to do. */
    public NodeAction action() {
        return action;
    }

    /** Bytes written to the output buffer for {@code WRITE_*}; 0 otherwise. */
    public int lengthBytes() {
        return lengthBytes;
    }

    /** For {@link NodeAction#WRITE_TO_NETWORK}: the local socket to send from. */
    public InetSocketAddress source() {
        return source;
    }

    /** For {@link NodeAction#WRITE_TO_NETWORK}: where to send (the peer, or our relay for ChannelData). */
    public InetSocketAddress destination() {
        return destination;
    }

    /** The connection concerned, when known. */
    public String peerId() {
        return peerId;
    }

    /** For {@link NodeAction#DROPPED}: why. */
    public NodeCounter dropReason() {
        return dropReason;
    }

    NodeAction set(NodeAction newAction, int length, InetSocketAddress from, InetSocketAddress to, String peer,
            NodeCounter reason) {
        this.action = newAction;
        this.lengthBytes = length;
        this.source = from;
        this.destination = to;
        this.peerId = peer;
        this.dropReason = reason;
        return newAction;
    }

    @Override
    public String toString() {
        return action == NodeAction.DROPPED ? "DROPPED(" + dropReason + ")" : action + "(" + lengthBytes + ")";
    }
}
