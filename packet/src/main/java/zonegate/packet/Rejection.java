package zonegate.packet;

/**
 * Why {@link PacketParser} refused a packet. Parsing never throws on bad bytes; it returns one of
 * these, which callers count (one counter per constant) and log at TRACE.
 */
public enum Rejection {
    /** Fewer bytes than the headers (or a length field) promise. */
    TRUNCATED,
    /** The version nibble is not the expected 4 or 6. */
    BAD_VERSION,
    /** IPv4 IHL below 5 words. */
    BAD_HEADER_LENGTH,
    /** IPv4 total length below the header length, or an IPv6 jumbogram (payload length 0 with hop-by-hop). */
    BAD_TOTAL_LENGTH,
    /** The IPv4 header checksum does not verify (transport checksums are not checked by the parser). */
    BAD_CHECKSUM,
    /** An IPv6 extension header is misplaced (hop-by-hop not first). */
    BAD_EXTENSION_HEADER,
    /** A TCP data offset below 5 words, or a UDP length below 8 bytes or beyond the IP payload. */
    BAD_TRANSPORT_HEADER,
    /** The upper-layer protocol is not TCP, UDP, ICMP (on IPv4) or ICMPv6 (on IPv6). */
    UNSUPPORTED_PROTOCOL,
    /** A fragment, refused because the parser was built with {@link FragmentPolicy#REJECT}. */
    FRAGMENT
}
