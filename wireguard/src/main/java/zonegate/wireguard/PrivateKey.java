package zonegate.wireguard;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A Curve25519 private key, clamped as {@code wg genkey} clamps it. Its {@link #toString()} never
 * reveals the key; {@link #destroy()} overwrites the bytes. Not thread-safe once destroyed.
 */
public final class PrivateKey implements AutoCloseable {
    private final byte[] bytes;

    private PrivateKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A new random key, as {@code wg genkey} makes one. */
    public static PrivateKey generate(SecureRandom random) {
        byte[] raw = new byte[PublicKey.LENGTH_BYTES];
        random.nextBytes(raw);
        return new PrivateKey(clamp(raw));
    }

    /** Takes ownership of 32 raw bytes (clamping them); the caller must not reuse the array. */
    public static PrivateKey ofOwned(byte[] raw) {
        if (raw.length != PublicKey.LENGTH_BYTES) {
            throw new IllegalArgumentException("a WireGuard key is 32 bytes, got " + raw.length);
        }
        return new PrivateKey(clamp(raw));
    }

    /**
     * Parses the base64 form ({@code wg genkey} output). Surrounding whitespace is ignored.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the text)
     */
    public static PrivateKey parse(String base64) {
        return new PrivateKey(clamp(KeyText.decode(base64)));
    }

    /**
     * Parses the base64 form held as ASCII bytes (a key file's contents), so the key never exists as a
     * {@code String}; the caller should erase {@code base64Ascii} afterwards.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the text)
     */
    public static PrivateKey parse(byte[] base64Ascii) {
        return new PrivateKey(clamp(KeyText.decode(base64Ascii)));
    }

    /** The matching public key, as {@code wg pubkey} derives it. */
    public PublicKey publicKey() {
        byte[] pub = new byte[PublicKey.LENGTH_BYTES];
        X25519.scalarMultBase(bytes, 0, pub, 0);
        return PublicKey.of(pub);
    }

    /** An independent copy, for a holder that must be able to destroy its own (as {@link PresharedKey#copy()}). */
    public PrivateKey copy() {
        return new PrivateKey(bytes.clone());
    }

    /** The raw 32 bytes; callers must not modify or keep the array. */
    byte[] rawBytes() {
        return bytes;
    }

    /** The base64 form, exactly as {@code wg genkey} prints it. Handle with care. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Overwrites the key material with zeros. */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "PrivateKey[redacted]";
    }

    private static byte[] clamp(byte[] raw) {
        raw[0] &= (byte) 248;
        raw[31] &= 127;
        raw[31] |= 64;
        return raw;
    }
}
