package zonegate.shell.loop;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.jctools.queues.atomic.SpscAtomicArrayQueue;
import zonegate.shell.io.EpollPoller;
import zonegate.shell.io.NativeIoException;
import zonegate.packet.BufferPool;

/**
 * A virtual thread that reads one source (a TUN queue or a UDP socket) in batches and offers each
 * batch to the state thread through its bounded {@link #ready} queue.
 *
 * <p>Back-pressure instead of drops or growth: a reader owns a fixed set of batches that circulate
 * (reader fills, state thread empties and hands back through {@link #free}); with all of them waiting
 * in the ready queue, the reader parks until one comes back, and the kernel queues (socket buffer, TUN
 * txqueue) absorb or drop the excess, as they would for any slow receiver. With the pool empty it
 * retries every millisecond ({@link LoopCounters#poolStalls()}). On EAGAIN it waits on the epoll
 * poller, so no carrier is held.
 */
abstract sealed class SourceReader implements Runnable permits DeviceReader, SocketReader {
    /** Returned by {@link #read} when nothing is waiting. */
    static final int WOULD_BLOCK = -1;
    private static final long POOL_RETRY_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long ERROR_BACKOFF_NS = TimeUnit.MILLISECONDS.toNanos(10);

    final int index;
    final MpscAtomicArrayQueue<PacketBatch> ready;
    final SpscAtomicArrayQueue<PacketBatch> free;
    final LoopCounters counters;
    private final EpollPoller.Registration registration;
    private final BufferPool pool;
    private final WakeSignal stateSignal;
    private final WakeSignal freeSignal = new WakeSignal();
    private final ErrorLatch errors;
    private volatile boolean running = true;

    SourceReader(int index, EpollPoller.Registration registration, BufferPool pool, EventLoopConfig config,
                 WakeSignal stateSignal, LoopCounters counters, String name) {
        this.index = index;
        this.registration = registration;
        this.pool = pool;
        this.stateSignal = stateSignal;
        this.counters = counters;
        this.errors = new ErrorLatch(name);
        int batches = config.readBatchesPerSource();
        this.ready = new MpscAtomicArrayQueue<>(batches);
        this.free = new SpscAtomicArrayQueue<>(batches);
        for (int i = 0; i < batches; i++) {
            free.offer(new PacketBatch(config.readBatchSize()));
        }
    }

    /**
     * Reads up to {@code slots} packets into {@code batch.bytes[0, slots)} (positions at 0, limits set on
     * return; for UDP also {@code batch.peers}).
     *
     * @return packets read, at least 1, or {@link #WOULD_BLOCK}
     */
    abstract int read(PacketBatch batch, int slots) throws NativeIoException;

    /** The fd this reader reads (the state thread registers it with state-thread I/O). */
    abstract int fd();

    /** Whether input was read from the fd but not yet delivered (a super-packet's remaining segments). */
    boolean hasPending() {
        return false;
    }

    /**
     * State-thread I/O: one {@link #read} on the calling thread, for a reader whose thread never started.
     *
     * @return packets read, or 0 when none was waiting or the read failed (counted)
     */
    final int readNow(PacketBatch batch, int slots) {
        try {
            int n = read(batch, slots);
            if (n == WOULD_BLOCK) {
                return 0;
            }
            errors.onSuccess();
            return n;
        } catch (NativeIoException e) {
            counters.readErrors.increment();
            errors.onError(e.errnoName(), e.getMessage());
            return 0;
        }
    }

    /** Any thread: batches read and waiting for the state thread. */
    final int queuedBatches() {
        return ready.size();
    }

    /** The state thread gives a processed (empty) batch back. */
    final void giveBack(PacketBatch batch) {
        batch.count = 0;
        free.offer(batch);
        freeSignal.wake();
    }

    /** Stops reading: the thread leaves its loop at the next step, waking from any wait. */
    final void stop() {
        running = false;
        freeSignal.wake();
        registration.wakeWaiters();
    }

    @Override
    public final void run() {
        PacketBatch batch = null;
        try {
            while (running) {
                if (batch == null) {
                    batch = free.poll();
                    if (batch == null) {
                        freeSignal.prepare();
                        if (free.isEmpty() && running) {
                            LockSupport.park(this);
                        }
                        freeSignal.cancel();
                        continue;
                    }
                }
                int slots = batch.topUp(pool);
                if (slots == 0) {
                    counters.poolStalls.increment();
                    LockSupport.parkNanos(this, POOL_RETRY_NS);
                    continue;
                }
                int n;
                try {
                    n = read(batch, slots);
                    if (n == WOULD_BLOCK) {
                        if (!registration.awaitReadable()) {
                            break;
                        }
                        continue;
                    }
                } catch (NativeIoException e) {
                    if (!running) {
                        break;
                    }
                    counters.readErrors.increment();
                    errors.onError(e.errnoName(), e.getMessage());
                    LockSupport.parkNanos(this, ERROR_BACKOFF_NS);
                    continue;
                }
                errors.onSuccess();
                batch.count = n;
                // Cannot fail: the queue holds as many batches as this reader owns.
                ready.offer(batch);
                batch = null;
                stateSignal.wake();
            }
        } finally {
            if (batch != null) {
                batch.releaseAll();
            }
        }
    }

    /** After the thread ended: releases the buffers of every batch this reader still has. */
    final void releaseIdleBatches() {
        for (PacketBatch batch = free.poll(); batch != null; batch = free.poll()) {
            batch.releaseAll();
        }
        for (PacketBatch batch = ready.poll(); batch != null; batch = ready.poll()) {
            counters.discardedAtStop.add(batch.count);
            batch.releaseAll();
        }
    }
}
