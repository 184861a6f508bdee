package zonegate.wireguard.internal.crypto;

/**
 * SipHash-2-4 (Aumasson and Bernstein) of a 16-byte message given as two little-endian words, under
 * a 128-bit key. A keyed pseudo-random function: without the key nobody can predict or steer where an
 * input lands, which is what a hash table fed by the network needs. Allocation-free.
 */
public final class SipHash {
    private SipHash() {}

    /** SipHash-2-4 with key {@code (k0, k1)} of the 16 bytes {@code m0 || m1} (each little-endian). */
    public static long hash(long k0, long k1, long m0, long m1) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        // Three compression steps (m0, m1, the length block), each of 2 rounds, then 4 finalisation rounds.
        for (int step = 0; step < 4; step++) {
            long m = step == 0 ? m0 : step == 1 ? m1 : 16L << 56;
            if (step < 3) {
                v3 ^= m;
            } else {
                v2 ^= 0xff;
            }
            for (int round = step < 3 ? 2 : 4; round > 0; round--) {
                v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
                v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
                v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
                v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
            }
            if (step < 3) {
                v0 ^= m;
            }
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
