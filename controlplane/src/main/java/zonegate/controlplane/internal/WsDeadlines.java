package zonegate.controlplane.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The two deadlines of one {@link WsConnection}, kept by a virtual thread of its own: the write in
 * progress (a blocking socket write has no timeout of its own) and the close handshake. When one passes,
 * {@code onExpiry} runs (it closes the socket) and the keeper ends; {@link #stop()} ends it too.
 */
final class WsDeadlines {
    private static final long NONE = Long.MAX_VALUE;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Runnable onExpiry;
    // Guarded by lock.
    private long writeDeadlineNs = NONE;
    private long closeDeadlineNs = NONE;
    private boolean stopped;

    WsDeadlines(Runnable onExpiry) {
        this.onExpiry = onExpiry;
    }

    void start(String threadName) {
        Thread.ofVirtual().name(threadName).start(this::keep);
    }

    /** A write started that must end by {@code deadlineNs}. */
    void writeStarted(long deadlineNs) {
        set(deadlineNs, true);
    }

    void writeEnded() {
        set(NONE, true);
    }

    /** The close handshake must end by {@code deadlineNs}; a later call does not move the first deadline. */
    void closeBy(long deadlineNs) {
        set(deadlineNs, false);
    }

    void stop() {
        lock.lock();
        try {
            stopped = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void set(long deadlineNs, boolean write) {
        lock.lock();
        try {
            if (write) {
                writeDeadlineNs = deadlineNs;
            } else if (closeDeadlineNs == NONE) {
                closeDeadlineNs = deadlineNs;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void keep() {
        boolean expired = false;
        lock.lock();
        try {
            while (!stopped) {
                long nextNs = Math.min(writeDeadlineNs, closeDeadlineNs);
                long leftNs = nextNs == NONE ? Long.MAX_VALUE : nextNs - System.nanoTime();
                if (leftNs <= 0) {
                    expired = true;
                    break;
                }
                changed.awaitNanos(leftNs);
            }
        } catch (InterruptedException e) {
            expired = true;
        } finally {
            lock.unlock();
        }
        if (expired) {
            onExpiry.run();
        }
    }
}
