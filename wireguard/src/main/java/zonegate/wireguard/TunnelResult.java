package zonegate.wireguard;

/**
 * The outcome of one {@link Device} or {@link Tunnel} call, as a reusable mutable value so the data
 * path allocates nothing: the host owns one instance per thread and passes it to every call, which
 * overwrites all fields. Read it before the next call.
 *
 * <pre>{@code
 * TunnelResult r = new TunnelResult();
 * switch (device.handleDatagram(from, datagram, out.clear(), nowNs, r)) {
 *     case WRITE_TO_NETWORK -> channel.send(out.flip(), from);
 *     case WRITE_TO_TUNNEL -> tun.write(out.flip());     // after the allowed-IPs check on r.tunnel()
 *     case DONE, QUEUED, DROPPED -> { }
 * }
 * }</pre>
 *
 * On a write the bytes are at {@code [start, start + lengthBytes())} of the output buffer, where
 * {@code start} was its position, and its position is {@code start + lengthBytes()}.
 */
public final class TunnelResult {
    private Action action = Action.DONE;
    private int lengthBytes;
    private DropReason dropReason;
    private Tunnel tunnel;

    /** What to do. */
    public Action action() {
        return action;
    }

    /** Bytes written to the output buffer for {@code WRITE_*}; 0 otherwise. */
    public int lengthBytes() {
        return lengthBytes;
    }

    /** Why the input was dropped, for {@link Action#DROPPED}; null otherwise. */
    public DropReason dropReason() {
        return dropReason;
    }

    /** The peer concerned, when known (always for {@code WRITE_TO_TUNNEL}); null otherwise. */
    public Tunnel tunnel() {
        return tunnel;
    }

    Action set(Action newAction, int length, DropReason reason, Tunnel peer) {
        this.action = newAction;
        this.lengthBytes = length;
        this.dropReason = reason;
        this.tunnel = peer;
        return newAction;
    }

    Action done(Tunnel peer) {
        return set(Action.DONE, 0, null, peer);
    }

    Action drop(DropReason reason, Tunnel peer) {
        return set(Action.DROPPED, 0, reason, peer);
    }

    @Override
    public String toString() {
        return action == Action.DROPPED ? "DROPPED(" + dropReason + ")" : action + "(" + lengthBytes + ")";
    }
}
