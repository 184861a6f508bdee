package zonegate.app.internal.observe;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import zonegate.controlplane.PortalEvent;

/**
 * Watches a portal connection's events (on the transport's thread) for metrics and readiness: connects,
 * disconnects and whether the connection is up now (readiness check {@code portal}). The runtime's connector
 * hands it every event besides its own consumer ({@code PortalConnectors.watched}).
 */
public final class PortalWatch implements Consumer<PortalEvent>, MetricSource, HealthProbe {
    private final LongAdder connects = new LongAdder();
    private final LongAdder disconnects = new LongAdder();
    private volatile HealthCheck latest = new HealthCheck("portal", false, "not connected yet");

    @Override
    public void accept(PortalEvent event) {
        switch (event) {
            case PortalEvent.Connected c -> {
                connects.increment();
                latest = new HealthCheck("portal", true, "connected");
            }
            case PortalEvent.Disconnected(String reason) -> {
                disconnects.increment();
                latest = new HealthCheck("portal", false, "disconnected: " + reason);
            }
            case PortalEvent.Refused(String reason) -> latest = new HealthCheck("portal", false, "refused: " + reason);
            case PortalEvent.Message m -> { }
        }
    }

    @Override
    public HealthCheck check(long nowNs) {
        return latest;
    }

    @Override
    public void collect(MetricsBuilder out) {
        out.counter("zonegate_portal_connects_total", "Connections to the portal established.", connects.sum())
                .counter("zonegate_portal_disconnects_total", "Connections to the portal lost.", disconnects.sum());
    }
}
