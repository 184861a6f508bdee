package zonegate.stun;

/**
 * The class of a STUN message (RFC 8489 section 5): the two C bits of the message type.
 */
public enum StunClass {
    /** C1 C0 = 0b00. */
    REQUEST(0b00),
    /** C1 C0 = 0b01. */
    INDICATION(0b01),
    /** C1 C0 = 0b10. */
    SUCCESS_RESPONSE(0b10),
    /** C1 C0 = 0b11. */
    ERROR_RESPONSE(0b11);

    private static final StunClass[] BY_BITS = {REQUEST, INDICATION, SUCCESS_RESPONSE, ERROR_RESPONSE};

    private final int bits;

    StunClass(int bits) {
        this.bits = bits;
    }

    /** The two class bits, C1 C0, as a number 0-3. */
    public int bits() {
        return bits;
    }

    /** The class of a 14-bit message type (bits 4 and 8 of the type field). */
    public static StunClass ofType(int messageType) {
        return BY_BITS[((messageType >>> 4) & 0b01) | ((messageType >>> 7) & 0b10)];
    }

    /** Whether this is a success or an error response. */
    public boolean isResponse() {
        return this == SUCCESS_RESPONSE || this == ERROR_RESPONSE;
    }
}
