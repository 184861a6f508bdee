package zonegate.tunnel.internal;

import java.util.function.Consumer;
import org.tinylog.Logger;
import zonegate.filter.ClientId;
import zonegate.filter.FilterEngine;
import zonegate.filter.FilterEvent;
import zonegate.tunnel.GatewayEvent;

/**
 * The deadlines both gateway modes share (authorisation expiry, NAT flow expiry) and the draining of the
 * filter engine's events into {@link GatewayEvent}s, inside the gateway's own calls (DESIGN.md section 2).
 * The transport's own timers (the static mode's WireGuard device, the ICE mode's node) are driven beside it.
 */
public final class Timers {
    private final DataPlane d;
    private final Consumer<ClientId> onNoAuthorizationLeft;

    /** @param onNoAuthorizationLeft what the mode does about a client left without authorisations */
    public Timers(DataPlane dataPlane, Consumer<ClientId> onNoAuthorizationLeft) {
        this.d = dataPlane;
        this.onNoAuthorizationLeft = onNoAuthorizationLeft;
    }

    public void handleTimeout(long nowNs) {
        if (d.engine.pollTimeout() <= nowNs) {
            d.engine.handleTimeout(nowNs);
        }
        drainFilterEvents();
        for (ClientEntry client : d.clients.natClients()) {
            if (client.nat.pollTimeout() <= nowNs) {
                client.nat.handleTimeout(nowNs);
            }
        }
    }

    /** O(1) for the filter engine, O(clients with DNS-resource NAT tables) for the NAT. */
    public long pollTimeout() {
        long deadline = d.engine.pollTimeout();
        for (ClientEntry client : d.clients.natClients()) {
            deadline = Math.min(deadline, client.nat.pollTimeout());
        }
        return deadline;
    }

    public String pollTimeoutReason() {
        long deadline = pollTimeout();
        if (deadline == Long.MAX_VALUE) {
            return null;
        }
        if (deadline == d.engine.pollTimeout()) {
            return d.engine.pollTimeoutReason();
        }
        for (ClientEntry client : d.clients.natClients()) {
            if (client.nat.pollTimeout() == deadline) {
                return "cid=" + client.id + " nat " + client.nat.pollTimeoutReason();
            }
        }
        return null;
    }

    /** The filter engine's events (expiries, removals) as gateway events; run after every command too. */
    public void drainFilterEvents() {
        FilterEngine engine = d.engine;
        for (FilterEvent e; (e = engine.pollEvent()) != null; ) {
            switch (e) {
                case FilterEvent.AuthorizationExpired x -> d.queues.offerEvent(
                        new GatewayEvent.AuthorizationExpired(x.clientId(), x.resourceId()));
                case FilterEvent.NoAuthorizationLeft x -> {
                    Logger.info("cid={} has no authorisation left", x.clientId());
                    d.queues.offerEvent(new GatewayEvent.NoAuthorizationLeft(x.clientId()));
                    onNoAuthorizationLeft.accept(x.clientId());
                }
            }
        }
    }
}
