package zonegate.stun;

/**
 * Why {@link StunParser} or {@link ChannelDataView} refused a datagram. Parsing never throws on bad
 * bytes; it returns one of these, which callers count (one counter per constant) and log at TRACE.
 */
public enum StunRejection {
    /** Not a STUN message: first two bits not 00, or no magic cookie 0x2112A442 at bytes 4-7. */
    NOT_STUN,
    /** Not ChannelData: the channel number is outside 0x4000-0x7FFF. */
    NOT_CHANNEL_DATA,
    /** Fewer bytes than the header, or than the header's length field, promises. */
    TRUNCATED,
    /** The message length is not a multiple of 4, or more bytes follow the message than padding allows. */
    BAD_LENGTH,
    /** An attribute runs past the message end, or a known attribute has a length its RFC forbids. */
    BAD_ATTRIBUTE_LENGTH,
    /** More attributes than {@link StunMessageView#MAX_ATTRIBUTES}. */
    TOO_MANY_ATTRIBUTES,
    /** FINGERPRINT present but not the last attribute. */
    MISPLACED_FINGERPRINT,
    /** FINGERPRINT present and its CRC-32 does not match the message. */
    BAD_FINGERPRINT
}
