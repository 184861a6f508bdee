package zonegate.wireguard;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * A Curve25519 public key: 32 bytes, printed and parsed as the 44-character base64 form of
 * {@code wg pubkey}. Immutable; safe to share between threads and to log.
 */
public final class PublicKey {
    /** Length of a key in bytes. */
    public static final int LENGTH_BYTES = 32;

    private final byte[] bytes;

    private PublicKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of 32 raw bytes. */
    public static PublicKey of(byte[] raw) {
        if (raw.length != LENGTH_BYTES) {
            throw new IllegalArgumentException("a WireGuard key is 32 bytes, got " + raw.length);
        }
        return new PublicKey(raw.clone());
    }

    /**
     * Parses the base64 form ({@code wg pubkey} output). Surrounding whitespace is ignored.
     *
     * @throws IllegalArgumentException naming what is wrong, if the text is not a 32-byte base64 key
     */
    public static PublicKey parse(String base64) {
        return new PublicKey(KeyText.decode(base64));
    }

    /** A copy of the 32 raw bytes. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** Copies the 32 raw bytes into {@code dst} at {@code offset}. */
    public void copyTo(byte[] dst, int offset) {
        System.arraycopy(bytes, 0, dst, offset, LENGTH_BYTES);
    }

    /** The base64 form, exactly as {@code wg pubkey} prints it. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PublicKey that && MessageDigest.isEqual(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toBase64();
    }
}
