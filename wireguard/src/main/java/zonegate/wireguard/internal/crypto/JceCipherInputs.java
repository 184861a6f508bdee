package zonegate.wireguard.internal.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/**
 * Key and nonce for {@code Cipher.init} of one {@code ChaCha20-Poly1305} cipher without allocating:
 * {@code SecretKeySpec} and {@code IvParameterSpec} copy their arrays on construction and on every
 * read, which cost 64-88 bytes per packet. Here the key and the nonce are written into reused arrays,
 * and {@link #getEncoded()} / {@link Nonce#getIV()} hand out those arrays themselves.
 *
 * <p>Why two arrays of each, used in turn: the JDK's cipher keeps the arrays of the last
 * {@code init}, compares the next key and nonce with them (refusing an encryption that repeats both),
 * and zeroes the previous key array when re-initialised. So the array being filled for this
 * {@code init} must never be the one the cipher still holds. The known-answer and round-trip tests
 * catch a JDK that behaves otherwise. The key array of the last turn lives as long as the cipher's
 * own copy did before. One instance per cipher, one thread.
 */
final class JceCipherInputs implements SecretKey {
    private static final long serialVersionUID = 1L;

    private final transient byte[][] keys = {new byte[32], new byte[32]};
    private final transient Nonce[] nonces = {new Nonce(), new Nonce()};
    private transient int turn;

    /** Initialises {@code cipher} with {@code key} and the nonce {@code 0x00000000 || counter (LE64)}. */
    void init(Cipher cipher, int mode, ErasableKey key, long counter) throws GeneralSecurityException {
        turn ^= 1;
        key.copyTo(keys[turn]);
        byte[] nonce = nonces[turn].bytes;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (counter >>> (8 * i));
        }
        cipher.init(mode, this, nonces[turn]);
    }

    @Override
    public String getAlgorithm() {
        return "ChaCha20";
    }

    @Override
    public String getFormat() {
        return "RAW";
    }

    /** The key of the current turn, not a copy (see the class comment). */
    @Override
    public byte[] getEncoded() {
        return keys[turn];
    }

    @Override
    public String toString() {
        return "JceCipherInputs[redacted]";
    }

    /** A 12-byte nonce whose {@link #getIV()} returns its own array instead of a copy. */
    private static final class Nonce extends IvParameterSpec {
        private final byte[] bytes = new byte[12];

        Nonce() {
            super(new byte[12]);
        }

        @Override
        public byte[] getIV() {
            return bytes;
        }
    }
}
