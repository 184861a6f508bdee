package zonegate.turn.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TURN REST credentials (the scheme coturn calls "use-auth-secret"): a username {@code expiry:account}
 * with the expiry in Unix seconds, and the password base64(HMAC-SHA1(secret, username)). Whoever holds the
 * relay's secret (the portal) mints them; the relay checks them without any state ({@link RelayConfig}'s
 * REST secret), refusing a username whose expiry has passed.
 *
 * @param username {@code expiry:account}
 * @param password base64 of the HMAC-SHA1 of the username under the secret
 */
public record RestCredentials(String username, String password) {
    public RestCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
    }

    /** Credentials for {@code account}, valid until {@code expiresAtUnixSeconds}, under {@code secret}. */
    public static RestCredentials mint(byte[] secret, String account, long expiresAtUnixSeconds) {
        if (expiresAtUnixSeconds <= 0) {
            throw new IllegalArgumentException("expiry must be a positive Unix time, not " + expiresAtUnixSeconds);
        }
        String username = expiresAtUnixSeconds + ":" + Objects.requireNonNull(account, "account");
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return new RestCredentials(username, password(mac, username));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is a required JDK algorithm", e);
        }
    }

    /** The password of {@code username} under a MAC already keyed with the secret (the relay keeps one). */
    public static String password(Mac keyedHmacSha1, String username) {
        return Base64.getEncoder().encodeToString(keyedHmacSha1.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public String toString() {
        return "RestCredentials[username=" + username + "]";
    }
}
