package zonegate.tunnel.internal;

import java.nio.ByteBuffer;
import org.tinylog.Logger;
import zonegate.nat64.DropReason;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.GatewayDropReason;

/**
 * Resource to client: find the client by the packet's destination (its tunnel address, which is also the
 * source its DNS-resource NAT flows leave with), translate the packet back through the client's own NAT
 * table when it answers one of its flows (from the proxy address, back across families if needed; ICMP
 * errors about a flow included, when sent to the quoted packet's source), else deliver it only if the
 * client's filter finds it belongs to a flow the client opened ({@code ClientFilter.admitsInbound}), and
 * encrypt it to the client. Anything else is unsolicited: dropped and counted. No session: dropped and
 * counted, never queued, never a handshake.
 */
public final class InboundPath {
    private final DataPlane d;
    private final PacketParser parser = new PacketParser();

    public InboundPath(DataPlane dataPlane) {
        this.d = dataPlane;
    }

    /** Handles {@code packet}'s remaining bytes; they may be rewritten in place, and are consumed. */
    public void onPacket(ByteBuffer packet, long nowNs) {
        int offset = packet.position();
        int length = packet.remaining();
        try {
            IpPacket p = length == 0 ? null : parser.parseOrNull(packet, offset, length);
            if (p == null) {
                d.queues.count(GatewayDropReason.MALFORMED_DEVICE_PACKET);
                return;
            }
            ClientEntry client = p.version() == 4 ? d.clients.byAddress4(p.ipv4().destination())
                    : d.clients.byAddress6(p.ipv6().destinationHigh(), p.ipv6().destinationLow());
            if (client == null) {
                d.queues.count(GatewayDropReason.UNKNOWN_DESTINATION);
                if (Logger.isTraceEnabled()) {
                    Logger.trace("packet for {} dropped: no client has that address",
                            p.version() == 4 ? p.ipv4().destinationAddress() : p.ipv6().destinationAddress());
                }
                return;
            }
            if (!d.links.canSend(client)) {
                d.queues.count(GatewayDropReason.NO_SESSION);
                return;
            }
            ByteBuffer src = packet;
            if (client.nat != null) {
                int n = d.ports.translateInbound(p, client.nat, nowNs, d.scratch, 0, d.scratch.capacity());
                if (n >= 0) {
                    src = d.scratch.limit(n).position(0);
                } else if (d.ports.lastTable() != null) {
                    d.queues.count(GatewayDropReason.NAT_INBOUND_FAILED);
                    if (Logger.isTraceEnabled()) {
                        Logger.trace("cid={} reply dropped by the NAT: {}", client.id, DropReason.ofResult(n));
                    }
                    return;
                }
            }
            if (src == packet && !client.filter.admitsInbound(p, nowNs)) {
                unsolicited(client, p);
                return;
            }
            PooledBuffer out = d.acquire();
            if (out == null) {
                return;
            }
            if (src == packet) {
                packet.limit(offset + length).position(offset);
            }
            d.sendToClient(client, src, out, nowNs);
        } finally {
            d.scratch.clear();
            packet.position(offset + length);
        }
    }

    private void unsolicited(ClientEntry client, IpPacket p) {
        d.queues.count(GatewayDropReason.UNSOLICITED_INBOUND);
        if (Logger.isTraceEnabled()) {
            Logger.trace("cid={} unsolicited IPv{} protocol {} from {} port {} to port {} dropped: no flow of the"
                    + " client", client.id, p.version(), p.protocol(),
                    p.version() == 4 ? p.ipv4().sourceAddress() : p.ipv6().sourceAddress(), p.sourcePort(),
                    p.destinationPort());
        }
    }
}
