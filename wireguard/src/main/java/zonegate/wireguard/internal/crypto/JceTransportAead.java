package zonegate.wireguard.internal.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import org.tinylog.Logger;

/**
 * {@link TransportAead} on the JDK's {@code ChaCha20-Poly1305} (AVX2 intrinsics on JDK 25). Reuses
 * one cipher for sealing and one for opening, and feeds them byte arrays: the JDK's
 * {@code ByteBuffer} paths copy every direct buffer into a fresh array (about 2 x the packet per
 * seal and open). With heap buffers we seal in place in the caller's array and open straight from
 * one array into the other; direct buffers go through one reused scratch array (a copy costs far
 * less than the cipher). Key and nonce reach {@code Cipher.init} without copies
 * ({@link JceCipherInputs}). What still allocates per packet is inside the JDK: each {@code init}
 * makes a new Poly1305 authenticator, its 1 KiB key-stream block and its key spec.
 */
public final class JceTransportAead implements TransportAead {
    /** Largest scratch array kept: a maximal UDP payload. */
    private static final int MAX_SCRATCH_BYTES = 65_536;

    private final Cipher sealer = newCipher();
    private final Cipher opener = newCipher();
    private final JceCipherInputs sealInputs = new JceCipherInputs();
    private final JceCipherInputs openInputs = new JceCipherInputs();
    private byte[] scratch = new byte[2048];

    @Override
    public int seal(ErasableKey key, long counter, ByteBuffer src, int padBytes, ByteBuffer dst) {
        int len = src.remaining();
        int plainBytes = len + padBytes;
        int start = dst.position();
        try {
            sealInputs.init(sealer, Cipher.ENCRYPT_MODE, key, counter);
            int n;
            if (dst.hasArray() && !dst.isReadOnly()) {
                byte[] out = dst.array();
                int off = dst.arrayOffset() + start;
                src.get(out, off, len);
                Arrays.fill(out, off + len, off + plainBytes, (byte) 0);
                n = sealer.doFinal(out, off, plainBytes, out, off);
                dst.position(start + n);
            } else {
                byte[] s = scratch(plainBytes + TAG_BYTES);
                src.get(s, 0, len);
                Arrays.fill(s, len, plainBytes, (byte) 0);
                n = sealer.doFinal(s, 0, plainBytes, s, 0);
                dst.put(s, 0, n);
            }
            return n;
        } catch (GeneralSecurityException e) {
            // Only a repeated (key, counter) pair gets here, which the session's counter rules out.
            throw new IllegalStateException("ChaCha20-Poly1305 seal failed", e);
        }
    }

    @Override
    public int open(ErasableKey key, long counter, ByteBuffer src, ByteBuffer dst) {
        int len = src.remaining();
        if (len < TAG_BYTES || dst.remaining() < len - TAG_BYTES) {
            return -1;
        }
        int start = dst.position();
        try {
            openInputs.init(opener, Cipher.DECRYPT_MODE, key, counter);
            int n;
            if (src.hasArray() && dst.hasArray() && !dst.isReadOnly() && !overlap(src, dst, len)) {
                // The JDK checks the tag before it writes any plaintext.
                n = opener.doFinal(src.array(), src.arrayOffset() + src.position(), len, dst.array(),
                        dst.arrayOffset() + start);
                src.position(src.limit());
                dst.position(start + n);
            } else {
                byte[] s = scratch(len);
                src.get(s, 0, len);
                n = opener.doFinal(s, 0, len, s, 0);
                dst.put(s, 0, n);
            }
            return n;
        } catch (GeneralSecurityException | RuntimeException e) {
            Logger.trace("transport packet failed authentication: {}", e.getClass().getSimpleName());
            dst.position(start);
            return -1;
        }
    }

    /** Whether the two buffers' bytes share an array region (then the output could overrun the input). */
    private static boolean overlap(ByteBuffer src, ByteBuffer dst, int len) {
        if (src.array() != dst.array()) {
            return false;
        }
        int s = src.arrayOffset() + src.position();
        int d = dst.arrayOffset() + dst.position();
        return d < s + len && s < d + len;
    }

    private byte[] scratch(int bytes) {
        if (scratch.length < bytes) {
            if (bytes > MAX_SCRATCH_BYTES) {
                return new byte[bytes];
            }
            scratch = new byte[Math.max(bytes, Math.min(MAX_SCRATCH_BYTES, 2 * scratch.length))];
        }
        return scratch;
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks ChaCha20-Poly1305", e);
        }
    }
}
