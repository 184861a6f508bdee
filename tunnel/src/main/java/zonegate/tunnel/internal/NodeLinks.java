package zonegate.tunnel.internal;

import java.nio.ByteBuffer;
import org.tinylog.Logger;
import zonegate.node.ConnectionState;
import zonegate.node.Node;
import zonegate.node.NodeAction;
import zonegate.node.NodeCounter;
import zonegate.node.NodeResult;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.ClientSpec;
import zonegate.tunnel.GatewayDropReason;
import zonegate.wireguard.Tunnel;

/**
 * ICE mode: every client is a connection of the gateway's node (server role: ICE controlled, WireGuard
 * responder only), keyed by the client id. Connections are made with their ICE credentials by the
 * authorisation commands, not here.
 */
public final class NodeLinks implements ClientLinks {
    private final Node node;
    private final BufferPool pool;
    private final OutputQueues queues;
    private final NodeResult result = new NodeResult();

    public NodeLinks(Node node, BufferPool pool, OutputQueues queues) {
        this.node = node;
        this.pool = pool;
        this.queues = queues;
    }

    @Override
    public Tunnel open(ClientSpec spec, long nowNs) {
        return null;
    }

    @Override
    public void updatePresharedKey(ClientSpec spec, long nowNs) {
        // The connection's next upsert carries the new key (parameters that differ replace the connection).
    }

    @Override
    public void close(ClientSpec spec, Tunnel tunnel, long nowNs) {
        if (node.state(spec.id().value()) != null) {
            node.closeConnection(spec.id().value(), nowNs);
        }
    }

    @Override
    public boolean canSend(ClientEntry client) {
        ConnectionState state = node.state(client.id.value());
        return state == ConnectionState.CONNECTED || state == ConnectionState.IDLE;
    }

    @Override
    public void send(ClientEntry client, ByteBuffer src, PooledBuffer out, long nowNs) {
        ByteBuffer dst = out.buffer().clear();
        NodeAction action = node.encapsulate(client.id.value(), src, dst, nowNs, result);
        if (action == NodeAction.WRITE_TO_NETWORK) {
            dst.flip();
            queues.offerTransmit(result.destination(), out);
            return;
        }
        pool.release(out);
        queues.count(action == NodeAction.DROPPED && result.dropReason() == NodeCounter.WIREGUARD_OUTBOUND
                ? GatewayDropReason.ENCRYPT_FAILED : GatewayDropReason.NO_SESSION);
        if (Logger.isTraceEnabled()) {
            Logger.trace("cid={} packet for the client dropped: {}", client.id, result);
        }
    }
}
