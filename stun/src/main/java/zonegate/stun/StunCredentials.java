package zonegate.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import zonegate.stun.internal.Digests;

/**
 * MESSAGE-INTEGRITY keys (RFC 8489 section 9) and USERHASH.
 *
 * <p><b>SASLprep / OpaqueString is not applied.</b> RFC 8489 prepares passwords with the OpaqueString
 * profile (RFC 8265; RFC 5389 used SASLprep, RFC 4013) before hashing. These methods take the password
 * as already prepared and encode it as UTF-8, which is exact for the common case (ASCII passwords, ICE
 * ufrag/pwd, TURN REST credentials). A caller with non-ASCII passwords must normalise them first: for
 * example RFC 5769's "TheM\u00aatr\u2168" must be passed as "TheMatrIX".
 *
 * <p>Keys are new arrays; reuse one per credential, since verifiers and writers remember the last key
 * by identity to skip re-initialising the HMAC.
 */
public final class StunCredentials {
    /** PASSWORD-ALGORITHM number for MD5 (RFC 8489 section 18.5). */
    public static final int ALGORITHM_MD5 = 0x0001;
    /** PASSWORD-ALGORITHM number for SHA-256. */
    public static final int ALGORITHM_SHA256 = 0x0002;

    private StunCredentials() {
    }

    /** Short-term key (RFC 8489 section 9.1.1): the prepared password's UTF-8 bytes. */
    public static byte[] shortTermKey(String password) {
        return password.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Long-term key (RFC 8489 section 9.2.2) with the default algorithm, MD5:
     * {@code MD5(username ":" realm ":" password)}, 16 bytes.
     */
    public static byte[] longTermKey(String username, String realm, String password) {
        return longTermKey(ALGORITHM_MD5, username, realm, password);
    }

    /**
     * Long-term key with PASSWORD-ALGORITHM {@code algorithm}: MD5 (16 bytes) or SHA-256 (32 bytes) of
     * {@code username ":" realm ":" password}.
     *
     * @throws IllegalArgumentException for another algorithm number
     */
    public static byte[] longTermKey(int algorithm, String username, String realm, String password) {
        MessageDigest digest = switch (algorithm) {
            case ALGORITHM_MD5 -> Digests.digest("MD5");
            case ALGORITHM_SHA256 -> Digests.digest("SHA-256");
            default -> throw new IllegalArgumentException("unknown password algorithm " + algorithm);
        };
        return digest.digest((username + ":" + realm + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** USERHASH (RFC 8489 section 14.4): {@code SHA-256(username ":" realm)}, 32 bytes. */
    public static byte[] userhash(String username, String realm) {
        return Digests.digest("SHA-256").digest((username + ":" + realm).getBytes(StandardCharsets.UTF_8));
    }
}
