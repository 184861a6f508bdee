package zonegate.wireguard.internal.noise;

import java.time.Instant;
import java.util.Arrays;

/**
 * TAI64N timestamps (12 bytes: big-endian {@code 2^62 + 10 + unixSeconds}, big-endian nanoseconds).
 * The nanoseconds are rounded down to 2^24 ns (~16.8 ms), as wireguard-go does, so the timestamp
 * does not leak fine-grained timing; the per-peer initiation rate limit (20 ms) is coarser.
 */
public final class Tai64n {
    private static final long TAI_BASE = 0x400000000000000aL;
    private static final int WHITEN_MASK = ~0xffffff;

    private Tai64n() {}

    /** Writes the timestamp for {@code now} to {@code out[off..off+12)}. */
    public static void write(Instant now, byte[] out, int off) {
        int nanos = now.getNano() & WHITEN_MASK;
        long tai = TAI_BASE + now.getEpochSecond();
        for (int i = 0; i < 8; i++) {
            out[off + i] = (byte) (tai >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[off + 8 + i] = (byte) (nanos >>> (24 - 8 * i));
        }
    }

    /** Whether {@code candidate} is strictly after {@code last} (unsigned big-endian comparison). */
    public static boolean isAfter(byte[] candidate, byte[] last) {
        return Arrays.compareUnsigned(candidate, 0, TIMESTAMP_BYTES, last, 0, TIMESTAMP_BYTES) > 0;
    }

    private static final int TIMESTAMP_BYTES = Messages.TIMESTAMP_BYTES;
}
