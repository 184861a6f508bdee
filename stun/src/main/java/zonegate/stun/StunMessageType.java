package zonegate.stun;

/**
 * The 14-bit STUN message type, with the method and class bits interleaved (RFC 8489 section 5):
 *
 * <pre>
 *   0                 1
 *   2  3  4 5 6 7 8 9 0 1 2 3 4 5
 *  +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |M |M |M|M|M|C|M|M|M|C|M|M|M|M|
 *  |11|10|9|8|7|1|6|5|4|0|3|2|1|0|
 *  +--+--+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * For example a BINDING request is 0x0001, its success response 0x0101, an ALLOCATE error response
 * 0x0113.
 */
public final class StunMessageType {
    private StunMessageType() {
    }

    /** The message type of 12-bit method number {@code method} in class {@code messageClass}. */
    public static int of(int method, StunClass messageClass) {
        int c = messageClass.bits();
        return (method & 0x000F) | ((method & 0x0070) << 1) | ((method & 0x0F80) << 2)
                | ((c & 0b01) << 4) | ((c & 0b10) << 7);
    }

    /** The 12-bit method number of {@code messageType}. */
    public static int method(int messageType) {
        return (messageType & 0x000F) | ((messageType >>> 1) & 0x0070) | ((messageType >>> 2) & 0x0F80);
    }

    /** The class of {@code messageType}. */
    public static StunClass messageClass(int messageType) {
        return StunClass.ofType(messageType);
    }
}
