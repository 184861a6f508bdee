package zonegate.wireguard.internal.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import org.tinylog.Logger;

/**
 * {@link TransportAead} on the JDK's {@code ChaCha20-Poly1305} (AVX2 intrinsics on JDK 25). Reuses
 * one cipher for sealing and one for opening. What still allocates per packet, inside the JCE and
 * out of our reach: the {@link IvParameterSpec} (the JCE takes no mutable nonce) and the copy of the
 * key {@link ErasableKey#getEncoded()} must hand out; escape analysis removes some of it when inlined.
 */
public final class JceTransportAead implements TransportAead {
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(16).asReadOnlyBuffer();

    private final Cipher sealer = newCipher();
    private final Cipher opener = newCipher();
    private final byte[] nonce = new byte[12];
    private final ByteBuffer zeros = ZEROS.duplicate();

    @Override
    public int seal(ErasableKey key, long counter, ByteBuffer src, int padBytes, ByteBuffer dst) {
        int start = dst.position();
        try {
            sealer.init(Cipher.ENCRYPT_MODE, key, nonce(counter));
            sealer.update(src, dst);
            if (padBytes > 0) {
                zeros.limit(padBytes).position(0);
                sealer.update(zeros, dst);
            }
            sealer.doFinal(zeros.limit(0).position(0), dst);
            return dst.position() - start;
        } catch (GeneralSecurityException e) {
            // Only a repeated (key, counter) pair gets here, which the session's counter rules out.
            throw new IllegalStateException("ChaCha20-Poly1305 seal failed", e);
        }
    }

    @Override
    public int open(ErasableKey key, long counter, ByteBuffer src, ByteBuffer dst) {
        if (src.remaining() < TAG_BYTES || dst.remaining() < src.remaining() - TAG_BYTES) {
            return -1;
        }
        int start = dst.position();
        try {
            opener.init(Cipher.DECRYPT_MODE, key, nonce(counter));
            opener.doFinal(src, dst);
            return dst.position() - start;
        } catch (GeneralSecurityException | RuntimeException e) {
            Logger.trace("transport packet failed authentication: {}", e.getClass().getSimpleName());
            dst.position(start);
            return -1;
        }
    }

    private IvParameterSpec nonce(long counter) {
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        return new IvParameterSpec(nonce);
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks ChaCha20-Poly1305", e);
        }
    }
}
