package zonegate.wireguard.internal;

import zonegate.wireguard.internal.crypto.SipHash;

/**
 * Token buckets per source in a fixed table: {@code maxSources} slots in sets of {@value #WAYS}, the
 * set chosen by SipHash under a secret key, so nobody outside can aim sources at the set of another.
 * Each slot holds one deadline (the generic cell rate algorithm): the instant its bucket is full again.
 * A message is admitted while that instant is at most {@code burst} intervals ahead and then moves it
 * one interval on; a refused message changes nothing.
 *
 * <p>Eviction takes only an empty or idle slot (bucket full again). A source that is being limited
 * keeps its slot however many new sources arrive; if its set holds no idle slot, the newcomer is
 * refused ({@link Verdict#TABLE_FULL}). Keeping a slot busy takes one admitted message per interval,
 * so holding a whole set costs {@value #WAYS} times the per-source rate in admitted handshakes.
 * No allocation, O(WAYS) per call, time from {@code nowNs} only.
 */
public final class SourceRateLimiter {
    /** Slots per set. */
    public static final int WAYS = 8;

    /** What {@link #admit} decided. */
    public enum Verdict { ADMITTED, LIMITED, TABLE_FULL }

    private final long k0;
    private final long k1;
    private final long intervalNs;
    private final long burstNs;
    private final int setMask;
    private final byte[] family;
    private final long[] prefix;
    private final long[] fullAtNs;
    private int size;

    /**
     * @param maxSources a power of two, at least {@value #WAYS}
     * @param k0 first half of the secret hash key (from a secure random source)
     * @param k1 second half of the secret hash key
     */
    public SourceRateLimiter(int maxSources, int perSecond, int burst, long k0, long k1) {
        if (maxSources < WAYS || Integer.bitCount(maxSources) != 1 || perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("bad limiter bounds");
        }
        this.k0 = k0;
        this.k1 = k1;
        this.intervalNs = 1_000_000_000L / perSecond;
        this.burstNs = intervalNs * burst;
        this.setMask = maxSources / WAYS - 1;
        this.family = new byte[maxSources];
        this.prefix = new long[maxSources];
        this.fullAtNs = new long[maxSources];
    }

    /**
     * Takes a token from the bucket of the source {@code (sourceFamily, sourcePrefix)}.
     *
     * @param sourceFamily 1 to 127 (the caller's tag for the address family; 0 is reserved for "empty")
     * @param sourcePrefix the address (IPv4) or the top 64 bits (IPv6)
     */
    public Verdict admit(int sourceFamily, long sourcePrefix, long nowNs) {
        int base = setOf(sourceFamily, sourcePrefix);
        int empty = -1;
        int idle = -1;
        for (int i = base; i < base + WAYS; i++) {
            if (family[i] == 0) {
                empty = empty < 0 ? i : empty;
            } else if (family[i] == sourceFamily && prefix[i] == sourcePrefix) {
                return take(i, nowNs);
            } else if (fullAtNs[i] - nowNs <= 0 && (idle < 0 || fullAtNs[i] - fullAtNs[idle] < 0)) {
                idle = i;
            }
        }
        int slot = empty >= 0 ? empty : idle;
        if (slot < 0) {
            return Verdict.TABLE_FULL;
        }
        if (slot == empty) {
            size++;
        }
        family[slot] = (byte) sourceFamily;
        prefix[slot] = sourcePrefix;
        fullAtNs[slot] = nowNs;
        return take(slot, nowNs);
    }

    /** Whether {@link #admit} would refuse this source at {@code nowNs} for its spent bucket; changes nothing. */
    public boolean spent(int sourceFamily, long sourcePrefix, long nowNs) {
        int base = setOf(sourceFamily, sourcePrefix);
        for (int i = base; i < base + WAYS; i++) {
            if (family[i] == sourceFamily && prefix[i] == sourcePrefix) {
                return fullAtNs[i] - nowNs + intervalNs > burstNs;
            }
        }
        return false;
    }

    /** Sources in the table (idle ones included until their slot is reused). */
    public int size() {
        return size;
    }

    private int setOf(int sourceFamily, long sourcePrefix) {
        return (int) (SipHash.hash(k0, k1, sourceFamily, sourcePrefix) & setMask) * WAYS;
    }

    private Verdict take(int slot, long nowNs) {
        long start = fullAtNs[slot] - nowNs > 0 ? fullAtNs[slot] : nowNs;
        long next = start + intervalNs;
        if (next - nowNs > burstNs) {
            return Verdict.LIMITED;
        }
        fullAtNs[slot] = next;
        return Verdict.ADMITTED;
    }
}
