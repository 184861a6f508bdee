package zonegate.tunnel;

/** Why {@link GatewayState} dropped a datagram or packet; counted by {@link GatewayState#dropCount}. */
public enum GatewayDropReason {
    /** WireGuard refused the datagram (malformed, unauthenticated, replayed, ...): see {@link GatewayState#wireGuardDropCount}. */
    WIREGUARD_REJECTED,
    /** The decrypted packet is not a valid IP packet. */
    MALFORMED_INNER_PACKET,
    /** The inner packet's source is not the client's tunnel address (no ICMP error is sent). */
    SPOOFED,
    /** No authorised resource contains the destination (ICMP network unreachable sent). */
    NO_RESOURCE,
    /** A resource contains the destination but its filters deny the packet (ICMP administratively prohibited sent). */
    FILTERED,
    /**
     * For the gateway's own tunnel address but not a service it offers clients (ping, DNS,
     * {@link GatewayConfig#gatewayServices()}): ICMP administratively prohibited sent.
     */
    GATEWAY_FILTERED,
    /** An ICMP error from the client whose quoted packet is not one of its live flows (no ICMP error sent). */
    UNMATCHED_ICMP_ERROR,
    /** A proxy address the client was never given, or one whose domain it lost (ICMP network unreachable sent). */
    UNKNOWN_PROXY_ADDRESS,
    /** The DNS-resource NAT refused the client's packet (see the client's NAT table counters). */
    NAT_OUTBOUND_FAILED,
    /** The DNS-resource NAT found the flow of a resource's reply but could not translate it. */
    NAT_INBOUND_FAILED,
    /** A packet from the TUN device that is not a valid IP packet. */
    MALFORMED_DEVICE_PACKET,
    /** A packet from the TUN device for an address that is no client's. */
    UNKNOWN_DESTINATION,
    /**
     * A packet from the TUN device for a client that belongs to no flow the client opened (no reply, no
     * ICMP error about one of its flows, no DNS-resource NAT flow of its own).
     */
    UNSOLICITED_INBOUND,
    /** A packet for a client without a session: never buffered, never a reason to initiate. */
    NO_SESSION,
    /** Encryption failed for another reason (packet too large for the buffer, ...). */
    ENCRYPT_FAILED,
    /** The buffer pool was empty. */
    POOL_EXHAUSTED,
    /** The transmit queue was full. */
    TRANSMIT_QUEUE_FULL,
    /** The queue of packets for the TUN device was full. */
    PACKET_QUEUE_FULL,
    /** An unexpected exception (a bug) while handling the input; logged at ERROR. */
    INTERNAL_ERROR
}
