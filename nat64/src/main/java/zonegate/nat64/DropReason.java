package zonegate.nat64;

/**
 * Why a packet was not translated. Every translating method in this module returns an {@code int}: the
 * output length in bytes when it is {@code >= 0}, or the {@linkplain #code() code} of one of these
 * reasons when it is negative. The encoding keeps the data path free of allocation; decode it with
 * {@link #ofResult(int)} and count it (each owner keeps one counter per constant):
 *
 * <pre>{@code
 * int result = translator.translate6to4(packet, out, 0, out.capacity());
 * if (DropReason.isDrop(result)) {
 *     drops[DropReason.ofResult(result).ordinal()]++;
 * } else {
 *     send(out, 0, result);
 * }
 * }</pre>
 */
public enum DropReason {
    /** The packet is not of the IP version the method translates from. */
    WRONG_VERSION,
    /** An IPv6 address is outside the translator's RFC 6052 prefix, so no IPv4 address can be extracted. */
    ADDRESS_NOT_TRANSLATABLE,
    /** The hop limit (TTL) would reach zero; only when hop-limit decrement is enabled. */
    HOP_LIMIT_EXCEEDED,
    /** An IPv6 routing header with segments left (RFC 7915 section 5.1). */
    ROUTING_HEADER,
    /** An unexpired IPv4 loose or strict source route option (RFC 7915 section 4.1). */
    SOURCE_ROUTE_OPTION,
    /** A fragmented ICMP message: its checksum cannot be translated without reassembly (RFC 7915 section 4.4). */
    ICMP_FRAGMENT,
    /** The first fragment of a UDP-over-IPv4 datagram with a zero checksum (RFC 7915 section 4.5). */
    UDP_ZERO_CHECKSUM_FRAGMENT,
    /** An ICMP type or code RFC 7915 silently drops (redirects, router discovery, timestamps, MLD, ND, ...). */
    UNSUPPORTED_ICMP_TYPE,
    /** An ICMP error whose quoted packet did not parse or cannot itself be translated. */
    QUOTED_PACKET_INVALID,
    /** The translated IPv4 packet would exceed 65535 bytes. */
    TOO_BIG_FOR_IPV4,
    /** The caller's output region is too small for the translated packet. */
    OUTPUT_TOO_SMALL,
    /** NAT: the destination is not a proxy address of any domain this client was given. */
    UNKNOWN_PROXY_ADDRESS,
    /** NAT: the proxy address's domain has no resolved address in either family. */
    NO_RESOLVED_ADDRESS,
    /** NAT: a fragment; the NAT needs ports, so fragments must be reassembled before it. */
    FRAGMENT,
    /** NAT: the packet is not TCP, UDP, an ICMP echo request (outbound) or a reply or error (inbound). */
    UNSUPPORTED_PROTOCOL,
    /** NAT: a new flow was refused because the client's table holds its maximum of live flows. */
    TABLE_FULL,
    /** NAT: a new flow was refused because no outbound port (or shared-index slot) was free. */
    PORT_SPACE_EXHAUSTED,
    /** NAT: an inbound packet matches no live flow (or a flow of another client's table). */
    NO_FLOW,
    /**
     * NAT: a new flow was refused because the client holds its maximum share of the shared port space,
     * or because what is free is held in reserve for other clients ({@link SharedPortSpace}).
     */
    CLIENT_SHARE_EXHAUSTED;

    private static final DropReason[] VALUES = values();

    /** The negative result value that stands for this reason: {@code ~ordinal()}. */
    public int code() {
        return ~ordinal();
    }

    /** Whether a translation result is a drop (negative) rather than an output length. */
    public static boolean isDrop(int result) {
        return result < 0;
    }

    /**
     * The reason a negative result stands for.
     *
     * @throws IllegalArgumentException if {@code result} is not a drop code (a programming error)
     */
    public static DropReason ofResult(int result) {
        int ordinal = ~result;
        if (ordinal < 0 || ordinal >= VALUES.length) {
            throw new IllegalArgumentException("not a drop code: " + result);
        }
        return VALUES[ordinal];
    }
}
