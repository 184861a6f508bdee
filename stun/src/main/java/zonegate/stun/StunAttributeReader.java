package zonegate.stun;

import static zonegate.stun.StunAttributeType.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import zonegate.stun.internal.Wire;

/**
 * The attributes of a parsed STUN message, indexed once at parse (type, value offset, value length):
 * iterate them with {@link #attributeCount()} and {@link #attributeType(int)}, or look one up with
 * {@link #indexOf(int)}; typed getters decode the attributes of RFC 8489, RFC 8656 and RFC 8445.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Type                  |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         Value (variable)                ....  (padded to 4 bytes)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Known attributes were length-checked at parse, so typed getters never read out of bounds. For an
 * absent attribute a getter returns -1, {@code null} or 0 as documented; with repeated attributes it
 * reads the first. Getters returning {@code String} or {@code byte[]} allocate; the others do not.
 * The only subclass is {@link StunMessageView}.
 */
public abstract sealed class StunAttributeReader permits StunMessageView {
    /** The most attributes a message may carry; more is {@link StunRejection#TOO_MANY_ATTRIBUTES}. */
    public static final int MAX_ATTRIBUTES = 128;

    final int[] types = new int[MAX_ATTRIBUTES];
    final int[] values = new int[MAX_ATTRIBUTES];
    final int[] lengths = new int[MAX_ATTRIBUTES];
    int count;
    int integrityIndex;
    int integritySha256Index;
    int fingerprintIndex;
    ByteBuffer buffer;
    int offset;
    int length;

    StunAttributeReader() {
    }

    /** Number of indexed attributes. */
    public int attributeCount() {
        return count;
    }

    /** Type of attribute {@code index} (0 .. {@link #attributeCount()} - 1). */
    public int attributeType(int index) {
        return types[index];
    }

    /** Absolute index in {@link #buffer()} of the value of attribute {@code index}. */
    public int attributeValueOffset(int index) {
        return values[index];
    }

    /** Value length (before padding) of attribute {@code index}, in bytes. */
    public int attributeValueLength(int index) {
        return lengths[index];
    }

    /** Index of the first attribute of {@code type}, or -1. */
    public int indexOf(int type) {
        for (int i = 0; i < count; i++) {
            if (types[i] == type) {
                return i;
            }
        }
        return -1;
    }

    /** Whether an attribute of {@code type} is present. */
    public boolean has(int type) {
        return indexOf(type) >= 0;
    }

    /**
     * Lists the comprehension-required attribute types (0x0000-0x7FFF) zonegate does not understand, each
     * once, for a 420 answer (see {@link StunMessageWriter#beginUnknownAttributesError}).
     *
     * @param out receives the types; at most {@code out.length} are written
     * @return how many were written (0 when the message can be processed)
     */
    public int unknownComprehensionRequired(int[] out) {
        int found = 0;
        for (int i = 0; i < count && found < out.length; i++) {
            int type = types[i];
            if (isComprehensionRequired(type) && !isKnown(type) && indexOf(type) == i) {
                out[found++] = type;
            }
        }
        return found;
    }

    // ---- text and opaque values

