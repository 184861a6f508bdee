package zonegate.tunnel;

/** What the client's packet path ({@link ClientState}) drops, by reason. */
public enum ClientCounter {
    /** A TUN packet that does not parse, or one before the client has its tunnel addresses. */
    MALFORMED_DEVICE_PACKET,
    /** A TUN packet whose source is not the client's tunnel address. */
    SPOOFED,
    /** A multicast packet (never routed). */
    MULTICAST,
    /** No resource routes the destination: answered with ICMP network unreachable. */
    NO_ROUTE,
    /** The resource's filter denies it: answered with ICMP administratively prohibited. */
    FILTERED,
    /** A DNS resource the gateway answered inactive: answered with ICMP network unreachable. */
    DOMAIN_INACTIVE,
    /** A packet from a gateway that is not addressed to the client. */
    NOT_FOR_US,
    /** A bug: an input made the client throw (logged at ERROR; the input is lost, nothing else). */
    INTERNAL_ERROR
}
