package zonegate.stun.internal;

import static zonegate.stun.StunAttributeType.*;

import java.nio.ByteBuffer;

/**
 * The value lengths each known attribute's RFC allows, checked once at parse time so that the typed
 * getters can read fixed offsets without further bounds checks. Unknown attributes are opaque: any
 * length is fine.
 */
public final class AttributeRules {
    /** RFC 8489 section 14.3 sends fewer than 509 bytes; RFC 5389 allowed up to 512, still accepted. */
    static final int MAX_USERNAME_BYTES = 513;
    /** RFC 8489 sections 14.8-14.10, 14.14: fewer than 128 characters, at most 763 bytes. */
    static final int MAX_TEXT_BYTES = 763;

    private AttributeRules() {
    }

    /** Whether a value of {@code length} bytes at {@code value} is well-formed for attribute {@code type}. */
    public static boolean valid(int type, ByteBuffer buffer, int value, int length) {
        return switch (type) {
            case MAPPED_ADDRESS, XOR_MAPPED_ADDRESS, ALTERNATE_SERVER, XOR_PEER_ADDRESS, XOR_RELAYED_ADDRESS ->
                    validAddress(buffer, value, length);
            case USERNAME -> length <= MAX_USERNAME_BYTES;
            case REALM, NONCE, SOFTWARE, ALTERNATE_DOMAIN -> length <= MAX_TEXT_BYTES;
            case MESSAGE_INTEGRITY -> length == 20;
            // RFC 8489 section 14.6: truncation to no fewer than 16 bytes, in whole 4-byte words.
            case MESSAGE_INTEGRITY_SHA256 -> length >= 16 && length <= 32 && length % 4 == 0;
            case FINGERPRINT, CHANNEL_NUMBER, LIFETIME, REQUESTED_ADDRESS_FAMILY, REQUESTED_TRANSPORT,
                 ADDITIONAL_ADDRESS_FAMILY, PRIORITY -> length == 4;
            case ERROR_CODE, ADDRESS_ERROR_CODE -> length >= 4 && length <= 4 + MAX_TEXT_BYTES;
            case UNKNOWN_ATTRIBUTES -> length % 2 == 0;
            case USERHASH -> length == 32;
            case PASSWORD_ALGORITHM -> length >= 4 && 4 + Wire.u16(buffer, value + 2) <= length;
            case PASSWORD_ALGORITHMS -> validAlgorithmList(buffer, value, length);
            case EVEN_PORT -> length == 1;
            case DONT_FRAGMENT, USE_CANDIDATE -> length == 0;
            case RESERVATION_TOKEN, ICMP, ICE_CONTROLLED, ICE_CONTROLLING -> length == 8;
            default -> true;
        };
    }

    // An unknown family is left to the getter (which reports it) so a TURN server can still answer 440.
    private static boolean validAddress(ByteBuffer buffer, int value, int length) {
        if (length < 4) {
            return false;
        }
        return switch (Wire.u8(buffer, value + 1)) {
            case 0x01 -> length == 8;
            case 0x02 -> length == 20;
            default -> true;
        };
    }

    private static boolean validAlgorithmList(ByteBuffer buffer, int value, int length) {
        int at = 0;
        while (at < length) {
            if (length - at < 4) {
                return false;
            }
            at += 4 + Wire.padded(Wire.u16(buffer, value + at + 2));
        }
        return at == length;
    }
}
