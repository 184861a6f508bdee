package zonegate.shell.loop;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * What other threads hand the state thread: a bounded queue of commands, each of which must be handled
 * (a DNS question waits for its answer), and one slot for the latest desired state (a control plane's
 * full policy), which is never refused: a newer one replaces one the state thread has not taken yet,
 * because only the newest matters. The state thread checks the slot every cycle, before the queue.
 */
final class CommandInbox {
    private final MpscAtomicArrayQueue<Object> queue;
    private final AtomicReference<Object> latest = new AtomicReference<>();

    CommandInbox(int capacity) {
        this.queue = new MpscAtomicArrayQueue<>(capacity);
    }

    /** Any thread. False when the queue is full. */
    boolean offer(Object command) {
        return queue.offer(Objects.requireNonNull(command, "command"));
    }

    /** Any thread. Returns whether it replaced a state not taken yet. */
    boolean publishLatest(Object state) {
        return latest.getAndSet(Objects.requireNonNull(state, "state")) != null;
    }

    /** State thread: the latest state, once, or null. */
    Object takeLatest() {
        return latest.getAndSet(null);
    }

    /** Any thread: commands waiting (the latest-state slot not included). */
    int size() {
        return queue.size();
    }

    /** State thread: the next queued command, or null. */
    Object poll() {
        return queue.poll();
    }

    boolean isEmpty() {
        return latest.get() == null && queue.isEmpty();
    }
}
