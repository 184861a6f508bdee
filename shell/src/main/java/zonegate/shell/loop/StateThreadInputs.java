package zonegate.shell.loop;

import java.util.List;
import zonegate.shell.io.EpollSet;
import zonegate.shell.io.NativeIoException;
import zonegate.packet.BufferPool;

/**
 * The TUN queues and UDP sockets as the state thread reads them itself ({@link EventLoopConfig#withStateThreadIo()}):
 * their epoll set (which is also where the state thread sleeps), their readers (whose threads never start:
 * the state thread calls {@link SourceReader#readNow} instead) and one batch that every read fills and the
 * duty cycle empties before the next read.
 *
 * <p>The batch's buffers stay in it from read to read (the driver copies what it needs and the buffer
 * is cleared for the next packet); only a buffer the driver keeps is replaced from the pool, so a
 * driver that keeps none costs the pool nothing per packet, and a socket's receiver re-points no iovec.
 * With the pool empty a read takes fewer slots, or none ({@link LoopCounters#poolStalls()}), and the
 * fd stays ready for a later cycle. A TUN queue whose last super-packet left segments that did not fit in
 * the batch ({@link SourceReader#hasPending()}) counts as ready until they are delivered, though its fd may
 * have nothing more. State thread only, but {@link #epoll()}'s wake-up.
 */
final class StateThreadInputs {
    private final EpollSet epoll;
    private final SourceReader[] sources;
    private final int[] readyList;
    private final boolean[] listed;
    private final int[] pending;
    private final boolean[] isPending;
    private int pendingCount;
    private final BufferPool pool;
    final PacketBatch batch;
    private int carried;
    private boolean released;

    /** @param sources every TUN queue's and socket's reader; a source's epoll token is its position here */
    StateThreadInputs(EpollSet epoll, List<SourceReader> sources, BufferPool pool, EventLoopConfig config)
            throws NativeIoException {
        this.epoll = epoll;
        this.pool = pool;
        this.sources = sources.toArray(SourceReader[]::new);
        this.readyList = new int[this.sources.length];
        this.listed = new boolean[this.sources.length];
        this.pending = new int[this.sources.length];
        this.isPending = new boolean[this.sources.length];
        for (int i = 0; i < this.sources.length; i++) {
            epoll.add(this.sources[i].fd(), i);
        }
        this.batch = new PacketBatch(config.readBatchSize());
    }

    EpollSet epoll() {
        return epoll;
    }

    /**
     * The sources ready now: those the last {@link #sleep} found, else a poll of the set, then those with
     * segments pending that the set did not report. Costs in proportion to the ready ones, not to how many
     * sources there are.
     *
     * @return how many; their positions at {@link #readySource}
     */
    int ready() throws NativeIoException {
        int fromEpoll = carried;
        carried = 0;
        if (fromEpoll == 0) {
            fromEpoll = epoll.await(0);
        }
        for (int k = 0; k < fromEpoll; k++) {
            int source = epoll.readyToken(k);
            readyList[k] = source;
            listed[source] = true;
        }
        int n = fromEpoll;
        for (int k = 0; k < pendingCount; ) {
            int source = pending[k];
            if (!sources[source].hasPending()) {
                isPending[source] = false;
                pending[k] = pending[--pendingCount];
                continue;
            }
            if (!listed[source]) {
                readyList[n++] = source;
            }
            k++;
        }
        for (int k = 0; k < fromEpoll; k++) {
            listed[readyList[k]] = false;
        }
        return n;
    }

    /** The position of the {@code k}th ready source. */
    int readySource(int k) {
        return readyList[k];
    }

    SourceReader source(int position) {
        return sources[position];
    }

    /** Whether a source may hold input that no epoll wait would report (segments pending). */
    boolean hasPending() {
        return pendingCount > 0;
    }

    /** Sleeps until an fd is readable, a wake-up, or {@code timeoutNs}; what it finds is the next {@link #ready()}. */
    void sleep(long timeoutNs) throws NativeIoException {
        carried = epoll.await(timeoutNs);
    }

    /** Sleeps until a wake-up or {@code timeoutNs}, whatever the fds do (outbound has no room for their output). */
    void sleepUntilWoken(long timeoutNs) throws NativeIoException {
        carried = 0;
        epoll.awaitWakeUp(timeoutNs);
    }

    /** Slots a read may fill ({@link #receive}'s limit): the batch's capacity unless the pool ran short. */
    int slots() {
        return batch.topUp(pool);
    }

    /**
     * Reads the source at {@code position} into the batch's first {@code slots} slots.
     *
     * @return packets or datagrams read, or 0 when none was waiting or the read failed (counted)
     */
    int receive(int position, int slots) {
        SourceReader source = sources[position];
        int n = source.readNow(batch, slots);
        if (!isPending[position] && source.hasPending()) {
            isPending[position] = true;
            pending[pendingCount++] = position;
        }
        batch.count = n;
        return n;
    }

    /** After the driver saw slot {@code i}: {@code kept} gives the buffer up, else it is cleared for the next read. */
    void done(int i, boolean kept) {
        if (kept) {
            batch.take(i);
        } else {
            batch.bytes[i].clear();
            batch.peers[i] = null;
        }
    }

    /** Once the state thread stopped: gives every buffer back to the pool. Idempotent. */
    void release() {
        if (!released) {
            released = true;
            batch.releaseAll();
        }
    }
}
