package zonegate.tunnel.internal.client;

import java.nio.ByteBuffer;
import java.util.UUID;
import org.tinylog.Logger;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.node.ConnectionState;
import zonegate.node.Node;
import zonegate.node.NodeAction;
import zonegate.node.NodeResult;
import zonegate.packet.IcmpError;
import zonegate.packet.IcmpWriter;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.ClientCounter;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.ClientResource;

/**
 * The client's packet path from its TUN device: anti-spoofing, the stub resolver's sentinels, then the
 * route (a flow that has a gateway keeps it; then DNS-resource proxy addresses; then CIDR resources,
 * longest prefix, smallest id on a tie; then the Internet resource), the client-side filter (ICMP
 * prohibited locally), the authorisation (packets wait, a connection intent is raised) and the DNS-resource
 * NAT setup with the gateway, and finally the node. Unroutable packets get ICMP network unreachable.
 */
public final class ClientPath {
    private static final int MTU_BYTES = 1280;

    private final ClientParts s;
    private final PacketParser parser = new PacketParser();
    private final NodeResult result = new NodeResult();
    private final ByteBuffer scratch = ByteBuffer.allocate(MTU_BYTES + 80);
    private final long[] counts = new long[ClientCounter.values().length];

    public ClientPath(ClientParts parts) {
        this.s = parts;
    }

    /** One packet from the TUN device, its remaining bytes (consumed; the caller keeps the buffer). */
    public void onDevicePacket(ByteBuffer packet, long nowNs) {
        int offset = packet.position();
        int length = packet.remaining();
        try {
            route(packet, offset, length, nowNs);
        } finally {
            packet.position(offset + length);
        }
    }

    /** Routes a packet (also one that waited for an authorisation or a DNS-resource NAT setup). */
    public void route(ByteBuffer packet, int offset, int length, long nowNs) {
        TunnelAddresses own = s.addresses;
        IpPacket p = own == null || length == 0 ? null : parser.parseOrNull(packet, offset, length);
        if (p == null) {
            drop(ClientCounter.MALFORMED_DEVICE_PACKET);
            return;
        }
        if (!ownSource(p, own)) {
            drop(ClientCounter.SPOOFED);
            return;
        }
        if (isMulticast(p)) {
            drop(ClientCounter.MULTICAST);
            return;
        }
        if (isSentinelDns(p)) {
            s.onStubResult(s.stub.handleQuery(packet, offset, length, nowNs), nowNs);
            return;
        }
        FlowGateways.Sticky sticky = s.flows.lookup(p, nowNs);
        if (sticky != null && s.node.state(sticky.gatewayId()) != null) {
            send(sticky.gatewayId(), packet, offset, length, nowNs);
            return;
        }
        StubResolver.ProxyTarget target = p.version() == 4 ? s.stub.lookupProxy4(p.ipv4().destination())
                : s.stub.lookupProxy6(p.ipv6().destinationHigh(), p.ipv6().destinationLow());
        ClientResource resource = target != null ? firstKnown(target)
                : p.version() == 4 ? s.routes.routeV4(p.ipv4().destination())
                : s.routes.routeV6(p.ipv6().destinationHigh(), p.ipv6().destinationLow());
        if (resource == null) {
            drop(ClientCounter.NO_ROUTE);
            answer(p, IcmpError.NETWORK_UNREACHABLE);
            return;
        }
        if (!ClientFilters.permits(resource.filters(), p.protocol(), p.destinationPort())) {
            drop(ClientCounter.FILTERED);
            traceDenied(p, resource);
            answer(p, IcmpError.ADMINISTRATIVELY_PROHIBITED);
            return;
        }
        String gateway = s.access.gateway(resource.id());
        if (gateway == null) {
            if (s.access.hold(resource.id(), packet, offset, length, nowNs)) {
                var preferred = s.access.preferredGateways(resource.id(), this::connected);
                Logger.debug("rid={} connection intent (preferred gateways {})", resource.id(), preferred);
                s.outputs.event(new ClientEvent.ConnectionIntent(resource.id(), preferred));
            }
            return;
        }
        if (target != null) {
            UUID uuid = uuid(resource.id());
            if (uuid == null || s.domains.refused(gateway, target.domain())) {
                drop(ClientCounter.DOMAIN_INACTIVE);
                answer(p, IcmpError.NETWORK_UNREACHABLE);
                return;
            }
            if (!s.domains.admit(gateway, uuid, target.domain(), target.proxyIps(), packet, offset, length, nowNs)) {
                s.sendDueDomainSetups(nowNs);
                return;
            }
        }
        s.flows.put(p, gateway, resource.id(), nowNs);
        send(gateway, packet, offset, length, nowNs);
    }

