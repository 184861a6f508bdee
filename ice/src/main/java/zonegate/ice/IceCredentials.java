package zonegate.ice;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * ICE short-term credentials (RFC 8445 section 5.3): the username fragment and password one side
 * signals to the other. Checks carry {@code USERNAME = remoteUfrag ":" localUfrag} and are signed
 * with the remote password; answers are signed with the local password.
 *
 * @param ufrag 4 to 256 ice-chars ({@code ALPHA / DIGIT / "+" / "/"}, RFC 8839 section 5.4)
 * @param password 22 to 256 ice-chars
 */
public record IceCredentials(String ufrag, String password) {
    /** Shortest ufrag RFC 8839 allows (24 bits of randomness in 4 characters). */
    public static final int MIN_UFRAG_CHARS = 4;
    /** Shortest password RFC 8839 allows (128 bits of randomness in 22 characters). */
    public static final int MIN_PASSWORD_CHARS = 22;
    /** Longest ufrag or password RFC 8839 allows. */
    public static final int MAX_CHARS = 256;

    private static final String ICE_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /**
     * @throws IllegalArgumentException when either value is too short, too long or not ice-chars
     */
    public IceCredentials {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
        check("ufrag", ufrag, MIN_UFRAG_CHARS);
        check("password", password, MIN_PASSWORD_CHARS);
    }

    /**
     * Fresh credentials: an 8-character ufrag (48 bits) and a 24-character password (144 bits), from
     * {@code random} (a {@code SecureRandom} in production, seeded in tests).
     */
    public static IceCredentials random(RandomGenerator random) {
        return new IceCredentials(randomChars(random, 8), randomChars(random, 24));
    }

    /** Whether {@code c} is an ice-char. */
    public static boolean isIceChar(char c) {
        return ICE_CHARS.indexOf(c) >= 0;
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", password=<hidden>]";
    }

    private static String randomChars(RandomGenerator random, int count) {
        char[] chars = new char[count];
        for (int i = 0; i < count; i++) {
            chars[i] = ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length()));
        }
        return new String(chars);
    }

    private static void check(String name, String value, int min) {
        if (value.length() < min || value.length() > MAX_CHARS) {
            throw new IllegalArgumentException(name + " must be " + min + " to " + MAX_CHARS + " ice-chars");
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isIceChar(value.charAt(i))) {
                throw new IllegalArgumentException(name + " holds a character that is not an ice-char");
            }
        }
    }
}
