package zonegate.node;

/** What the host must do after a {@link Node} data-path call; details in {@link NodeResult}. */
public enum NodeAction {
    /** Nothing to send or deliver (consumed, or output queued for {@link Node#pollTransmit()}). */
    DONE,
    /**
     * Send the bytes written to the output buffer from {@link NodeResult#source()} to
     * {@link NodeResult#destination()}.
     */
    WRITE_TO_NETWORK,
    /** Deliver the IP packet written to the output buffer (from {@link NodeResult#peerId()}) to the TUN device. */
    WRITE_TO_TUNNEL,
    /** The client buffered the packet while its connection is being made. */
    BUFFERED,
    /** Dropped and counted; {@link NodeResult#dropReason()} says why. */
    DROPPED
}
