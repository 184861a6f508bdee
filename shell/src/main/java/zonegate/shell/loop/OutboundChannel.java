package zonegate.shell.loop;

import java.net.InetSocketAddress;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.SpscAtomicArrayQueue;
import zonegate.shell.io.EpollPoller;
import zonegate.shell.io.NativeIoException;
import zonegate.packet.PooledBuffer;

/**
 * The outbound path of one TUN queue or UDP socket: the state thread fills batches
 * ({@link #offer}, {@link #flush}); a writer virtual thread ({@link #run}) sends them in order, gives the
 * buffers back to their pool and the empty batch back to the state thread.
 *
 * <p>Bounded by its fixed set of batches. The state thread asks {@link #hasRoom} before taking input,
 * so a slow writer stops the reading that would feed it (back-pressure); an output that still finds
 * no batch is dropped and counted. On EAGAIN the writer waits on the epoll poller.
 *
 * <p>A direct channel ({@link #sendDirectly}, the state thread doing its own I/O) sends on the state
 * thread at {@link #flush}, without a writer wake-up, while its writer holds no batch; what the fd refuses
 * (EAGAIN) goes to the writer, and later output queues behind it until the writer has given every batch
 * back, so the order is kept. The writer's sends happen before it hands a batch back through
 * {@code free}, so the two threads never send on the fd at once.
 */
abstract sealed class OutboundChannel implements Runnable permits DeviceWriter, SocketWriter {
    final LoopCounters counters;
    private final SpscAtomicArrayQueue<PacketBatch> pending;
    private final SpscAtomicArrayQueue<PacketBatch> free;
    private final EpollPoller.Registration registration;
    private final WakeSignal stateSignal;
    private final WakeSignal writerSignal = new WakeSignal();
    private final int batches;
    private PacketBatch filling;
    private boolean direct;
    private long directSends;
    private long handOffs;
    /** State thread: whether the duty cycle lists this channel as touched this cycle (see DutyCycle). */
    boolean touched;
    /** State thread: whether the duty cycle lists this channel as having batches at its writer. */
    boolean busy;
    private volatile boolean stopRequested;
    private volatile long stopDeadlineNs;

    OutboundChannel(EpollPoller.Registration registration, EventLoopConfig config, WakeSignal stateSignal,
                    LoopCounters counters) {
        this.registration = registration;
        this.stateSignal = stateSignal;
        this.counters = counters;
        batches = config.writeBatchesPerChannel();
        pending = new SpscAtomicArrayQueue<>(batches);
        free = new SpscAtomicArrayQueue<>(batches);
        for (int i = 0; i < batches; i++) {
            free.offer(new PacketBatch(config.writeBatchSize()));
        }
    }

    /**
     * Sends {@code batch.bytes[from, batch.count)} until done or the fd is full.
     *
     * @return packets dealt with (sent, or refused and counted); fewer than asked means EAGAIN
     */
    abstract int write(PacketBatch batch, int from);

    /** State thread: queues an owned buffer; drops (releases, counts) it when no batch is free. */
    final boolean offer(PooledBuffer buffer, InetSocketAddress peer) {
        if (filling == null) {
            filling = free.poll();
            if (filling == null) {
                buffer.pool().release(buffer);
                counters.outboundDrops.increment();
                return false;
            }
        }
        filling.add(buffer, peer);
        if (filling.isFull()) {
            flush();
        }
        return true;
    }

    /** Before start: the state thread sends itself at {@link #flush} while the writer is idle. */
    final void sendDirectly() {
        direct = true;
    }

    /**
     * State thread: sends the batch being filled (a direct channel whose writer is idle) or hands it, or
     * what the fd refused of it, to the writer.
     */
    final void flush() {
        PacketBatch batch = filling;
        if (batch == null || batch.count == 0) {
            return;
        }
        if (direct && free.size() == batches - 1) {
            int done = write(batch, 0);
            directSends++;
            if (done == batch.count) {
                batch.releaseAll();
                return;
            }
            batch.releaseSent(done);
            handOffs++;
        }
        pending.offer(batch);                                     // cannot fail: it holds every batch
        filling = null;
        writerSignal.wake();
    }

    /** State thread: whether the writer holds a batch (queued or being sent). */
    final boolean writerHolds() {
        return free.size() + (filling != null ? 1 : 0) < batches;
    }

    /** Flushes that a direct channel sent on the state thread. State thread. */
    final long directSends() {
        return directSends;
    }

    /** Direct flushes of which the fd refused part (EAGAIN), handed to the writer. State thread. */
    final long handOffs() {
        return handOffs;
    }

    /** State thread: whether at least {@code reserveBatches} batches are free for new output. */
    final boolean hasRoom(int reserveBatches) {
        return free.size() >= reserveBatches;
    }

    /** Any thread: batches being filled, queued or being sent (the rest are free for new output). */
    final int batchesInUse() {
        return batches - free.size();
    }

    /** Asks the writer to send what is queued until {@code deadlineNs}, then end. */
    final void requestStop(long deadlineNs) {
        stopDeadlineNs = deadlineNs;
        stopRequested = true;
        writerSignal.wake();
    }

    /** Wakes a writer waiting for writability, so it sees a passed stop deadline. */
    final void interruptWait() {
        registration.wakeWaiters();
    }

    @Override
    public final void run() {
        while (true) {
            PacketBatch batch = pending.poll();
            if (batch == null) {
                if (stopRequested) {
                    return;
                }
                writerSignal.prepare();
                if (pending.isEmpty() && !stopRequested) {
                    LockSupport.park(this);
                }
                writerSignal.cancel();
                continue;
            }
            send(batch);
            batch.releaseAll();
            free.offer(batch);
            stateSignal.wake();
        }
    }

    private void send(PacketBatch batch) {
        int done = batch.first;
        while (done < batch.count) {
            if (stopRequested && System.nanoTime() - stopDeadlineNs > 0) {
                break;
            }
            done += write(batch, done);
            if (done < batch.count && !awaitWritable()) {
                break;
            }
        }
        counters.discardedAtStop.add(batch.count - done);
    }

    private boolean awaitWritable() {
        try {
            return registration.awaitWritable();
        } catch (NativeIoException e) {
            return false;
        }
    }

    /** After the writer ended: releases every buffer still queued or being filled. */
    final void releaseAll() {
        if (filling != null) {
            counters.discardedAtStop.add(filling.releaseAll());
            filling = null;
        }
        for (PacketBatch batch = pending.poll(); batch != null; batch = pending.poll()) {
            counters.discardedAtStop.add(batch.releaseAll());
        }
    }
}
