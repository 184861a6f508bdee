package zonegate.app.internal.observe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.tinylog.Logger;
import zonegate.shell.loop.EventLoop;
import zonegate.shell.loop.LoopCounters;

/**
 * The observability of one command ({@code --metrics}): the listener, started before the runtime so that
 * {@code /readyz} answers (503) while the runtime comes up, the readiness checks the command sets, and the
 * running runtime's loop and state metrics once {@link #attach}ed. Off ({@link #off}) it does nothing.
 */
public final class Observability implements AutoCloseable {
    private final Readiness readiness;
    private final AtomicReference<Supplier<EventLoop>> loop = new AtomicReference<>();
    private final AtomicReference<SocketLabels> socketLabels = new AtomicReference<>(SocketLabels.BY_ADDRESS);
    private final AtomicReference<MetricSource> state = new AtomicReference<>();
    private final ObserveServer server;

    private Observability(Readiness readiness, ObserveServer server) {
        this.readiness = readiness;
        this.server = server;
    }

    /** Nothing served; {@link #readiness()} still records (no one reads it). */
    public static Observability off(List<String> checks) {
        return new Observability(new Readiness(checks), null);
    }

    /**
     * Serves {@code /metrics}, {@code /healthz} and {@code /readyz} on {@code address}, with readiness
     * {@code checks} failing until set, {@code extra} sources besides the loop, the state and the JVM, and
     * {@code extraReadiness} probes (a portal watch) before the checks. A non-loopback address is served with a WARN: the listener has no authentication.
     */
    public static Observability start(InetSocketAddress address, List<String> checks, List<MetricSource> extra,
                                      List<HealthProbe> extraReadiness) throws IOException {
        if (!address.getAddress().isLoopbackAddress()) {
            Logger.warn("metrics listener on {}, not a loopback address: anyone who reaches it reads the "
                    + "gateway's counters (no authentication); firewall it", address);
        }
        Readiness readiness = new Readiness(checks);
        AtomicReference<Observability> self = new AtomicReference<>();
        Supplier<EventLoop> currentLoop = () -> {
            Supplier<EventLoop> running = self.get().loop.get();
            return running == null ? null : running.get();
        };
        Supplier<LoopCounters> counters = () -> {
            EventLoop running = currentLoop.get();
            return running == null ? null : running.counters();
        };
        MetricSource loopMetrics = new LoopMetrics(currentLoop,
                (index, local) -> self.get().socketLabels.get().label(index, local));
        MetricSource stateMetrics = out -> {
            MetricSource source = self.get().state.get();
            if (source != null) {
                source.collect(out);
            }
        };
        List<MetricSource> sources = new ArrayList<>(List.of(loopMetrics, stateMetrics));
        sources.addAll(extra);
        sources.add(new JvmMetrics());
        ObserveEndpoints endpoints = new ObserveEndpoints(sources,
                List.of(new LoopProbe(counters, LoopProbe.MAX_AGE_NS)), probes(extraReadiness, readiness));
        Observability observability = new Observability(readiness, ObserveServer.start(address, endpoints));
        self.set(observability);
        return observability;
    }

    private static List<HealthProbe> probes(List<HealthProbe> extra, Readiness readiness) {
        List<HealthProbe> all = new ArrayList<>(extra);
        all.addAll(readiness.probes());
        return all;
    }

    /** Whether a listener serves {@code /readyz} (false when {@link #off}). */
    public boolean serving() {
        return server != null;
    }

    /** The readiness checks, for the command to set. */
    public Readiness readiness() {
        return readiness;
    }

    /** The runtime is up: its loop's counters and its state thread's metrics join the scrapes. */
    public void attach(EventLoop runningLoop) {
        attach(() -> runningLoop);
    }

    /**
     * As {@link #attach(EventLoop)}, for a runtime that replaces its loop (the client's reset): each scrape and
     * probe reads {@code currentLoop} anew.
     */
    public void attach(Supplier<EventLoop> currentLoop) {
        attach(currentLoop, SocketLabels.BY_ADDRESS);
    }

    /** As {@link #attach(Supplier)}, with the {@code socket} label of each of the loop's sockets. */
    public void attach(Supplier<EventLoop> currentLoop, SocketLabels labels) {
        socketLabels.set(labels);
        loop.set(currentLoop);
        state.set(new StateSnapshot(command -> currentLoop.get().submit(command)));
    }

    /** The runtime stopped: the loop is gone (so {@code /healthz} fails) and so are its metrics. */
    public void detach() {
        loop.set(null);
        state.set(null);
    }

    @Override
    public void close() {
        detach();
        if (server != null) {
            server.close();
        }
    }
}
