package zonegate.portal.internal;

import java.util.Base64;
import java.util.random.RandomGenerator;
import zonegate.controlplane.Wire;

/** Random connection material: WireGuard preshared keys and ICE credentials (RFC 8445 section 5.3). */
final class Minting {
    /** RFC 8445 ice-char: ALPHA / DIGIT / "+" / "/". */
    private static final String ICE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /** At least 24 bits of randomness for the ufrag (4 chars), 128 for the password (22): more of both here. */
    static final int UFRAG_CHARS = 8;
    static final int PASSWORD_CHARS = 24;

    private final RandomGenerator random;

    Minting(RandomGenerator random) {
        this.random = random;
    }

    String presharedKey() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    Wire.IceCredentials ice() {
        return new Wire.IceCredentials(iceString(UFRAG_CHARS), iceString(PASSWORD_CHARS));
    }

    private String iceString(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ICE_CHARS.charAt(random.nextInt(ICE_CHARS.length())));
        }
        return text.toString();
    }
}
