package zonegate.shell.loop;

import java.net.InetSocketAddress;
import zonegate.packet.PooledBuffer;

/**
 * The gateway logic as the event loop sees it: a sans-IO state machine fed with inputs and the current
 * time, which emits its outputs through the {@link Outbound} it gets in {@link #onStart}.
 *
 * <p>Threading: every method is called on the one state-machine thread (the loop's, or the embedder's
 * that calls {@link EventLoop#invoke()}), never concurrently, so an implementation needs no locks.
 * {@code nowNs} is {@link System#nanoTime()} sampled once per duty cycle; it never goes backwards.
 *
 * <p>Buffers: an input buffer holds the packet in [position, limit). Returning {@code true} from
 * {@link #onDatagram}/{@link #onDevicePacket} means the driver kept the buffer (it will hand it to
 * {@link Outbound} or give it back to its pool, exactly once); {@code false} lets the loop release it.
 * An exception thrown from a handler is counted ({@link LoopCounters#driverErrors()}) and logged at
 * DEBUG once per change of error; the loop then still owns the buffer and releases it, and goes on with
 * the rest of the batch. So a driver must not both hand a buffer on and throw.
 *
 * <pre>{@code
 * final class Echo implements StateMachineDriver {
 *     private Outbound out;
 *     public void onStart(Outbound outbound, long nowNs) { out = outbound; }
 *     public boolean onDatagram(int socket, InetSocketAddress from, PooledBuffer datagram, long nowNs) {
 *         out.sendDatagram(socket, from, datagram);       // ownership moves on: keep = true
 *         return true;
 *     }
 *     ...
 * }
 * }</pre>
 */
public interface StateMachineDriver {
    /** Called once, on the state thread, before any other method. Keep {@code outbound} for later. */
    void onStart(Outbound outbound, long nowNs);

    /** A command from another thread ({@link EventLoop#submit}): control-plane updates, shutdown requests. */
    void onCommand(Object command, long nowNs);

    /**
     * A datagram arrived on socket {@code socketIndex} from {@code from} (the same instance for a repeat
     * sender while it stays in the source cache).
     *
     * @return whether the driver kept {@code datagram}
     */
    boolean onDatagram(int socketIndex, InetSocketAddress from, PooledBuffer datagram, long nowNs);

    /**
     * An IP packet was read from TUN queue {@code queueIndex}.
     *
     * @return whether the driver kept {@code packet}
     */
    boolean onDevicePacket(int queueIndex, PooledBuffer packet, long nowNs);

    /** The deadline of {@link #nextDeadlineNs()} has come (called at most once per cycle, with the current time). */
    void onTimeout(long nowNs);

    /** The earliest time the driver wants {@link #onTimeout} called, or {@link Long#MAX_VALUE} for none. */
    long nextDeadlineNs();

    /**
     * The loop is stopping: emit goodbyes now (they are flushed for at most the configured time) and
     * release any buffer the driver still holds. Called once, after reading stopped.
     */
    default void onStop(long nowNs) {
    }
}
