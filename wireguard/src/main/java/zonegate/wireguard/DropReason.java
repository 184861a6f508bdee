package zonegate.wireguard;

/** Why a datagram or packet was dropped. Counted by {@link Device#dropCount} (all drops) and {@link Tunnel#dropCount} (those a peer could be named for). */
public enum DropReason {
    /** Too short or too long for its type, or the type field is not 1-4 followed by three zero bytes. */
    MALFORMED,
    /** The receiver index names no session or handshake of ours. */
    UNKNOWN_RECEIVER,
    /** An initiation from a static key that is not one of our peers. */
    UNKNOWN_PEER,
    /** mac1 did not verify. */
    BAD_MAC1,
    /** A handshake message or cookie reply that failed to decrypt or authenticate. */
    HANDSHAKE_FAILED,
    /** An initiation whose TAI64N timestamp is not after the last accepted one (a replay). */
    REPLAYED_TIMESTAMP,
    /** An initiation within the per-peer minimum interval of the previous one. */
    RATE_LIMITED,
    /**
     * Under load, a handshake message from a source (IPv4 address or IPv6 /64) that has spent its
     * token bucket ({@link HandshakeRateLimit}); dropped before any Diffie-Hellman, and before mac2.
     */
    SOURCE_RATE_LIMITED,
    /**
     * Under load, a handshake message with a valid mac2 from a new source while every slot of the
     * rate-limit table that it could take belongs to a source still being limited.
     */
    SOURCE_TABLE_FULL,
    /**
     * Under load, a handshake message without a valid mac2 whose source has spent its cookie-reply
     * bucket: dropped without a reply (the source already had its cookies).
     */
    COOKIE_REPLY_LIMITED,
    /** A transport packet that failed authentication. */
    DECRYPT_FAILED,
    /** A transport counter already seen or below the replay window. */
    REPLAYED,
    /** A transport packet for a session older than REJECT_AFTER_TIME, or past REJECT_AFTER_MESSAGES. */
    SESSION_EXPIRED,
    /** Decrypted, but the plaintext is not an IPv4/IPv6 packet that fits. */
    BAD_INNER_PACKET,
    /** The output buffer is too small for the result. */
    BUFFER_TOO_SMALL,
    /** Outgoing data for a responder-only peer without a session (never queued). */
    NO_SESSION,
    /** Outgoing data while the bounded handshake queue is full. */
    QUEUE_FULL,
    /** Queued data dropped because the handshake was given up or the keys were erased. */
    HANDSHAKE_GAVE_UP,
    /** The device's receiver-index table is full. */
    TOO_MANY_SESSIONS
}
