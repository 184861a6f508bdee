package zonegate.tunnel.dns;

import java.util.Locale;

/**
 * A parsed DNS query with its single question.
 *
 * @param id the message id (echoed in the response)
 * @param flags the header's flag word (QR, opcode, AA, TC, RD, RA, Z, RCODE)
 * @param name the question's name as sent (case preserved, no trailing dot; "" for the root)
 * @param type the question's type ({@link #TYPE_A}, {@link #TYPE_AAAA}, ...)
 * @param qclass the question's class (1 = IN)
 * @param edns whether the query carried an EDNS0 OPT record
 * @param ednsUdpPayloadBytes the UDP payload size the OPT record advertises, or 0 without one
 */
public record DnsQuery(int id, int flags, String name, int type, int qclass, boolean edns, int ednsUdpPayloadBytes) {
    public static final int TYPE_A = 1;
    public static final int TYPE_PTR = 12;
    public static final int TYPE_AAAA = 28;
    /** HTTPS service binding (RFC 9460). */
    public static final int TYPE_HTTPS = 65;
    public static final int TYPE_OPT = 41;
    public static final int CLASS_IN = 1;
    /** Without EDNS, a UDP DNS message holds at most 512 bytes (RFC 1035 section 4.2.1). */
    public static final int CLASSIC_UDP_BYTES = 512;
    /** The largest UDP response the gateway sends: 1280 - 40 (IPv6) - 8 (UDP) - 20 of margin (Firezone's limit). */
    public static final int MAX_UDP_RESPONSE_BYTES = 1212;

    /** Whether the client asked for recursion. */
    public boolean recursionDesired() {
        return (flags & 0x0100) != 0;
    }

    /** The name for matching: lower case, no trailing dot (DNS names are case-insensitive). */
    public String domain() {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * The largest UDP response for this query: 512 without EDNS; with it, what the client advertises,
     * at least 512 and at most {@link #MAX_UDP_RESPONSE_BYTES}.
     */
    public int udpResponseLimitBytes() {
        return edns ? Math.clamp(ednsUdpPayloadBytes, CLASSIC_UDP_BYTES, MAX_UDP_RESPONSE_BYTES) : CLASSIC_UDP_BYTES;
    }
}
