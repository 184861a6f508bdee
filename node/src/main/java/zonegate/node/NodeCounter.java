package zonegate.node;

/**
 * What a {@link Node} counts ({@link Node#count}): every drop by reason, and the work its timers did.
 * Drops of WireGuard's own (replays, bad MACs, ...) are also counted by reason on the device.
 */
public enum NodeCounter {
    /** A packet or command for a peer id with no connection. */
    NO_CONNECTION,
    /** Server: a packet for a connection without a nominated pair (never buffered, no handshake). */
    NOT_NOMINATED,
    /** Client: the oldest buffered packet of a connecting connection, pushed out by the 129th. */
    BUFFER_OVERFLOW,
    /** Outgoing data WireGuard refused (no session, its queue full, ...). */
    WIREGUARD_OUTBOUND,
    /** A WireGuard datagram the device dropped (unknown receiver, replay, bad MAC, late packet of a closed connection, ...). */
    WIREGUARD_INBOUND,
    /** A STUN message that no ICE agent or allocation took. */
    UNMATCHED_STUN,
    /** ChannelData from an address that is not one of our relays. */
    CHANNEL_DATA_NOT_FROM_RELAY,
    /** ChannelData from one of our relays that its allocation refused (malformed, on a channel not bound, no relayed address of the peer's family). */
    CHANNEL_DATA_REFUSED,
    /** Relayed output to a peer whose channel is not bound yet (the wish to send binds it). */
    NO_CHANNEL,
    /** A datagram from a relay the node no longer uses (one of the last 64). */
    FROM_DISCARDED_RELAY,
    /** A datagram of no known format (neither STUN, ChannelData nor WireGuard). */
    UNKNOWN_FORMAT,
    /** Output for a connection that has no nominated pair or whose relay is gone. */
    NO_PATH,
    /** The output buffer was too small. */
    BUFFER_TOO_SMALL,
    /** A transmit dropped because the transmit queue was full. */
    TRANSMIT_QUEUE_FULL,
    /** An event dropped because the event queue was full. */
    EVENT_QUEUE_FULL,
    /** A peer-to-peer control message that did not parse. */
    CONTROL_MALFORMED,
    /** A peer-to-peer control message of an unknown type (ignored). */
    CONTROL_UNKNOWN_TYPE,
    /** A WireGuard handshake initiation beyond the node-wide rate (answered with a cookie reply instead). */
    HANDSHAKE_RATE_LIMITED,
    /** Connections visited by {@link Node#handleTimeout} because their cached deadline was due. */
    TIMEOUT_VISITS
}
