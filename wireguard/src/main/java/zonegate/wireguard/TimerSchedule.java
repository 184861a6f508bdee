package zonegate.wireguard;

import java.util.Arrays;

/**
 * The device's timer index: a binary min-heap of its tunnels keyed by deadline, each tunnel holding
 * its position ({@link Tunnel#heapIndex}) so a key changes in O(log peers), and the earliest deadline
 * is read in O(1) instead of scanning every peer.
 *
 * <p>A stored key is a lower bound of the tunnel's exact {@link Tunnel#nextTimerDeadlineNs()}: a
 * call that moves a deadline earlier lowers the key at once ({@link #lower}); one that moves it later
 * (most packets: a received packet clears the "no reply" timer) leaves the stale, earlier key, which
 * is corrected when it reaches the top ({@link #earliestNs}). So the top is always exact, a packet
 * usually costs one comparison, and no deadline is ever reported late. Equal deadlines are ordered by
 * when they were stored, so due tunnels are served round-robin.
 */
final class TimerSchedule {
    /** {@link Tunnel#heapIndex} of a tunnel that is not in the heap. */
    static final int ABSENT = -1;
    /** {@link Tunnel#heapIndex} of a due tunnel set aside for the rest of one {@code handleTimeout} call. */
    static final int PARKED = -2;

    private Tunnel[] tunnels = new Tunnel[16];
    private long[] deadlines = new long[16];
    private long[] sequences = new long[16];
    private int size;
    private long nextSequence;
    private Tunnel[] parked = new Tunnel[4];
    private int parkedCount;

    /** Adds a tunnel that is in no heap, at its exact deadline. */
    void add(Tunnel t) {
        if (size == tunnels.length) {
            int capacity = size * 2;
            tunnels = Arrays.copyOf(tunnels, capacity);
            deadlines = Arrays.copyOf(deadlines, capacity);
            sequences = Arrays.copyOf(sequences, capacity);
        }
        int i = size++;
        place(t, t.nextTimerDeadlineNs(), nextSequence++, i);
        siftUp(i);
    }

    /** Removes a tunnel (present, parked or absent). */
    void remove(Tunnel t) {
        int i = t.heapIndex;
        if (i == PARKED) {
            for (int p = 0; p < parkedCount; p++) {
                if (parked[p] == t) {
                    parked[p] = parked[--parkedCount];
                    parked[parkedCount] = null;
                    break;
                }
            }
        } else if (i >= 0) {
            int last = --size;
            if (i != last) {
                place(tunnels[last], deadlines[last], sequences[last], i);
                siftDown(i);
                siftUp(i);
            }
            tunnels[last] = null;
        }
        t.heapIndex = ABSENT;
    }

    /** Notes that {@code t}'s deadline may now be {@code deadlineNs}; lowers its key if that is earlier. */
    void lower(Tunnel t, long deadlineNs) {
        int i = t.heapIndex;
        if (i >= 0 && deadlineNs < deadlines[i]) {
            deadlines[i] = deadlineNs;
            sequences[i] = nextSequence++;
            siftUp(i);
        }
    }

    /** The exact earliest deadline over the tunnels in the heap, or {@link Long#MAX_VALUE}. */
    long earliestNs() {
        while (size > 0) {
            Tunnel top = tunnels[0];
            long exact = top.nextTimerDeadlineNs();
            if (exact == deadlines[0]) {
                return exact;
            }
            deadlines[0] = exact;
            sequences[0] = nextSequence++;
            siftDown(0);
        }
        return Long.MAX_VALUE;
    }

    /** The tunnel with the earliest deadline if that is at or before {@code nowNs}, else null. */
    Tunnel firstDue(long nowNs) {
        return earliestNs() <= nowNs ? tunnels[0] : null;
    }

    /** Takes a visited tunnel that is still due out of the heap until {@link #unparkAll}. */
    void park(Tunnel t) {
        remove(t);
        if (parkedCount == parked.length) {
            parked = Arrays.copyOf(parked, parkedCount * 2);
        }
        parked[parkedCount++] = t;
        t.heapIndex = PARKED;
    }

    /** Puts the parked tunnels back. */
    void unparkAll() {
        while (parkedCount > 0) {
            Tunnel t = parked[--parkedCount];
            parked[parkedCount] = null;
            t.heapIndex = ABSENT;
            add(t);
        }
    }

    int size() {
        return size;
    }

    private boolean before(int i, int j) {
        return deadlines[i] < deadlines[j] || (deadlines[i] == deadlines[j] && sequences[i] < sequences[j]);
    }

    private void place(Tunnel t, long deadlineNs, long sequence, int i) {
        tunnels[i] = t;
        deadlines[i] = deadlineNs;
        sequences[i] = sequence;
        t.heapIndex = i;
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int child = left + 1 < size && before(left + 1, left) ? left + 1 : left;
            if (!before(child, i)) {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void swap(int i, int j) {
        Tunnel ti = tunnels[i];
        long di = deadlines[i];
        long si = sequences[i];
        place(tunnels[j], deadlines[j], sequences[j], i);
        place(ti, di, si, j);
    }
}
