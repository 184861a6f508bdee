package zonegate.node;

import java.nio.ByteBuffer;
import zonegate.turn.client.Allocation;
import zonegate.wireguard.Action;
import zonegate.wireguard.DropReason;
import zonegate.wireguard.TunnelResult;

/**
 * The data path out, for a connection with a nominated pair: WireGuard encrypts straight into the
 * caller's buffer, and over a relayed pair it encrypts 4 bytes further on so that the TURN client can
 * write the ChannelData header in front. Nothing is copied or allocated once warm.
 */
final class Outbound {
    private final Outbox outbox;
    private final Relays relays;
    private final WireGuardLink wg;

    Outbound(Outbox outbox, Relays relays, WireGuardLink wg) {
        this.outbox = outbox;
        this.relays = relays;
        this.wg = wg;
    }

    NodeAction encapsulate(Connection c, ByteBuffer packet, ByteBuffer out, long nowNs, NodeResult r) {
        boolean relayed = c.pair.localRelayed();
        int start = out.position();
        if (relayed) {
            if (out.remaining() < Allocation.CHANNEL_HEADER_BYTES) {
                packet.position(packet.limit());
                return drop(NodeCounter.BUFFER_TOO_SMALL, c, r);
            }
            out.position(start + Allocation.CHANNEL_HEADER_BYTES);
        }
        TunnelResult w = wg.result();
        Action a = c.tunnel.encapsulate(packet, out, nowNs, w);
        if (a != Action.WRITE_TO_NETWORK) {
            out.position(start);
        }
        return switch (a) {
            case WRITE_TO_NETWORK -> relayed
                    ? relays.frameRelayed(c.pair.localAddress(), c.pair.remoteAddress(), out, start, w.lengthBytes(),
                            nowNs, c.peerId, r)
                    : r.set(NodeAction.WRITE_TO_NETWORK, w.lengthBytes(), c.pair.localAddress(),
                            c.pair.remoteAddress(), c.peerId, null);
            case QUEUED, DONE, WRITE_TO_TUNNEL -> r.set(NodeAction.DONE, 0, null, null, c.peerId, null);
            case DROPPED -> drop(w.dropReason() == DropReason.BUFFER_TOO_SMALL
                    ? NodeCounter.BUFFER_TOO_SMALL : NodeCounter.WIREGUARD_OUTBOUND, c, r);
        };
    }

    private NodeAction drop(NodeCounter reason, Connection c, NodeResult r) {
        outbox.count(reason);
        return r.set(NodeAction.DROPPED, 0, null, null, c.peerId, reason);
    }
}
