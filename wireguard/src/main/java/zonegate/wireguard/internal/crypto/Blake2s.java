package zonegate.wireguard.internal.crypto;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2sDigest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The three BLAKE2s functions of WireGuard: {@code HASH} (BLAKE2s-256), {@code MAC} (keyed
 * BLAKE2s-128) and {@code HMAC} (HMAC-BLAKE2s-256, used by the HKDF-style {@code KDF}).
 * Holds reusable digest state, so one instance serves one thread. Used on the handshake path only.
 */
public final class Blake2s {
    /** Length of {@code HASH} output and of chaining keys. */
    public static final int HASH_BYTES = 32;
    /** Length of {@code MAC} output (mac1, mac2, cookies). */
    public static final int MAC_BYTES = 16;

    private final Blake2sDigest hash = new Blake2sDigest(256);
    private final HMac hmac = new HMac(new Blake2sDigest(256));
    private final byte[] t0 = new byte[HASH_BYTES];
    private final byte[] previous = new byte[HASH_BYTES];

    /** {@code HASH(a || b)} into {@code out[0..32)}. */
    public void hash(byte[] a, byte[] b, byte[] out) {
        hash.update(a, 0, a.length);
        hash.update(b, 0, b.length);
        hash.doFinal(out, 0);
    }

    /** {@code HASH(a || b[off..off+len))} into {@code out[0..32)}. */
    public void hash(byte[] a, byte[] b, int off, int len, byte[] out) {
        hash.update(a, 0, a.length);
        hash.update(b, off, len);
        hash.doFinal(out, 0);
    }

    /** {@code MAC(key, data[off..off+len))}: keyed BLAKE2s with a 16-byte digest, into {@code out[outOff..]}. */
    public static void mac(byte[] key, byte[] data, int off, int len, byte[] out, int outOff) {
        Blake2sDigest keyed = new Blake2sDigest(key, MAC_BYTES, null, null);
        keyed.update(data, off, len);
        keyed.doFinal(out, outOff);
    }

    /**
     * {@code MAC(key, ...)} under one key fixed at construction, reusable without allocation (the
     * digest re-keys itself after every output). One instance serves one thread.
     */
    public static final class FixedKeyMac {
        private final Blake2sDigest keyed;

        public FixedKeyMac(byte[] key) {
            this.keyed = new Blake2sDigest(key, MAC_BYTES, null, null);
        }

        /** {@code MAC(key, data[off..off+len))} into {@code out[outOff..outOff+16)}. */
        public void mac(byte[] data, int off, int len, byte[] out, int outOff) {
            keyed.update(data, off, len);
            keyed.doFinal(out, outOff);
        }
    }

    /**
     * {@code KDF_n(key, input)} as in the WireGuard paper: {@code T0 = HMAC(key, input)},
     * {@code T1 = HMAC(T0, 0x1)}, {@code Ti = HMAC(T0, T(i-1) || i)}. Writes {@code outs.length}
     * 32-byte outputs; an output array may be {@code key} itself.
     */
    public void kdf(byte[] key, byte[] input, int inOff, int inLen, byte[]... outs) {
        hmac.init(new KeyParameter(key));
        hmac.update(input, inOff, inLen);
        hmac.doFinal(t0, 0);
        hmac.init(new KeyParameter(t0));
        for (int i = 0; i < outs.length; i++) {
            if (i > 0) {
                hmac.update(previous, 0, HASH_BYTES);
            }
            hmac.update((byte) (i + 1));
            hmac.doFinal(previous, 0);
            System.arraycopy(previous, 0, outs[i], 0, HASH_BYTES);
            hmac.init(new KeyParameter(t0));
        }
        Arrays.fill(t0, (byte) 0);
        Arrays.fill(previous, (byte) 0);
    }

    /** {@code KDF_n(key, input)} over the whole of {@code input}. */
    public void kdf(byte[] key, byte[] input, byte[]... outs) {
        kdf(key, input, 0, input.length, outs);
    }
}
