package zonegate.app.embed;

import zonegate.shell.loop.EventLoop;

/**
 * The duty cycle of a driven {@link EmbeddedGateway}, for the application thread that called
 * {@link EmbeddedGateway#startDriven()}: each {@link #invoke()} samples the clock once, runs the state
 * machine's due timers, applies a new policy if one was given, reads a bounded batch of datagrams and packets
 * from every ready socket and TUN queue and writes what it produced; {@link #idle} then sleeps in the
 * gateway's epoll set until new input, a new policy or the next deadline (at most 1 s).
 *
 * <pre>{@code
 * DutyCycle cycle = gateway.startDriven();
 * while (cycle.isRunning()) {
 *     int work = cycle.invoke();
 *     // ... the application's own work on this thread ...
 *     cycle.idle(work);
 * }
 * }</pre>
 *
 * <p>Only the driving thread may call {@link #invoke()} and {@link #idle}; {@link #isRunning()} may be read
 * anywhere. Once {@link EmbeddedGateway#close()} begins (on any thread), {@code invoke()} does nothing and
 * returns 0, {@code idle} returns at once and {@code isRunning()} is false. The gateway does no work between
 * invocations: a thread that stops invoking stops the gateway's forwarding and timers (keep cycles short and
 * regular; every packet waits for the next one).
 */
public final class DutyCycle {
    private final EmbeddedGateway gateway;
    private final EventLoop loop;
    private final Thread owner;

    DutyCycle(EmbeddedGateway gateway, EventLoop loop, Thread owner) {
        this.gateway = gateway;
        this.loop = loop;
        this.owner = owner;
    }

    /**
     * One duty cycle.
     *
     * @return the work done (inputs handled, timers run); 0 when there was nothing to do or the gateway closes
     * @throws IllegalStateException on a thread other than the driving one
     */
    public int invoke() {
        requireOwner();
        synchronized (gateway.cycleLock()) {
            return gateway.closing() ? 0 : loop.invoke();
        }
    }

    /**
     * The idle strategy after a cycle that did {@code work}: returns at once after work, else sleeps in the
     * gateway's epoll set until input arrives, a deadline is due, or at most 1 s passes.
     *
     * @throws IllegalStateException on a thread other than the driving one
     */
    public void idle(int work) {
        requireOwner();
        if (work > 0) {
            loop.idle(work);
            return;
        }
        synchronized (gateway.cycleLock()) {
            if (!gateway.closing()) {
                loop.idle(work);
            }
        }
    }

    /** False once the gateway's {@link EmbeddedGateway#close()} has begun. */
    public boolean isRunning() {
        return !gateway.closing();
    }

    private void requireOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a driven gateway's duty cycle belongs to the thread that called "
                    + "startDriven() (" + owner.getName() + "), not " + Thread.currentThread().getName());
        }
    }
}
