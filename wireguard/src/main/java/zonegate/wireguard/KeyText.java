package zonegate.wireguard;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** The base64 text form shared by public, private and preshared keys. */
final class KeyText {
    private static final int BASE64_LENGTH = 44;
    private static final String WRONG_FORMAT = "Key is not the correct length or format";

    private KeyText() {}

    static byte[] decode(String text) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        try {
            return decode(ascii);
        } finally {
            Arrays.fill(ascii, (byte) 0);
        }
    }

    /**
     * Decodes ASCII base64 text held in bytes (a key file's contents), ignoring surrounding ASCII
     * whitespace, without ever making a {@code String} of it; the caller erases {@code text} afterwards.
     */
    static byte[] decode(byte[] text) {
        int from = 0;
        int to = text.length;
        while (from < to && isSpace(text[from])) {
            from++;
        }
        while (to > from && isSpace(text[to - 1])) {
            to--;
        }
        if (to - from != BASE64_LENGTH || text[to - 1] != '=') {
            throw new IllegalArgumentException(WRONG_FORMAT + ": expected 44 base64 characters ending in '='");
        }
        byte[] trimmed = Arrays.copyOfRange(text, from, to);
        try {
            return Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(WRONG_FORMAT + ": not base64");
        } finally {
            Arrays.fill(trimmed, (byte) 0);
        }
    }

    /** What {@link String#strip()} removes, for the ASCII range. */
    private static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r') || (b >= 0x1C && b <= 0x1F);
    }
}