    /** Encrypts a packet for the gateway (the node buffers it while the connection is being made). */
    public void send(String gateway, ByteBuffer packet, int offset, int length, long nowNs) {
        PooledBuffer out = s.outputs.acquire();
        if (out == null) {
            return;
        }
        int position = packet.position();
        int limit = packet.limit();
        packet.limit(offset + length).position(offset);
        NodeAction action = s.node.encapsulate(gateway, packet, out.buffer().clear(), nowNs, result);
        packet.limit(limit).position(position);
        if (action == NodeAction.WRITE_TO_NETWORK) {
            out.buffer().flip();
            s.outputs.transmit(result.destination(), out);
            return;
        }
        s.outputs.pool().release(out);
    }

    /** A datagram from the network: a packet from a gateway goes to the TUN device when it is for us. */
    public void onDatagram(java.net.InetSocketAddress local, java.net.InetSocketAddress from, ByteBuffer datagram,
            long nowNs) {
        PooledBuffer out = s.outputs.acquire();
        if (out == null) {
            datagram.position(datagram.limit());
            return;
        }
        NodeAction a = s.node.handleNetworkInput(local, from, datagram, out.buffer().clear(), nowNs, result);
        if (a != NodeAction.WRITE_TO_TUNNEL) {
            s.outputs.pool().release(out);
            return;
        }
        ByteBuffer b = out.buffer();
        IpPacket p = parser.parseOrNull(b, 0, result.lengthBytes());
        if (p == null || !ownDestination(p, s.addresses)) {
            drop(ClientCounter.NOT_FOR_US);
            s.outputs.pool().release(out);
            return;
        }
        b.limit(result.lengthBytes()).position(0);
        s.outputs.packet(out);
    }

    public long count(ClientCounter counter) {
        return counts[counter.ordinal()];
    }

    /** A bug was caught while handling an input. */
    public void onBug() {
        drop(ClientCounter.INTERNAL_ERROR);
    }

    private void drop(ClientCounter counter) {
        counts[counter.ordinal()]++;
    }

    private boolean connected(String gateway) {
        ConnectionState state = s.node.state(gateway);
        return state == ConnectionState.CONNECTED || state == ConnectionState.IDLE;
    }

    private ClientResource firstKnown(StubResolver.ProxyTarget target) {
        for (ResourceId id : target.resources()) {
            ClientResource r = s.resources.get(id);
            if (r != null && r.resource() instanceof Resource.Dns) {
                return r;
            }
        }
        return null;
    }

    /** An ICMP error to the client about its packet, as if from the destination it tried. */
    private void answer(IpPacket invoking, IcmpError error) {
        int n = IcmpWriter.writeError(invoking, error, MTU_BYTES, scratch.clear(), 0, scratch.capacity());
        if (n > 0) {
            byte[] bytes = new byte[n];
            scratch.get(0, bytes);
            s.outputs.packet(bytes);
        }
    }

    private boolean isSentinelDns(IpPacket p) {
        if (p.protocol() != 17 || p.destinationPort() != 53) {
            return false;
        }
        return p.version() == 4 ? s.stub.isSentinel4(p.ipv4().destination())
                : s.stub.isSentinel6(p.ipv6().destinationHigh(), p.ipv6().destinationLow());
    }

    private static boolean ownSource(IpPacket p, TunnelAddresses own) {
        return p.version() == 4 ? p.ipv4().source() == own.ipv4()
                : p.ipv6().sourceHigh() == own.ipv6High() && p.ipv6().sourceLow() == own.ipv6Low();
    }

    private static boolean ownDestination(IpPacket p, TunnelAddresses own) {
        return own != null && (p.version() == 4 ? p.ipv4().destination() == own.ipv4()
                : p.ipv6().destinationHigh() == own.ipv6High() && p.ipv6().destinationLow() == own.ipv6Low());
    }

    private static boolean isMulticast(IpPacket p) {
        return p.version() == 4 ? (p.ipv4().destination() & 0xF000_0000) == 0xE000_0000
                : (p.ipv6().destinationHigh() >>> 56) == 0xFF;
    }

    private static UUID uuid(ResourceId id) {
        try {
            return UUID.fromString(id.value());
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }

    private static void traceDenied(IpPacket p, ClientResource r) {
        if (Logger.isTraceEnabled()) {
            Logger.trace("rid={} protocol {} port {} denied by the resource's filter", r.id(), p.protocol(),
                    p.destinationPort());
        }
    }
}
