package zonegate.wireguard.internal.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * ChaCha20-Poly1305 and XChaCha20-Poly1305 over byte arrays for handshake and cookie messages
 * ({@code AEAD} and {@code XAEAD} of the WireGuard paper). Handshake messages are rare, so this
 * favours clarity over zero allocation. Failures are values: {@link #open} returns {@code false}.
 * One instance serves one thread.
 */
public final class HandshakeAead {
    /** Length of the Poly1305 tag. */
    public static final int TAG_BYTES = 16;

    private Cipher cipher = newCipher();
    private final byte[] nonce = new byte[12];
    private final byte[] subKey = new byte[32];

    /**
     * {@code AEAD(key, counter, plaintext, aad)} with the WireGuard nonce (4 zero bytes, 64-bit
     * little-endian counter), writing {@code len + 16} bytes to {@code out[outOff..]}.
     */
    public void seal(byte[] key, long counter, byte[] in, int inOff, int len, byte[] aad, byte[] out, int outOff) {
        counterNonce(counter);
        run(Cipher.ENCRYPT_MODE, key, in, inOff, len, aad, out, outOff);
    }

    /** Opens what {@link #seal} made; {@code len} includes the tag. Returns {@code false} on a bad tag. */
    public boolean open(byte[] key, long counter, byte[] in, int inOff, int len, byte[] aad, byte[] out, int outOff) {
        if (len < TAG_BYTES) {
            return false;
        }
        counterNonce(counter);
        return run(Cipher.DECRYPT_MODE, key, in, inOff, len, aad, out, outOff);
    }

    /** {@code XAEAD(key, nonce24, plaintext, aad)}: HChaCha20 sub-key, then ChaCha20-Poly1305. */
    public void xseal(byte[] key, byte[] nonce24, int nonceOff, byte[] in, int inOff, int len, byte[] aad,
            byte[] out, int outOff) {
        xnonce(key, nonce24, nonceOff);
        run(Cipher.ENCRYPT_MODE, subKey, in, inOff, len, aad, out, outOff);
        Arrays.fill(subKey, (byte) 0);
    }

    /** Opens what {@link #xseal} made; returns {@code false} on a bad tag. */
    public boolean xopen(byte[] key, byte[] nonce24, int nonceOff, byte[] in, int inOff, int len, byte[] aad,
            byte[] out, int outOff) {
        if (len < TAG_BYTES) {
            return false;
        }
        xnonce(key, nonce24, nonceOff);
        boolean ok = run(Cipher.DECRYPT_MODE, subKey, in, inOff, len, aad, out, outOff);
        Arrays.fill(subKey, (byte) 0);
        return ok;
    }

    private void counterNonce(long counter) {
        Arrays.fill(nonce, 0, 4, (byte) 0);
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
    }

    private void xnonce(byte[] key, byte[] nonce24, int nonceOff) {
        HChaCha20.subKey(key, nonce24, nonceOff, subKey);
        Arrays.fill(nonce, 0, 4, (byte) 0);
        System.arraycopy(nonce24, nonceOff + 16, nonce, 4, 8);
    }

    private boolean run(int mode, byte[] key, byte[] in, int inOff, int len, byte[] aad, byte[] out, int outOff) {
        ErasableKey k = new ErasableKey(key, 0);
        try {
            for (int attempt = 0; ; attempt++) {
                try {
                    cipher.init(mode, k, new IvParameterSpec(nonce));
                    if (aad != null) {
                        cipher.updateAAD(aad);
                    }
                    cipher.doFinal(in, inOff, len, out, outOff);
                    return true;
                } catch (javax.crypto.AEADBadTagException e) {
                    return false;
                } catch (GeneralSecurityException e) {
                    // The JDK refuses to encrypt twice in a row under one key and nonce; only a test
                    // with fixed ephemerals can do that, and a fresh cipher instance accepts it.
                    cipher = newCipher();
                    if (attempt > 0 || mode == Cipher.DECRYPT_MODE) {
                        return false;
                    }
                }
            }
        } finally {
            k.destroy();
        }
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks ChaCha20-Poly1305", e);
        }
    }
}
