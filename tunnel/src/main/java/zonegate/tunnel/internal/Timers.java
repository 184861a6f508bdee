package zonegate.tunnel.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.tinylog.Logger;
import zonegate.filter.FilterEngine;
import zonegate.filter.FilterEvent;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.GatewayEvent;
import zonegate.wireguard.Action;
import zonegate.wireguard.TunnelEvent;

/**
 * The gateway's deadlines (WireGuard timers, authorisation expiry, NAT flow expiry) and the draining of
 * its children's events into {@link GatewayEvent}s, inside the gateway's own calls (DESIGN.md section 2).
 */
public final class Timers {
    private final DataPlane d;

    public Timers(DataPlane dataPlane) {
        this.d = dataPlane;
    }

    public void handleTimeout(long nowNs) {
        runDeviceTimers(nowNs);
        drainDeviceEvents();
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

    /** O(1) for WireGuard and the filter engine, O(clients with DNS-resource NAT tables) for the NAT. */
    public long pollTimeout() {
        long deadline = Math.min(d.device.nextTimerDeadlineNs(), d.engine.pollTimeout());
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
        if (deadline == d.device.nextTimerDeadlineNs()) {
            return "wireguard timer";
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

    private void runDeviceTimers(long nowNs) {
        if (d.device.nextTimerDeadlineNs() > nowNs) {
            return;
        }
        while (true) {
            PooledBuffer buffer = d.acquire();
            if (buffer == null) {
                return;
            }
            if (d.device.handleTimeout(nowNs, buffer.buffer(), d.result) != Action.WRITE_TO_NETWORK) {
                d.pool.release(buffer);
                return;
            }
            buffer.buffer().flip();
            SocketAddress endpoint = d.result.tunnel().endpoint();
            d.queues.offerTransmit(endpoint instanceof InetSocketAddress inet ? inet : null, buffer);
        }
    }

    /** Turns WireGuard's events into client events, one per change of a client's connectedness. */
    public void drainDeviceEvents() {
        for (TunnelEvent e; (e = d.device.pollEvent()) != null; ) {
            ClientEntry client = d.clients.byKey(e.peer());
            if (client == null) {
                continue;
            }
            switch (e) {
                case TunnelEvent.SessionEstablished s -> {
                    if (!client.connected) {
                        client.connected = true;
                        SocketAddress endpoint = client.tunnel.endpoint();
                        Logger.info("cid={} peer={} connected from {}", client.id, s.peer(), endpoint);
                        d.queues.offerEvent(new GatewayEvent.ClientConnected(client.id,
                                endpoint instanceof InetSocketAddress inet ? inet : null, s.atNs()));
                    } else {
                        Logger.debug("cid={} peer={} new session", client.id, s.peer());
                    }
                }
                case TunnelEvent.SessionExpired s -> {
                    if (client.connected) {
                        client.connected = false;
                        Logger.info("cid={} peer={} session expired", client.id, s.peer());
                        d.queues.offerEvent(new GatewayEvent.ClientSessionExpired(client.id, s.atNs()));
                    }
                }
                case TunnelEvent.HandshakeExpired h -> Logger.debug("cid={} peer={} handshake given up", client.id,
                        h.peer());
                case TunnelEvent.KeysErased k -> Logger.debug("cid={} peer={} keys erased", client.id, k.peer());
            }
        }
    }

    private void drainFilterEvents() {
        FilterEngine engine = d.engine;
        for (FilterEvent e; (e = engine.pollEvent()) != null; ) {
            switch (e) {
                case FilterEvent.AuthorizationExpired x -> d.queues.offerEvent(
                        new GatewayEvent.AuthorizationExpired(x.clientId(), x.resourceId()));
                case FilterEvent.NoAuthorizationLeft x -> {
                    Logger.info("cid={} has no authorisation left", x.clientId());
                    d.queues.offerEvent(new GatewayEvent.NoAuthorizationLeft(x.clientId()));
                }
            }
        }
    }
}
