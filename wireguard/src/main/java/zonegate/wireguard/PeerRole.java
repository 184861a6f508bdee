package zonegate.wireguard;

/** Whether a peer's tunnel may start handshakes. */
public enum PeerRole {
    /**
     * Starts handshakes when it has data and no usable session, re-keys on time and message limits,
     * and after a silent peer (the client side).
     */
    INITIATOR,
    /**
     * Never starts a handshake: it only answers initiations (the gateway). With no session, outgoing
     * data is dropped and counted, never queued; keepalives and timers never initiate. This keeps two
     * sides from fighting with competing sessions.
     */
    RESPONDER_ONLY
}
