package zonegate.app.internal.client;

import java.util.List;
import org.tinylog.Logger;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.RouteMonitor;

/**
 * Watches the host's links, addresses and routes (rtnetlink notifications) on every interface but the
 * client's own TUN device, and calls {@code onChange} once the network has been quiet for
 * {@value #QUIET_MS} ms after a change (a new uplink comes with a burst of address and route messages: one
 * reset, not ten). Runs on its own platform daemon thread until closed.
 */
final class NetworkWatch implements AutoCloseable {
    static final int QUIET_MS = 500;

    private final int ownInterface;
    private final Runnable onChange;
    private final Thread thread;
    private volatile boolean running = true;

    private NetworkWatch(int ownInterface, Runnable onChange) {
        this.ownInterface = ownInterface;
        this.onChange = onChange;
        this.thread = Thread.ofPlatform().name("zonegate-netwatch").daemon().unstarted(this::run);
    }

    /**
     * Starts watching (from the calling thread's network namespace, which the watch thread inherits); changes on
     * {@code ownInterface} (the TUN device's index) are ignored.
     */
    static NetworkWatch start(int ownInterface, Runnable onChange) {
        NetworkWatch watch = new NetworkWatch(ownInterface, onChange);
        watch.thread.start();
        return watch;
    }

    private void run() {
        boolean changed = false;
        // Opened and closed on this thread: a RouteMonitor belongs to the thread that opened it.
        try (RouteMonitor monitor = RouteMonitor.open(RouteMonitor.ADDRESSES_AND_ROUTES, QUIET_MS)) {
            while (running) {
                List<Integer> interfaces = monitor.receive();
                if (interfaces.isEmpty()) {
                    if (changed && running) {
                        changed = false;
                        Logger.info("the host's network changed: resetting connections");
                        onChange.run();
                    }
                    continue;
                }
                for (int index : interfaces) {
                    changed |= index != ownInterface;
                }
            }
        } catch (NativeIoException | RuntimeException e) {
            if (running) {
                Logger.warn("stopped watching the host's network ({}): send SIGUSR1 to reset after a change",
                        e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(2L * QUIET_MS + 500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
