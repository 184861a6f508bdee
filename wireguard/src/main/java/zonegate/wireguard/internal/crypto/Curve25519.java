package zonegate.wireguard.internal.crypto;

import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;

/** X25519 for the handshake: ephemeral generation and {@code DH} that rejects all-zero results. */
public final class Curve25519 {
    /** Key length in bytes. */
    public static final int KEY_BYTES = 32;

    private Curve25519() {}

    /** Fills {@code privateOut} with a fresh clamped private key and {@code publicOut} with its public key. */
    public static void generate(SecureRandom random, byte[] privateOut, byte[] publicOut) {
        random.nextBytes(privateOut);
        privateOut[0] &= (byte) 248;
        privateOut[31] &= 127;
        privateOut[31] |= 64;
        X25519.scalarMultBase(privateOut, 0, publicOut, 0);
    }

    /** The public key of {@code privateKey} into {@code publicOut}. */
    public static void publicKey(byte[] privateKey, byte[] publicOut) {
        X25519.scalarMultBase(privateKey, 0, publicOut, 0);
    }

    /**
     * {@code DH(private, public)} into {@code out}.
     *
     * @return {@code false} if the result is all zeros (a low-order public key): the handshake must fail
     */
    public static boolean dh(byte[] privateKey, byte[] publicKey, int publicOff, byte[] out) {
        return X25519.calculateAgreement(privateKey, 0, publicKey, publicOff, out, 0);
    }
}
