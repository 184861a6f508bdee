package zonegate.tunnel.internal;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import org.tinylog.Logger;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.ClientSpec;
import zonegate.tunnel.GatewayDropReason;
import zonegate.wireguard.Action;
import zonegate.wireguard.Device;
import zonegate.wireguard.DropReason;
import zonegate.wireguard.PeerConfig;
import zonegate.wireguard.PeerRole;
import zonegate.wireguard.Tunnel;
import zonegate.wireguard.TunnelResult;

/** Static mode: every client is a responder-only WireGuard peer of the gateway's own device. */
public final class DeviceLinks implements ClientLinks {
    private final Device device;
    private final BufferPool pool;
    private final OutputQueues queues;
    private final TunnelResult result = new TunnelResult();

    public DeviceLinks(Device device, BufferPool pool, OutputQueues queues) {
        this.device = device;
        this.pool = pool;
        this.queues = queues;
    }

    @Override
    public Tunnel open(ClientSpec spec, long nowNs) {
        return device.addPeer(peerConfig(spec), nowNs);
    }

    @Override
    public void updatePresharedKey(ClientSpec spec, long nowNs) {
        device.updatePeer(peerConfig(spec), nowNs);
    }

    @Override
    public void close(ClientSpec spec, Tunnel tunnel, long nowNs) {
        device.removePeer(spec.publicKey());
    }

    @Override
    public boolean canSend(ClientEntry client) {
        return client.tunnel.hasSendableSession();
    }

    @Override
    public void send(ClientEntry client, ByteBuffer src, PooledBuffer out, long nowNs) {
        ByteBuffer dst = out.buffer().clear();
        Action action = client.tunnel.encapsulate(src, dst, nowNs, result);
        if (action == Action.WRITE_TO_NETWORK) {
            dst.flip();
            SocketAddress endpoint = client.tunnel.endpoint();
            queues.offerTransmit(endpoint instanceof InetSocketAddress inet ? inet : null, out);
            return;
        }
        pool.release(out);
        GatewayDropReason reason = action == Action.DROPPED && result.dropReason() != DropReason.NO_SESSION
                ? GatewayDropReason.ENCRYPT_FAILED : GatewayDropReason.NO_SESSION;
        queues.count(reason);
        if (Logger.isTraceEnabled()) {
            Logger.trace("cid={} packet for the client dropped: {}", client.id, result);
        }
    }

    private static PeerConfig peerConfig(ClientSpec spec) {
        return PeerConfig.of(spec.publicKey()).withRole(PeerRole.RESPONDER_ONLY).withPresharedKey(spec.presharedKey());
    }
}
