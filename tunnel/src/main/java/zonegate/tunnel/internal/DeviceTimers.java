package zonegate.tunnel.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import org.tinylog.Logger;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.GatewayEvent;
import zonegate.wireguard.Action;
import zonegate.wireguard.TunnelEvent;

/** Static mode: the WireGuard device's timers, and its events as client events. */
public final class DeviceTimers {
    private final DataPlane d;

    public DeviceTimers(DataPlane dataPlane) {
        this.d = dataPlane;
    }

    public void handleTimeout(long nowNs) {
        runDeviceTimers(nowNs);
        drainDeviceEvents();
    }

    public long pollTimeout() {
        return d.device.nextTimerDeadlineNs();
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

}
