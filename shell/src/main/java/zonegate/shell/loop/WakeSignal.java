package zonegate.shell.loop;

import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Parks one consumer thread until a producer says there is work, without a lost wake-up: the consumer
 * announces itself ({@link #prepare}), re-checks for work, then parks; a producer publishes work, then
 * {@link #wake}s. Full fences on both sides order "publish, then look for a sleeper" against "announce,
 * then look for work" (the queues publish with release stores, which alone would allow both sides to
 * miss each other). A producer pays only a fence and a read when nobody sleeps.
 */
final class WakeSignal {
    private volatile Thread sleeper;

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
        if (thread != null) {
            LockSupport.unpark(thread);
        }
    }
}
