package zonegate.app.internal.portal;

import zonegate.controlplane.PortalEvent;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.tinylog.Logger;
import zonegate.controlplane.PortalMessage;

/**
 * Where a runtime's portal connection delivers, before and after its event loop exists. A runtime that needs
 * the portal's {@code init} to build its device (the gateway learns its tunnel addresses from it) starts the
 * connection first: inputs are held, in order, and {@link #firstInit} completes with the first init (or the
 * refusal); then {@link #attach} hands everything held to the loop and every later input goes straight there.
 *
 * <p>The loop's command queue is bounded: when it is full, the transport's thread waits (which back-pressures
 * the socket) rather than lose a portal message; a waiting input is given up only when the loop is gone.
 */
public final class PortalInbox implements Consumer<PortalEvent> {
    /** Inputs held before the loop exists; the portal sends little before init. */
    static final int MAX_HELD = 4096;
    private static final long RETRY_NS = 200_000;
    private static final Predicate<Object> DISCARD = input -> true;

    private final CompletableFuture<PortalEvent> firstInit = new CompletableFuture<>();
    private final Queue<PortalEvent> held = new ArrayDeque<>();
    private volatile Predicate<Object> loop;
    private long heldDropped;

    /** The first {@code init} from the portal (a {@link PortalEvent.Message}) or a {@link PortalEvent.Refused}. */
    public CompletableFuture<PortalEvent> firstInit() {
        return firstInit;
    }

    /**
     * From now on inputs go to {@code submit} (an event loop's {@code submit}, which returns false when its queue
     * is full); the held ones first, in order.
     */
    public synchronized void attach(Predicate<Object> submit) {
        loop = submit;
        for (PortalEvent input; (input = held.poll()) != null; ) {
            deliver(input);
        }
    }

    /** Stops delivering (the runtime is closing): inputs that arrive now, or wait for room, are dropped. */
    public void detach() {
        loop = DISCARD;
    }

    @Override
    public synchronized void accept(PortalEvent input) {
        if (!firstInit.isDone() && (input instanceof PortalEvent.Refused || isInit(input))) {
            firstInit.complete(input);
        }
        if (loop != null) {
            deliver(input);
        } else if (held.size() < MAX_HELD) {
            held.add(input);
        } else if (heldDropped++ == 0) {
            Logger.warn("the portal sent more than {} messages before the gateway started: dropping", MAX_HELD);
        }
    }

    private void deliver(PortalEvent input) {
        while (!loop.test(input)) {
            LockSupport.parkNanos(RETRY_NS);
        }
    }

    private static boolean isInit(PortalEvent input) {
        return input instanceof PortalEvent.Message(var frame)
                && (frame.message() instanceof PortalMessage.GatewayInit || frame.message() instanceof PortalMessage.ClientInit
                || frame.message() instanceof PortalMessage.RelayInit);
    }
}
