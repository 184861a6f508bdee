package zonegate.tunnel.internal.client;

/** Prefix masks: IPv4 as an unsigned value in a long, IPv6 as its two 64-bit halves. */
final class Masks {
    private Masks() {
    }

    static long v4(int prefixLengthBits) {
        return prefixLengthBits == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefixLengthBits)) & 0xFFFF_FFFFL;
    }

    static long high(int prefixLengthBits) {
        return prefixLengthBits <= 0 ? 0 : prefixLengthBits >= 64 ? -1L : -1L << (64 - prefixLengthBits);
    }

    static long low(int prefixLengthBits) {
        return prefixLengthBits <= 64 ? 0 : prefixLengthBits >= 128 ? -1L : -1L << (128 - prefixLengthBits);
    }

    /** A 64-bit finaliser (MurmurHash3 fmix64): keys that differ in few bits land far apart. */
    static long mix(long x) {
        x = (x ^ (x >>> 33)) * 0xff51afd7ed558ccdL;
        x = (x ^ (x >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return x ^ (x >>> 33);
    }

    /** The power-of-two slot count that keeps {@code entries} at a load factor of at most 1/2. */
    static int slotsFor(int entries) {
        return Integer.highestOneBit(Math.max(2, entries) * 2 - 1) << 1;
    }
}