    /** The value of the first attribute of {@code type} decoded as UTF-8, or {@code null}. */
    public String text(int type) {
        int index = indexOf(type);
        if (index < 0) {
            return null;
        }
        byte[] bytes = new byte[lengths[index]];
        buffer.get(values[index], bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** USERNAME, or {@code null}. */
    public String username() {
        return text(USERNAME);
    }

    /** REALM, or {@code null}. */
    public String realm() {
        return text(REALM);
    }

    /** NONCE, or {@code null}. */
    public String nonce() {
        return text(NONCE);
    }

    /** SOFTWARE, or {@code null}. */
    public String software() {
        return text(SOFTWARE);
    }

    /** The value bytes of the first attribute of {@code type} (a copy), or {@code null}. */
    public byte[] valueBytes(int type) {
        int index = indexOf(type);
        if (index < 0) {
            return null;
        }
        byte[] bytes = new byte[lengths[index]];
        buffer.get(values[index], bytes);
        return bytes;
    }

    /** USERHASH (32 bytes), or {@code null}. */
    public byte[] userhash() {
        return valueBytes(USERHASH);
    }

    // ---- numbers (an absent attribute reads -1 unless stated otherwise)

    /** ERROR-CODE as class * 100 + number (e.g. 401, 420), or -1. */
    public int errorCode() {
        int index = indexOf(ERROR_CODE);
        return index < 0 ? -1 : errorNumber(values[index]);
    }

    /** ERROR-CODE's reason phrase, or {@code null}. */
    public String errorReason() {
        return reason(ERROR_CODE);
    }

    /** Number of types listed in UNKNOWN-ATTRIBUTES, or -1. */
    public int unknownAttributesCount() {
        int index = indexOf(UNKNOWN_ATTRIBUTES);
        return index < 0 ? -1 : lengths[index] / 2;
    }

    /** The {@code i}-th type listed in UNKNOWN-ATTRIBUTES (see {@link #unknownAttributesCount()}). */
    public int unknownAttribute(int i) {
        return Wire.u16(buffer, values[indexOf(UNKNOWN_ATTRIBUTES)] + 2 * i);
    }

    /** PASSWORD-ALGORITHM's algorithm number (1 MD5, 2 SHA-256), or -1. */
    public int passwordAlgorithm() {
        return u16(PASSWORD_ALGORITHM, 0);
    }

    /**
     * The algorithm numbers listed in PASSWORD-ALGORITHMS, in order.
     *
     * @return how many were written to {@code out} (at most its length), or -1 if absent
     */
    public int passwordAlgorithms(int[] out) {
        int index = indexOf(PASSWORD_ALGORITHMS);
        if (index < 0) {
            return -1;
        }
        int found = 0;
        for (int at = 0; at < lengths[index] && found < out.length; found++) {
            out[found] = Wire.u16(buffer, values[index] + at);
            at += 4 + Wire.padded(Wire.u16(buffer, values[index] + at + 2));
        }
        return found;
    }

    /** CHANNEL-NUMBER, or -1. */
    public int channelNumber() {
        return u16(CHANNEL_NUMBER, 0);
    }

    /** LIFETIME in seconds, or -1. */
    public long lifetimeSeconds() {
        return u32(LIFETIME);
    }

    /** REQUESTED-TRANSPORT's IP protocol number (17 for UDP), or -1. */
    public int requestedTransport() {
        return u8(REQUESTED_TRANSPORT, 0);
    }

    /** REQUESTED-ADDRESS-FAMILY (1 IPv4, 2 IPv6), or -1. */
    public int requestedAddressFamily() {
        return u8(REQUESTED_ADDRESS_FAMILY, 0);
    }

    /** ADDITIONAL-ADDRESS-FAMILY (2 IPv6 is the only valid value), or -1. */
    public int additionalAddressFamily() {
        return u8(ADDITIONAL_ADDRESS_FAMILY, 0);
    }

    /** EVEN-PORT: 1 when its R bit asks to reserve the next port, 0 when clear, -1 when absent. */
    public int evenPort() {
        int value = u8(EVEN_PORT, 0);
        return value < 0 ? -1 : value >>> 7;
    }

    /** RESERVATION-TOKEN's 64 bits, or 0 when absent (check {@link #has}). */
    public long reservationToken() {
        return u64(RESERVATION_TOKEN);
    }

    /** Absolute index of DATA's first byte in {@link #buffer()}, or -1. */
    public int dataOffset() {
        int index = indexOf(DATA);
        return index < 0 ? -1 : values[index];
    }

    /** DATA's length in bytes, or -1. */
    public int dataLengthBytes() {
        int index = indexOf(DATA);
        return index < 0 ? -1 : lengths[index];
    }

    /** ADDRESS-ERROR-CODE's family, or -1. */
    public int addressErrorFamily() {
        return u8(ADDRESS_ERROR_CODE, 0);
    }

    /** ADDRESS-ERROR-CODE as class * 100 + number, or -1. */
    public int addressErrorCode() {
        int index = indexOf(ADDRESS_ERROR_CODE);
        return index < 0 ? -1 : errorNumber(values[index]);
    }

    /** ADDRESS-ERROR-CODE's reason phrase, or {@code null}. */
    public String addressErrorReason() {
        return reason(ADDRESS_ERROR_CODE);
    }

    /** ICMP attribute's type, or -1. */
    public int icmpType() {
        return u8(ICMP, 2);
    }

    /** ICMP attribute's code, or -1. */
    public int icmpCode() {
        return u8(ICMP, 3);
    }

    /** ICMP attribute's 32-bit error data (e.g. the MTU of Packet Too Big), or -1. */
    public long icmpErrorData() {
        int index = indexOf(ICMP);
        return index < 0 ? -1 : Wire.u32(buffer, values[index] + 4) & 0xFFFF_FFFFL;
    }

    /** PRIORITY, or -1. */
    public long priority() {
        return u32(PRIORITY);
    }

    /** ICE-CONTROLLED's tie-breaker, or 0 when absent (check {@link #has}). */
    public long iceControlledTieBreaker() {
        return u64(ICE_CONTROLLED);
    }

    /** ICE-CONTROLLING's tie-breaker, or 0 when absent (check {@link #has}). */
    public long iceControllingTieBreaker() {
        return u64(ICE_CONTROLLING);
    }

    private int errorNumber(int value) {
        return (Wire.u8(buffer, value + 2) & 0x07) * 100 + Wire.u8(buffer, value + 3);
    }

    private String reason(int type) {
        int index = indexOf(type);
        if (index < 0) {
            return null;
        }
        byte[] bytes = new byte[lengths[index] - 4];
        buffer.get(values[index] + 4, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private int u8(int type, int at) {
        int index = indexOf(type);
        return index < 0 ? -1 : Wire.u8(buffer, values[index] + at);
    }

    private int u16(int type, int at) {
        int index = indexOf(type);
        return index < 0 ? -1 : Wire.u16(buffer, values[index] + at);
    }

    private long u32(int type) {
        int index = indexOf(type);
        return index < 0 ? -1 : Wire.u32(buffer, values[index]) & 0xFFFF_FFFFL;
    }

    private long u64(int type) {
        int index = indexOf(type);
        return index < 0 ? 0 : Wire.u64(buffer, values[index]);
    }
}
