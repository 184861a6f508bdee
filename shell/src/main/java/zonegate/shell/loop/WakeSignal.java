package zonegate.shell.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import zonegate.shell.io.EpollSet;

/**
 * Parks one consumer thread until a producer says there is work, without a lost wake-up: the consumer
 * announces itself ({@link #prepare}), re-checks for work, then parks; a producer publishes work, then
 * {@link #wake}s. Full fences on both sides order "publish, then look for a sleeper" against "announce,
 * then look for work" (the queues publish with release stores, which alone would allow both sides to
 * miss each other). A producer pays only a fence and a read when nobody sleeps.
 *
 * <p>A consumer that sleeps in an {@link EpollSet}'s wait instead of parking (the state thread doing its
 * own I/O) gets a signal built on that set: {@link #wake} then writes its eventfd, once per sleep (the
 * first producer to see the sleeper takes it).
 */
final class WakeSignal {
    private static final VarHandle SLEEPER;

    static {
        try {
            SLEEPER = MethodHandles.lookup().findVarHandle(WakeSignal.class, "sleeper", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final EpollSet epoll;
    private volatile Thread sleeper;

    /** A signal that unparks the sleeper. */
    WakeSignal() {
        this(null);
    }

    /** A signal that wakes a sleeper waiting in {@code epoll}'s {@link EpollSet#await} (null: unpark). */
    WakeSignal(EpollSet epoll) {
        this.epoll = epoll;
    }

    /** Consumer: announce the intent to park; re-check for work after this. */
    void prepare() {
        sleeper = Thread.currentThread();
        VarHandle.fullFence();
    }

    /** Consumer: done sleeping (or decided not to). */
    void cancel() {
        sleeper = null;
    }

    /** Producer: work was published; unpark the consumer if it sleeps. */
    void wake() {
        VarHandle.fullFence();
        Thread thread = sleeper;
        if (thread == null) {
            return;
        }
        if (epoll == null) {
            LockSupport.unpark(thread);
        } else if (SLEEPER.compareAndSet(this, thread, null)) {
            epoll.wake();
        }
    }
}
