package zonegate.tunnel.dns;

/**
 * Why {@link DnsAnswersParser} refused an upstream response. A refused response is never used: a
 * resolver keeps waiting for the real one (a spoofed or stale datagram is just noise) or gives up.
 */
public enum DnsResponseRejection {
    /** Shorter than the 12-byte header. */
    TOO_SHORT,
    /** The id is not the one our query carried (a stale or spoofed datagram). */
    ID_MISMATCH,
    /** QR is clear: a query, not a response. */
    NOT_A_RESPONSE,
    /** An opcode other than QUERY. */
    UNEXPECTED_OPCODE,
    /** Not exactly one question, or not the name, type and class we asked. */
    QUESTION_MISMATCH,
    /** A name, record or length field runs past the end of a response that does not have TC set. */
    TRUNCATED,
    /** A label of a reserved type (0x40, 0x80) or containing a dot. */
    BAD_LABEL,
    /** A name longer than 255 bytes on the wire. */
    NAME_TOO_LONG,
    /** A compression pointer that does not point strictly backwards, or too many of them. */
    POINTER_LOOP,
    /** An A record whose data is not 4 bytes, an AAAA not 16, or a CNAME whose name overruns its data. */
    BAD_RDATA;

    /** The rejection for a {@link DnsCursor} failure code ({@code ~DnsRejection.ordinal()}). */
    static DnsResponseRejection ofCursorCode(int code) {
        return switch (DnsRejection.values()[~code]) {
            case BAD_LABEL -> BAD_LABEL;
            case NAME_TOO_LONG -> NAME_TOO_LONG;
            case POINTER_LOOP -> POINTER_LOOP;
            case TOO_SHORT, NOT_A_QUERY, UNSUPPORTED_OPCODE, BAD_QUESTION_COUNT, TRUNCATED, BAD_OPT -> TRUNCATED;
        };
    }
}
