package zonegate.wireguard.internal.cookie;

import java.security.SecureRandom;
import java.util.Arrays;
import zonegate.wireguard.internal.crypto.Blake2s;
import zonegate.wireguard.internal.crypto.HandshakeAead;
import zonegate.wireguard.internal.noise.LocalIdentity;
import zonegate.wireguard.internal.noise.Messages;

/**
 * The receiving side of WireGuard's DoS mitigation (paper section 5.4.7): checks mac1 of every
 * handshake message, and under load checks mac2 and answers with cookie replies. The cookie is
 * {@code MAC(secret, source address || port)}, the secret is random and replaced every
 * {@code cookieRefreshTimeNs} (120 s).
 *
 * <p>An initiator uses a cookie for up to {@code cookieRefreshTimeNs} after it arrived, so a cookie
 * issued just before the secret was replaced is still in use after: mac2 is also accepted under the
 * previous secret while a cookie made with it can still be fresh, i.e. until two lifetimes after
 * that secret was born. Replies always carry a cookie of the current secret.
 */
public final class CookieResponder {
    private final LocalIdentity local;
    private final Blake2s.FixedKeyMac mac1Mac;
    private final SecureRandom random;
    private final HandshakeAead aead;
    private final long refreshNs;
    private final byte[] secret = new byte[32];
    private final byte[] previousSecret = new byte[32];
    private final byte[] cookie = new byte[16];
    /** The source {@link #cookie} holds the current secret's cookie of, so a flood from one source costs no MAC. */
    private final byte[] cookieSource = new byte[32];
    private int cookieSourceLength = -1;
    /** MAC keyed with {@link #cookie}, made when first needed after the cookie changed. */
    private Blake2s.FixedKeyMac cookieMac;
    private final byte[] mac = new byte[16];
    private final byte[] mac1 = new byte[16];
    private final byte[] nonce = new byte[Messages.COOKIE_NONCE_BYTES];
    private long secretBornNs;
    private long previousSecretBornNs;
    private boolean hasSecret;
    private boolean hasPreviousSecret;

    public CookieResponder(LocalIdentity local, SecureRandom random, HandshakeAead aead, long refreshNs) {
        this.local = local;
        this.mac1Mac = new Blake2s.FixedKeyMac(local.mac1Key);
        this.random = random;
        this.aead = aead;
        this.refreshNs = refreshNs;
    }

    /** Whether {@code msg[mac1Off..+16)} is {@code MAC(HASH("mac1----" || our key), msg[0..mac1Off))}. */
    public boolean checkMac1(byte[] msg, int mac1Off) {
        mac1Mac.mac(msg, 0, mac1Off, mac, 0);
        return macEquals(msg, mac1Off);
    }

    /**
     * Whether {@code msg[mac2Off..+16)} carries a valid mac2 for the cookie of {@code source} under the
     * current secret, or under the previous one while its cookies can still be in use. An all-zero
     * mac2 (what an initiator without a cookie sends) fails at once, without computing anything.
     */
    public boolean checkMac2(byte[] msg, int mac2Off, byte[] source, long nowNs) {
        int any = 0;
        for (int i = mac2Off; i < mac2Off + 16; i++) {
            any |= msg[i];
        }
        if (any == 0) {
            return false;
        }
        makeCookie(source, nowNs);
        if (mac2Matches(msg, mac2Off)) {
            return true;
        }
        if (!hasPreviousSecret || nowNs - previousSecretBornNs >= 2 * refreshNs) {
            return false;
        }
        Blake2s.mac(previousSecret, source, 0, source.length, cookie, 0);
        cookieSourceLength = -1;
        cookieMac = null;
        return mac2Matches(msg, mac2Off);
    }

    private boolean mac2Matches(byte[] msg, int mac2Off) {
        if (cookieMac == null) {
            cookieMac = new Blake2s.FixedKeyMac(cookie);
        }
        cookieMac.mac(msg, 0, mac2Off, mac, 0);
        return macEquals(msg, mac2Off);
    }

    /** Constant-time comparison of {@link #mac} with {@code msg[off..off+16)}. */
    private boolean macEquals(byte[] msg, int off) {
        int diff = 0;
        for (int i = 0; i < 16; i++) {
            diff |= mac[i] ^ msg[off + i];
        }
        return diff == 0;
    }

    /**
     * Writes a 64-byte cookie reply to {@code msg} (whose sender index is {@code receiverIndex} and
     * whose mac1 is at {@code mac1Off}) into {@code out[0..64)}.
     */
    public void writeCookieReply(byte[] msg, int mac1Off, int receiverIndex, byte[] source, long nowNs, byte[] out) {
        makeCookie(source, nowNs);
        Messages.putLe32(out, 0, Messages.TYPE_COOKIE_REPLY);
        Messages.putLe32(out, Messages.COOKIE_RECEIVER, receiverIndex);
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, out, Messages.COOKIE_NONCE, nonce.length);
        System.arraycopy(msg, mac1Off, mac1, 0, 16);
        aead.xseal(local.cookieKey, nonce, 0, cookie, 0, 16, mac1, out, Messages.COOKIE_ENCRYPTED);
    }

    /** Test seam: installs a fixed secret born at {@code nowNs}. */
    public void setSecret(byte[] fixed, long nowNs) {
        System.arraycopy(fixed, 0, secret, 0, 32);
        secretBornNs = nowNs;
        hasSecret = true;
        cookieSourceLength = -1;
    }

    private void makeCookie(byte[] source, long nowNs) {
        if (!hasSecret || nowNs - secretBornNs >= refreshNs) {
            if (hasSecret) {
                System.arraycopy(secret, 0, previousSecret, 0, 32);
                previousSecretBornNs = secretBornNs;
                hasPreviousSecret = true;
            }
            random.nextBytes(secret);
            secretBornNs = nowNs;
            hasSecret = true;
            cookieSourceLength = -1;
        }
        if (cookieSourceLength == source.length
                && Arrays.equals(cookieSource, 0, source.length, source, 0, source.length)) {
            return;
        }
        Blake2s.mac(secret, source, 0, source.length, cookie, 0);
        cookieMac = null;
        if (source.length <= cookieSource.length) {
            System.arraycopy(source, 0, cookieSource, 0, source.length);
            cookieSourceLength = source.length;
        } else {
            cookieSourceLength = -1;
        }
    }
}
