package zonegate.filter;

import zonegate.packet.IcmpError;

/** The outcome of a decision, with the ICMP error the gateway sends back to the client for it. */
public enum Verdict {
    /** A resource permits the packet. */
    ALLOWED(null),
    /**
     * No (unexpired) authorised resource contains the destination: ICMP network unreachable back.
     */
    NO_RESOURCE(IcmpError.NETWORK_UNREACHABLE),
    /** A resource contains the destination but its filters do not permit the packet. */
    FILTERED(IcmpError.ADMINISTRATIVELY_PROHIBITED),
    /**
     * The source is not one of the client's tunnel addresses. No ICMP error: it would go to an address
     * the client does not own (the spoofed source), making the gateway a reflector.
     */
    SPOOFED(null),
    /**
     * For the gateway's own tunnel address, but not a service it offers clients ({@link GatewayServices}):
     * ICMP administratively prohibited back.
     */
    GATEWAY_FILTERED(IcmpError.ADMINISTRATIVELY_PROHIBITED),
    /**
     * An ICMP error whose quoted packet is not one of the client's live flows (a reply it received). No
     * ICMP error: none is ever sent about an ICMP error.
     */
    UNMATCHED_ICMP_ERROR(null);

    private final IcmpError icmpError;

    Verdict(IcmpError icmpError) {
        this.icmpError = icmpError;
    }

    /** The ICMP error to send back, or null for none. */
    public IcmpError icmpError() {
        return icmpError;
    }
}
