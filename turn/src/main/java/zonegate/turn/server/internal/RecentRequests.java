package zonegate.turn.server.internal;

/**
 * The transaction IDs of the last {@link #CAPACITY} REFRESH, CREATE-PERMISSION and CHANNEL-BIND requests
 * an allocation carried out, so that the same request seen again, a retransmission or a replay within
 * the nonce lifetime, is answered again without being carried out twice (as RFC 8656 section 7.2 has a
 * server do for ALLOCATE retransmissions). Fixed size, allocates nothing.
 */
final class RecentRequests {
    /** Requests remembered per allocation; older ones are forgotten first. */
    static final int CAPACITY = 16;

    private final int[] highs = new int[CAPACITY];
    private final long[] lows = new long[CAPACITY];
    private int size;
    private int next;

    /** Whether the request with transaction ID ({@code high}, {@code low}) is remembered. */
    boolean contains(int high, long low) {
        for (int i = 0; i < size; i++) {
            if (highs[i] == high && lows[i] == low) {
                return true;
            }
        }
        return false;
    }

    /** Remembers a request carried out, forgetting the oldest when full. */
    void add(int high, long low) {
        highs[next] = high;
        lows[next] = low;
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
    }
}
