package zonegate.wireguard;

import java.util.Base64;

/** The base64 text form shared by public, private and preshared keys. */
final class KeyText {
    private static final int BASE64_LENGTH = 44;

    private KeyText() {}

    static byte[] decode(String text) {
        String trimmed = text.strip();
        if (trimmed.length() != BASE64_LENGTH || trimmed.charAt(BASE64_LENGTH - 1) != '=') {
            throw new IllegalArgumentException(
                    "Key is not the correct length or format: expected 44 base64 characters ending in '='");
        }
        try {
            return Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Key is not the correct length or format: not base64");
        }
    }
}
