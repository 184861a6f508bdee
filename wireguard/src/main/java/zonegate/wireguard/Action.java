package zonegate.wireguard;

/** What the host must do after a {@link Device} or {@link Tunnel} call; see {@link TunnelResult}. */
public enum Action {
    /** Nothing to send or deliver. */
    DONE,
    /**
     * Send the bytes written to the output buffer as one UDP datagram. After
     * {@link Device#handleDatagram} send it back to the datagram's source; after
     * {@link Tunnel#encapsulate} or a timer, send it to {@link Tunnel#endpoint()}.
     */
    WRITE_TO_NETWORK,
    /**
     * Deliver the IP packet written to the output buffer to the TUN device, after checking its source
     * address against the peer's allowed IPs (not done here).
     */
    WRITE_TO_TUNNEL,
    /** The packet waits in the peer's bounded queue for a handshake; nothing to send yet. */
    QUEUED,
    /** The input was dropped; {@link TunnelResult#dropReason()} says why. */
    DROPPED
}
