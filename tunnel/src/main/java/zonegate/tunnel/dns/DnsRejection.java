package zonegate.tunnel.dns;

/** Why {@link DnsParser} refused a message. Parsing never throws; it returns one of these. */
public enum DnsRejection {
    /** Shorter than the 12-byte header. */
    TOO_SHORT,
    /** QR is set: a response, not a query (never answered, to avoid loops). */
    NOT_A_QUERY,
    /** An opcode other than QUERY (answer NOTIMP). */
    UNSUPPORTED_OPCODE,
    /** Not exactly one question (answer FORMERR). */
    BAD_QUESTION_COUNT,
    /** A name, record or length field runs past the end of the message. */
    TRUNCATED,
    /** A label of a reserved type (0x40, 0x80) or containing a dot. */
    BAD_LABEL,
    /** A name longer than 255 bytes on the wire. */
    NAME_TOO_LONG,
    /** A compression pointer that does not point strictly backwards, or too many of them. */
    POINTER_LOOP,
    /** More than one OPT record, or an OPT record with a non-root owner name. */
    BAD_OPT
}
