package zonegate.wireguard;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A 32-byte symmetric key mixed into the handshake ({@code psk} of Noise IKpsk2), in the base64 form
 * of {@code wg genpsk}. Its {@link #toString()} never reveals the key; {@link #destroy()} erases it.
 */
public final class PresharedKey implements AutoCloseable {
    private final byte[] bytes;

    private PresharedKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A new random key, as {@code wg genpsk} makes one. */
    public static PresharedKey generate(SecureRandom random) {
        byte[] raw = new byte[PublicKey.LENGTH_BYTES];
        random.nextBytes(raw);
        return new PresharedKey(raw);
    }

    /** Wraps a copy of 32 raw bytes. */
    public static PresharedKey of(byte[] raw) {
        if (raw.length != PublicKey.LENGTH_BYTES) {
            throw new IllegalArgumentException("a WireGuard key is 32 bytes, got " + raw.length);
        }
        return new PresharedKey(raw.clone());
    }

    /**
     * Parses the base64 form. Surrounding whitespace is ignored.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the text)
     */
    public static PresharedKey parse(String base64) {
        return new PresharedKey(KeyText.decode(base64));
    }

    /**
     * Parses the base64 form held as ASCII bytes (a key file's contents), so the key never exists as a
     * {@code String}; the caller should erase {@code base64Ascii} afterwards.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the text)
     */
    public static PresharedKey parse(byte[] base64Ascii) {
        return new PresharedKey(KeyText.decode(base64Ascii));
    }

    /** An independent copy, for a holder that must be able to destroy its own. */
    public PresharedKey copy() {
        return new PresharedKey(bytes.clone());
    }

    /** Whether both hold the same key, compared in constant time. */
    public boolean sameKeyAs(PresharedKey other) {
        return MessageDigest.isEqual(bytes, other.bytes);
    }

    /** The raw bytes; callers must not modify or keep the array. */
    byte[] rawBytes() {
        return bytes;
    }

    /** The base64 form. Handle with care. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Overwrites the key with zeros. */
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public void close() {
        destroy();
    }

    @Override
    public String toString() {
        return "PresharedKey[redacted]";
    }
}
