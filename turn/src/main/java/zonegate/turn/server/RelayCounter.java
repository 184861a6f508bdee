package zonegate.turn.server;

/** What {@link RelayServer#count(RelayCounter)} counts: refusals, drops and relayed traffic. */
public enum RelayCounter {
    /** Client datagrams the STUN parser rejected. */
    MALFORMED_STUN,
    /** Client datagrams that looked like ChannelData but did not parse. */
    MALFORMED_CHANNEL_DATA,
    /** Client datagrams that were neither STUN nor ChannelData. */
    UNKNOWN_DATAGRAM,
    /** STUN responses or unknown indications from clients (a server expects none). */
    UNEXPECTED_STUN,
    /** Requests of an unknown method (400). */
    UNKNOWN_METHOD,
    /** Requests without credentials, answered with a 401 challenge. */
    CHALLENGED,
    /** Requests refused with 400 Bad Request. */
    BAD_REQUEST,
    /** Requests with an unknown USERNAME (401). */
    UNKNOWN_USER,
    /** Requests with a TURN REST username whose expiry has passed (401). */
    EXPIRED_USERNAME,
    /** Requests whose MESSAGE-INTEGRITY did not verify (401). */
    BAD_INTEGRITY,
    /** Requests with a stale or forged NONCE (438). */
    STALE_NONCE,
    /** Requests with unknown comprehension-required attributes (420). */
    UNKNOWN_ATTRIBUTE,
    /** Requests on an allocation by another USERNAME (441). */
    WRONG_CREDENTIALS,
    /** Requests needing an allocation the 5-tuple lacks, or ALLOCATE on one it has (437). */
    ALLOCATION_MISMATCH,
    /** ALLOCATE with a transport other than UDP (442). */
    UNSUPPORTED_TRANSPORT,
    /** ALLOCATE for an address family the relay does not serve (440). */
    ADDRESS_FAMILY_UNSUPPORTED,
    /** Peer address of another family than the allocation (443). */
    PEER_FAMILY_MISMATCH,
    /** CREATE-PERMISSION or CHANNEL-BIND for a peer the peer policy refuses (403). */
    FORBIDDEN_PEER,
    /** ALLOCATE over the per-user quota (486). */
    USER_QUOTA,
    /** ALLOCATE over the total allocation bound (508). */
    ALLOCATION_CAPACITY,
    /** ALLOCATE with no free relay port (508). */
    PORT_CAPACITY,
    /** CREATE-PERMISSION or CHANNEL-BIND over the per-allocation permission bound (508). */
    PERMISSION_CAPACITY,
    /** CHANNEL-BIND over the per-allocation channel bound (508). */
    CHANNEL_CAPACITY,
    /** CHANNEL-BIND conflicting with an existing binding (400). */
    CHANNEL_CONFLICT,
    /** ALLOCATE retransmissions answered with the cached success. */
    ALLOCATE_RETRANSMIT,
    /**
     * REFRESH, CREATE-PERMISSION or CHANNEL-BIND requests already carried out (a retransmission, or a
     * replay within the nonce lifetime), answered with a success again and not carried out twice.
     */
    REPEATED_REQUEST,
    /** Allocations created. */
    ALLOCATIONS_CREATED,
    /** Allocations that expired. */
    ALLOCATIONS_EXPIRED,
    /** Allocations deleted by REFRESH with LIFETIME 0. */
    ALLOCATIONS_DELETED,
    /** SEND indications dropped: no allocation, no peer, no data or unknown attributes. */
    SEND_MALFORMED,
    /** SEND indications or ChannelData to a peer without a permission. */
    SEND_NO_PERMISSION,
    /** SEND indications to a peer the peer policy refuses. */
    SEND_FORBIDDEN_PEER,
    /** ChannelData on a channel that is not bound. */
    CHANNEL_UNBOUND,
    /** Peer datagrams on a port with no allocation. */
    PEER_NO_ALLOCATION,
    /** Peer datagrams from an IP without a permission. */
    PEER_NO_PERMISSION,
    /** Peer datagrams too large to wrap in a Data indication or ChannelData. */
    PEER_TOO_LARGE,
    /** Datagrams dropped because the transmit queue was full. */
    TRANSMIT_QUEUE_FULL,
    /** Events dropped because the event queue was full. */
    EVENT_QUEUE_FULL,
    /** Datagrams relayed to peers. */
    RELAYED_TO_PEERS,
    /** Datagrams relayed to clients. */
    RELAYED_TO_CLIENTS
}
