package zonegate.controlplane;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The secrets gateways, clients and relays authenticate to the portal with. A token is 32 random bytes in
 * URL-safe base64; the portal never stores it, only the hex SHA-256 of its UTF-8 bytes, and compares in
 * constant time.
 */
public final class Tokens {
    private static final int TOKEN_BYTES = 32;

    private Tokens() {
    }

    /** A new token. */
    public static String generate(SecureRandom random) {
        byte[] raw = new byte[TOKEN_BYTES];
        random.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The lower-case hex SHA-256 of the token's UTF-8 bytes (what the portal's configuration holds). */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /**
     * Whether {@code token} hashes to {@code expectedSha256Hex}, in time independent of where they differ;
     * false for a malformed expected value.
     */
    public static boolean matches(String token, String expectedSha256Hex) {
        byte[] expected;
        try {
            expected = HexFormat.of().parseHex(expectedSha256Hex);
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return expected.length == 32 && MessageDigest.isEqual(sha256(token), expected);
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
    }
}
