package zonegate.wireguard;

/**
 * The handshake messages a {@link Device} produced or accepted, over all peers ({@link Device#handshakeCount}).
 * A handshake we start is {@link #INITIATIONS_SENT} (each retry counts) and ends in {@link #RESPONSES_ACCEPTED};
 * one a peer starts is {@link #INITIATIONS_RECEIVED} and ends in {@link #INITIATIONS_ANSWERED}. The ones that fail are counted by
 * {@link DropReason}: {@code HANDSHAKE_FAILED}, {@code REPLAYED_TIMESTAMP}, {@code RATE_LIMITED},
 * {@code HANDSHAKE_GAVE_UP} and the load shedding before the Diffie-Hellman.
 */
public enum HandshakeCounter {
    /** Initiations written (we started or retried a handshake). */
    INITIATIONS_SENT,
    /**
     * Initiations that passed mac1 and, under load, mac2 and their source's rate limit: the ones that cost a
     * Diffie-Hellman (from any static key; an unknown one is then {@code UNKNOWN_PEER}).
     */
    INITIATIONS_RECEIVED,
    /** Initiations from a peer that authenticated and were answered with a response (a session as responder). */
    INITIATIONS_ANSWERED,
    /** Responses to our initiations that authenticated (a session as initiator). */
    RESPONSES_ACCEPTED,
    /** Cookie replies from a peer under load that authenticated (our next initiation carries its mac2). */
    COOKIE_REPLIES_ACCEPTED
}
