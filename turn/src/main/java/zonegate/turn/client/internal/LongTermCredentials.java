package zonegate.turn.client.internal;

import java.nio.charset.StandardCharsets;
import zonegate.stun.IntegrityCheck;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunCredentials;
import zonegate.stun.StunMessageView;

/**
 * The long-term credential mechanism's client side (RFC 8489 section 9.2): the REALM and NONCE the relay
 * handed out, the key derived from them, and the checks on its answers.
 */
public final class LongTermCredentials {
    /** RFC 8489 sections 14.9 and 14.10: REALM and NONCE are at most 763 bytes. */
    private static final int MAX_REALM_NONCE_BYTES = 763;
    /** Consecutive 438 answers retried before giving up, so a relay cannot keep us looping. */
    private static final int MAX_STALE_NONCE_RETRIES = 3;

    private final String username;
    private final String password;
    private String realm;
    private String nonce;
    private byte[] key;
    private int staleNonceRetries;

    /** Credentials for {@code username}; no realm or nonce is known yet. */
    public LongTermCredentials(String username, String password) {
        this.username = username;
        this.password = password;
    }

    /** What to sign the next request with, or {@code null} before the first 401. */
    public RequestWriter.Auth auth() {
        return key == null ? null : new RequestWriter.Auth(username, realm, nonce, key);
    }

    /**
     * A 401 answered a request signed with {@code usedKey} ({@code null}: unsigned). Takes REALM and
     * NONCE from it.
     *
     * @return whether to retry signed; {@code false} when the credentials themselves were refused
     */
    public boolean onUnauthorized(StunMessageView message, byte[] usedKey) {
        return usedKey == null && update(message, true);
    }

    /** A 438 answered: takes the new NONCE (and REALM). Returns whether to retry (bounded). */
    public boolean onStaleNonce(StunMessageView message) {
        return ++staleNonceRetries <= MAX_STALE_NONCE_RETRIES && update(message, false);
    }

    /** An authenticated request succeeded: the nonce is good again. */
    public void onSuccess() {
        staleNonceRetries = 0;
    }

    private boolean update(StunMessageView message, boolean realmRequired) {
        String newRealm = message.realm();
        String newNonce = message.nonce();
        if (newRealm == null) {
            if (realmRequired || realm == null) {
                return false;
            }
            newRealm = realm;
        }
        if (newNonce == null || tooLong(newRealm) || tooLong(newNonce)) {
            return false;
        }
        if (!newRealm.equals(realm)) {
            key = StunCredentials.longTermKey(username, newRealm, password);
        }
        realm = newRealm;
        nonce = newNonce;
        return true;
    }

    private static boolean tooLong(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length > MAX_REALM_NONCE_BYTES;
    }

    /**
     * RFC 8489 section 9.2.5: an answer to a request signed with {@code usedKey} must carry a valid
     * MESSAGE-INTEGRITY, except the 401 and 438 answers that cannot. Anything else is dropped unread so
     * a forged answer cannot end the transaction.
     */
    public static boolean authentic(StunMessageView message, byte[] usedKey) {
        if (usedKey == null) {
            return true;
        }
        int code = message.messageClass() == StunClass.ERROR_RESPONSE ? message.errorCode() : 0;
        if ((code == 401 || code == 438) && !message.has(StunAttributeType.MESSAGE_INTEGRITY)) {
            return true;
        }
        return message.verifyMessageIntegrity(usedKey) == IntegrityCheck.VALID;
    }
}
