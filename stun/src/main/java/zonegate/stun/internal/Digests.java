package zonegate.stun.internal;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The digests STUN needs over a region of a message: HMAC-SHA1 / HMAC-SHA256 for MESSAGE-INTEGRITY(-SHA256)
 * (RFC 8489 sections 14.5 and 14.6) and CRC-32 for FINGERPRINT (section 14.7). Each instance owns its
 * {@link Mac}s and remembers the last key it was initialised with, so a stream of messages under one
 * credential costs no re-initialisation. Not thread-safe: one per parser or writer.
 */
public final class Digests {
    /** RFC 8489 section 14.7: the CRC-32 is XOR'ed with this so FINGERPRINT differs from other CRCs. */
    public static final int FINGERPRINT_XOR = 0x5354554E;

    private final CRC32 crc = new CRC32();
    private final byte[] lengthBytes = new byte[2];
    private Mac sha1;
    private Mac sha256;
    private byte[] sha1Key;
    private byte[] sha256Key;

    /** The FINGERPRINT value of {@code length} bytes from {@code offset}. */
    public int fingerprint(ByteBuffer buffer, int offset, int length) {
        crc.reset();
        if (buffer.hasArray()) {
            crc.update(buffer.array(), buffer.arrayOffset() + offset, length);
        } else {
            crc.update(buffer.slice(offset, length));
        }
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    /**
     * HMAC over a STUN message prefix with its length field replaced: {@code buffer[start, start + 2)}
     * (the type), then {@code adjustedLength} as two bytes, then {@code buffer[start + 4, end)}.
     *
     * @param sha256 HMAC-SHA256 when true, else HMAC-SHA1
     * @param out receives the full MAC (20 or 32 bytes)
     */
    public void hmac(boolean sha256, byte[] key, ByteBuffer buffer, int start, int end, int adjustedLength,
            byte[] out) {
        Mac mac = mac(sha256, key);
        update(mac, buffer, start, 2);
        lengthBytes[0] = (byte) (adjustedLength >>> 8);
        lengthBytes[1] = (byte) adjustedLength;
        mac.update(lengthBytes);
        update(mac, buffer, start + 4, end - start - 4);
        try {
            mac.doFinal(out, 0);
        } catch (javax.crypto.ShortBufferException e) {
            throw new IllegalArgumentException("MAC output buffer too short", e);
        }
    }

    /** Constant-time comparison of {@code expected[0, length)} with {@code length} bytes at {@code offset}. */
    public static boolean equalsConstantTime(byte[] expected, ByteBuffer buffer, int offset, int length) {
        int diff = 0;
        for (int i = 0; i < length; i++) {
            diff |= expected[i] ^ buffer.get(offset + i);
        }
        return diff == 0;
    }

    /** A new {@link MessageDigest} for an algorithm every JDK has (MD5, SHA-256). */
    public static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }

    private Mac mac(boolean useSha256, byte[] key) {
        try {
            if (useSha256) {
                if (sha256 == null) {
                    sha256 = Mac.getInstance("HmacSHA256");
                }
                if (key != sha256Key) {
                    sha256.init(new SecretKeySpec(nonEmpty(key), "HmacSHA256"));
                    sha256Key = key;
                }
                return sha256;
            }
            if (sha1 == null) {
                sha1 = Mac.getInstance("HmacSHA1");
            }
            if (key != sha1Key) {
                sha1.init(new SecretKeySpec(nonEmpty(key), "HmacSHA1"));
                sha1Key = key;
            }
            return sha1;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC unavailable", e);
        }
    }

    // SecretKeySpec refuses an empty key; HMAC defines an empty key as equal to a block of zero bytes.
    private static byte[] nonEmpty(byte[] key) {
        return key.length == 0 ? new byte[1] : key;
    }

    private static void update(Mac mac, ByteBuffer buffer, int offset, int length) {
        if (buffer.hasArray()) {
            mac.update(buffer.array(), buffer.arrayOffset() + offset, length);
        } else {
            mac.update(buffer.slice(offset, length));
        }
    }
}
