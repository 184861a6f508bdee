package zonegate.tunnel.internal;

import java.nio.ByteBuffer;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.ClientSpec;
import zonegate.wireguard.Tunnel;

/**
 * How the gateway reaches its clients: as WireGuard peers of its own device (static mode,
 * {@link DeviceLinks}) or as connections of a node (ICE mode, {@link NodeLinks}). The client table, the
 * filters and both data paths are the same in both modes; only this differs.
 */
public interface ClientLinks {
    /**
     * The link of a client being added, or re-keyed (a new public key); the old one, if any, is closed
     * afterwards with {@link #close}.
     *
     * @return its WireGuard tunnel in static mode, null when links are made elsewhere (ICE mode: with the
     *     connection's ICE credentials)
     * @throws IllegalArgumentException for a key the link refuses
     * @throws IllegalStateException when no more links fit
     */
    Tunnel open(ClientSpec spec, long nowNs);

    /** The client's preshared key changed (same public key). */
    void updatePresharedKey(ClientSpec spec, long nowNs);

    /** Ends a link (the client or its old key is gone). */
    void close(ClientSpec spec, Tunnel tunnel, long nowNs);

    /** Whether a packet can be sent to the client now (a session is up); never makes one. */
    boolean canSend(ClientEntry client);

    /**
     * Encrypts {@code src}'s remaining bytes for the client into {@code out} (whose contents are no longer
     * needed) and queues it; without a session, drops and counts (never queues, never initiates).
     */
    void send(ClientEntry client, ByteBuffer src, PooledBuffer out, long nowNs);
}
