package zonegate.wireguard.internal.session;

import java.util.Arrays;

/**
 * Sliding anti-replay window over 64-bit message counters, after RFC 6479: a ring of 64-bit blocks
 * where advancing clears whole blocks instead of shifting bits. With 256 blocks the window is
 * {@value #WINDOW_SIZE} counters (the issue asks for at least 8192): a counter is accepted if it was
 * not seen before and {@code greatest - counter < WINDOW_SIZE}. Counters compare unsigned.
 * Callers {@link #canAccept} before authenticating and {@link #accept} only after, so a forged
 * packet never moves the window.
 */
public final class ReplayWindow {
    private static final int BLOCKS = 256;
    private static final int BLOCK_MASK = BLOCKS - 1;
    /** Number of counters below the greatest seen that can still be accepted (inclusive of it). */
    public static final long WINDOW_SIZE = (BLOCKS - 1) * 64L;

    private final long[] bitmap = new long[BLOCKS];
    private long greatest;
    private boolean any;

    /** Whether {@code counter} is new and inside the window; does not record it. */
    public boolean canAccept(long counter) {
        if (!any || Long.compareUnsigned(counter, greatest) > 0) {
            return true;
        }
        if (Long.compareUnsigned(greatest - counter, WINDOW_SIZE) >= 0) {
            return false;
        }
        return (bitmap[block(counter)] & bit(counter)) == 0;
    }

    /** Records {@code counter}, which {@link #canAccept} allowed. */
    public void accept(long counter) {
        if (!any) {
            any = true;
            greatest = counter;
        } else if (Long.compareUnsigned(counter, greatest) > 0) {
            long current = greatest >>> 6;
            long diff = (counter >>> 6) - current;
            if (Long.compareUnsigned(diff, BLOCKS) >= 0) {
                Arrays.fill(bitmap, 0L);
            } else {
                for (long i = 1; i <= diff; i++) {
                    bitmap[(int) ((current + i) & BLOCK_MASK)] = 0L;
                }
            }
            greatest = counter;
        }
        bitmap[block(counter)] |= bit(counter);
    }

    /** The greatest counter accepted, or -1 (all ones) if none. */
    public long greatest() {
        return any ? greatest : -1L;
    }

    private static int block(long counter) {
        return (int) ((counter >>> 6) & BLOCK_MASK);
    }

    private static long bit(long counter) {
        return 1L << (counter & 63);
    }
}
