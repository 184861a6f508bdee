package zonegate.filter;

import zonegate.filter.internal.Addresses;
import zonegate.packet.IcmpError;
import zonegate.packet.IpProtocol;

/**
 * The result of one routing decision: allowed through a resource, or denied with a reason. Mutable
 * and reused: the caller owns one (per thread) and passes it to every {@code decide} call, which
 * overwrites it, so deciding allocates nothing. {@link #reason()} formats the explanation only when
 * called (for a log line), naming the resource, protocol and port:
 * <pre>
 * allowed by resource office
 * UDP port 53 not allowed by resource office
 * ICMP not allowed by resource office
 * no resource for 10.0.0.9
 * source 10.9.9.9 is not the client's tunnel address
 * TCP port 22 to the gateway's address 100.64.0.1 not allowed by gateway.allowToGateway
 * ICMP error to 10.0.0.9 quotes no flow of the client
 * </pre>
 *
 * <p>Not thread-safe.
 */
public final class Decision {
    private Verdict verdict = Verdict.NO_RESOURCE;
    private ResourceId resourceId;
    private int version;
    private int protocol;
    private int destinationPort;
    private long sourceHigh;
    private long sourceLow;
    private long destinationHigh;
    private long destinationLow;
    private String domain;

    /** A decision to be filled by {@code decide}; until then it reads as {@link Verdict#NO_RESOURCE}. */
    public Decision() {
    }

    public Verdict verdict() {
        return verdict;
    }

    public boolean isAllowed() {
        return verdict == Verdict.ALLOWED;
    }

    /**
     * The resource the packet goes through ({@link Verdict#ALLOWED}) or whose filters denied it
     * ({@link Verdict#FILTERED}: the most specific resource containing the destination); null otherwise.
     */
    public ResourceId resourceId() {
        return resourceId;
    }

    /** The ICMP error to send back to the client, or null (allowed, or spoofed). */
    public IcmpError icmpError() {
        return verdict.icmpError();
    }

    /** The packet's protocol number ({@link IpProtocol}). */
    public int protocol() {
        return protocol;
    }

    /** The TCP/UDP destination port, or -1 (ICMP, other protocols, non-first fragments). */
    public int destinationPort() {
        return destinationPort;
    }

    /** The domain a DNS-resource decision was for, or null for an address decision. */
    public String domain() {
        return domain;
    }

    /** Why: allocates the text, so call it for a log line, not per packet on the fast path. */
    public String reason() {
        return switch (verdict) {
            case ALLOWED -> resourceId == null ? "allowed to the gateway" : "allowed by resource " + resourceId;
            case NO_RESOURCE -> "no resource for " + destinationText();
            case FILTERED -> what() + " not allowed by resource " + resourceId;
            case SPOOFED -> "source " + address(sourceHigh, sourceLow) + " is not the client's tunnel address";
            case GATEWAY_FILTERED -> what() + " to the gateway's address " + destinationText()
                    + " not allowed by gateway.allowToGateway";
            case UNMATCHED_ICMP_ERROR -> what() + " error to " + destinationText()
                    + " quotes no flow of the client";
        };
    }

    @Override
    public String toString() {
        return verdict + ": " + reason();
    }

    void set(Verdict newVerdict, ResourceId resource) {
        verdict = newVerdict;
        resourceId = resource;
    }

    void packet(int ipVersion, long srcHigh, long srcLow, long dstHigh, long dstLow, int protocolNumber, int port,
                String domainName) {
        version = ipVersion;
        sourceHigh = srcHigh;
        sourceLow = srcLow;
        destinationHigh = dstHigh;
        destinationLow = dstLow;
        protocol = protocolNumber;
        destinationPort = port;
        domain = domainName;
    }

    private String what() {
        return switch (protocol) {
            case IpProtocol.TCP -> destinationPort < 0 ? "TCP without a port (fragment)" : "TCP port " + destinationPort;
            case IpProtocol.UDP -> destinationPort < 0 ? "UDP without a port (fragment)" : "UDP port " + destinationPort;
            case IpProtocol.ICMP -> "ICMP";
            case IpProtocol.ICMPV6 -> "ICMPv6";
            default -> "IP protocol " + protocol;
        };
    }

    private String destinationText() {
        return domain != null ? domain : address(destinationHigh, destinationLow);
    }

    private String address(long high, long low) {
        return version == 4 ? Addresses.formatV4((int) low) : Addresses.formatV6(high, low);
    }
}
