package zonegate.portal.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.tinylog.Logger;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalCodec;
import zonegate.portal.PortalOutput;
import zonegate.portal.PortalPolicy;
import zonegate.portal.PortalState;
import zonegate.portal.Role;
import zonegate.portal.SessionId;

/**
 * The one lock around {@link PortalState} and the thread that runs its timers. Every input samples the
 * clock inside the lock (so time never goes backwards), then routes the outputs to the peers' writers
 * and wakes the timer thread, whose deadline may have moved.
 */
public final class StateLoop implements AutoCloseable {
    private final PortalState state;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<SessionId, PeerWriter> writers = new ConcurrentHashMap<>();
    private final Thread timer;
    private volatile boolean running = true;

    public StateLoop(PortalState state) {
        this.state = state;
        this.timer = Thread.ofPlatform().daemon().name("portal-timer").start(this::runTimers);
    }

    /** Registers the session's writer and connects it. */
    public void connect(SessionId id, PeerWriter writer, Role role, String identity, String publicKey,
            List<String> relayAddresses) {
        writers.put(id, writer);
        input(now -> state.connect(id, role, identity, publicKey, relayAddresses, now));
    }

    public void onFrame(SessionId id, Frame frame) {
        input(now -> state.onFrame(id, frame, now));
    }

    public void onWritten(SessionId id) {
        lock.lock();
        try {
            state.onWritten(id);
        } finally {
            lock.unlock();
        }
    }

    public void disconnect(SessionId id) {
        input(now -> state.disconnect(id, now));
        PeerWriter writer = writers.remove(id);
        if (writer != null) {
            writer.stop();
        }
    }

    public void reload(PortalPolicy policy) {
        input(now -> state.reload(policy, now));
    }

    /** The policy in force (for authenticating upgrades). */
    public PortalPolicy policy() {
        lock.lock();
        try {
            return state.policy();
        } finally {
            lock.unlock();
        }
    }

    private void input(Consumer<Long> action) {
        lock.lock();
        try {
            action.accept(System.nanoTime());
            route();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void route() {
        for (PortalOutput output; (output = state.pollOutput()) != null; ) {
            PeerWriter writer = writers.get(output.session());
            switch (output) {
                case PortalOutput.Send send -> {
                    if (writer != null) {
                        writer.enqueue(PortalCodec.encode(send.frame()));
                    }
                }
                case PortalOutput.Close close -> {
                    writers.remove(close.session());
                    if (writer != null) {
                        writer.enqueueClose(close.code(), close.reason());
                    }
                }
            }
        }
    }

    private void runTimers() {
        while (running) {
            lock.lock();
            try {
                long now = System.nanoTime();
                long deadline = state.pollTimeout();
                if (now >= deadline) {
                    state.handleTimeout(now);
                    route();
                    continue;
                }
                changed.awaitNanos(Math.min(deadline - now, TimeUnit.SECONDS.toNanos(1)));
            } catch (InterruptedException stop) {
                return;
            } catch (RuntimeException bug) {
                Logger.error(bug, "portal: timer failed");
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        running = false;
        timer.interrupt();
    }
}
