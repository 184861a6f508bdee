package zonegate.wireguard.internal.noise;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import zonegate.wireguard.internal.crypto.Blake2s;
import zonegate.wireguard.internal.crypto.Curve25519;

/**
 * This device's static key pair and everything derived from it once: the Noise initial chaining key
 * and hash, and the keys that check mac1 on messages sent to us and encrypt our cookie replies.
 */
public final class LocalIdentity {
    static final byte[] CONSTRUCTION = ascii("Noise_IKpsk2_25519_ChaChaPoly_BLAKE2s");
    static final byte[] IDENTIFIER = ascii("WireGuard v1 zx2c4 Jason@zx2c4.com");
    static final byte[] LABEL_MAC1 = ascii("mac1----");
    static final byte[] LABEL_COOKIE = ascii("cookie--");
    /** {@code C0 = HASH(CONSTRUCTION)}. */
    static final byte[] INITIAL_CHAIN_KEY = new byte[32];
    /** {@code HASH(C0 || IDENTIFIER)}. */
    static final byte[] INITIAL_HASH = new byte[32];

    static {
        Blake2s b = new Blake2s();
        b.hash(CONSTRUCTION, new byte[0], INITIAL_CHAIN_KEY);
        b.hash(INITIAL_CHAIN_KEY, IDENTIFIER, INITIAL_HASH);
    }

    final byte[] staticPrivate;
    final byte[] staticPublic = new byte[32];
    /** {@code HASH(HASH(C0 || IDENTIFIER) || our public key)}: the responder's starting hash. */
    final byte[] initialHash = new byte[32];
    /** {@code HASH("mac1----" || our public key)}: checks mac1 of messages sent to us. */
    public final byte[] mac1Key = new byte[32];
    /** {@code HASH("cookie--" || our public key)}: encrypts the cookie replies we send. */
    public final byte[] cookieKey = new byte[32];

    /** Copies the 32-byte private key; the copy is erased by {@link #erase()}. */
    public LocalIdentity(byte[] staticPrivateKey) {
        this.staticPrivate = staticPrivateKey.clone();
        Curve25519.publicKey(staticPrivate, staticPublic);
        Blake2s b = new Blake2s();
        b.hash(INITIAL_HASH, staticPublic, initialHash);
        b.hash(LABEL_MAC1, staticPublic, mac1Key);
        b.hash(LABEL_COOKIE, staticPublic, cookieKey);
    }

    /** Our static public key (do not modify). */
    public byte[] staticPublic() {
        return staticPublic;
    }

    /** Overwrites the private key. */
    public void erase() {
        Arrays.fill(staticPrivate, (byte) 0);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
