package zonegate.wireguard.internal.crypto;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import javax.crypto.SecretKey;

/**
 * A 32-byte ChaCha20 key the JCE accepts and that can be erased. {@link javax.crypto.spec.SecretKeySpec}
 * cannot be wiped; this can. {@link #getEncoded()} returns a copy as the JCE contract requires (the
 * provider copies it again into the cipher; that copy lives until the next {@code init}).
 */
public final class ErasableKey implements SecretKey {
    private final byte[] bytes;
    private boolean destroyed;

    /** Copies 32 bytes from {@code src[off..]}. */
    public ErasableKey(byte[] src, int off) {
        this.bytes = Arrays.copyOfRange(src, off, off + 32);
    }

    @Override
    public String getAlgorithm() {
        return "ChaCha20";
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    @Override
    public byte[] getEncoded() {
        return bytes.clone();
    }

    /** Copies the 32 key bytes into {@code dst[0..32)} (for {@link JceCipherInputs}, which reuses arrays). */
    void copyTo(byte[] dst) {
        System.arraycopy(bytes, 0, dst, 0, 32);
    }

    /** Copies the 32 key bytes into native memory at {@code dst[0..32)} (for {@link NativeTransportAead}). */
    void copyTo(MemorySegment dst) {
        MemorySegment.copy(bytes, 0, dst, ValueLayout.JAVA_BYTE, 0, 32);
    }

    @Override
    public void destroy() {
        Arrays.fill(bytes, (byte) 0);
        destroyed = true;
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "ErasableKey[redacted]";
    }
}
