package zonegate.tunnel.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.tinylog.Logger;
import zonegate.filter.Decision;
import zonegate.nat64.DnsNatTable;
import zonegate.nat64.DropReason;
import zonegate.nat64.Nat64Prefix;
import zonegate.packet.IcmpError;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.GatewayDropReason;
import zonegate.wireguard.Action;

/**
 * Client to resource: decrypt, then route the inner packet by destination.
 * <ul>
 *   <li>the gateway's own tunnel address: ping, its DNS server and the configured
 *       {@code GatewayServices} go to the TUN device; the rest is answered with ICMP
 *       administratively prohibited;</li>
 *   <li>a DNS proxy address: decided by the domain it stands for, then rewritten by the client's NAT
 *       table (NAT64/NAT46 when the domain resolved only to the other family);</li>
 *   <li>inside the site's NAT64 prefix: decided by the IPv4 address it embeds;</li>
 *   <li>anything else: decided by address (CIDR and Internet resources).</li>
 * </ul>
 * A denied packet is answered with the ICMP error its decision names, encrypted to the client; a spoofed
 * one, or an ICMP error about no flow of the client, is dropped silently. Every allowed packet to an
 * address (and to the gateway) leaves its flow in the client's filter, which is what lets replies in.
 * The decrypted packet stays in its pool buffer all the way to the TUN queue.
 */
public final class OutboundPath {
    private final DataPlane d;
    private final PacketParser parser = new PacketParser();

    public OutboundPath(DataPlane dataPlane) {
        this.d = dataPlane;
    }

    public void onDatagram(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        PooledBuffer buffer = d.acquire();
        if (buffer == null) {
            datagram.position(datagram.limit());
            return;
        }
        ByteBuffer out = buffer.buffer();
        Action action = d.device.handleDatagram(from, datagram, out, nowNs, d.result);
        switch (action) {
            case WRITE_TO_NETWORK -> {
                out.flip();
                d.queues.offerTransmit(from, buffer);
            }
            case WRITE_TO_TUNNEL -> onDecrypted(d.clients.byTunnel(d.result.tunnel()), buffer,
                    d.result.lengthBytes(), nowNs);
            case DROPPED -> {
                d.queues.count(GatewayDropReason.WIREGUARD_REJECTED);
                d.pool.release(buffer);
                if (Logger.isTraceEnabled()) {
                    Logger.trace("datagram from {} dropped: {}", from, d.result.dropReason());
                }
            }
            case DONE, QUEUED -> d.pool.release(buffer);
        }
    }

    /** A packet the client sent, decrypted into {@code buffer} (whose ownership passes here). */
    public void onDecrypted(ClientEntry client, PooledBuffer buffer, int lengthBytes, long nowNs) {
        IpPacket p = client == null ? null : parser.parseOrNull(buffer.buffer(), 0, lengthBytes);
        if (p == null) {
            d.queues.count(GatewayDropReason.MALFORMED_INNER_PACKET);
            d.pool.release(buffer);
            return;
        }
        if (p.version() == 4) {
            int destination = p.ipv4().destination();
            if (destination == d.gateway4) {
                toGateway(client, p, buffer, lengthBytes, nowNs);
            } else if (DnsProxies.isProxy4(destination)) {
                DnsProxies.Domain domain = client.dns == null ? null : client.dns.lookup4(destination);
                toProxy(client, p, domain, domain != null && domain.has4, buffer, nowNs);
            } else {
                byAddress(client, p, buffer, lengthBytes, nowNs);
            }
            return;
        }
        long high = p.ipv6().destinationHigh();
        long low = p.ipv6().destinationLow();
        if (high == d.gateway6High && low == d.gateway6Low) {
            toGateway(client, p, buffer, lengthBytes, nowNs);
        } else if (DnsProxies.isProxy6(high, low)) {
            DnsProxies.Domain domain = client.dns == null ? null : client.dns.lookup6(low);
            toProxy(client, p, domain, domain != null && domain.has6, buffer, nowNs);
        } else {
            byAddress(client, p, buffer, lengthBytes, nowNs);
        }
    }

    private void toGateway(ClientEntry client, IpPacket p, PooledBuffer buffer, int lengthBytes, long nowNs) {
        Decision decision = client.filter.decideGateway(p, d.gatewayServices, nowNs, d.decision);
        if (decision.isAllowed()) {
            d.filterAllowed++;
            d.toDevice(buffer, lengthBytes);
        } else {
            denied(client, p, decision, buffer, nowNs);
        }
    }

    private void byAddress(ClientEntry client, IpPacket p, PooledBuffer buffer, int lengthBytes, long nowNs) {
        Nat64Prefix nat64 = d.config.nat64Prefix();
        long high = p.version() == 6 ? p.ipv6().destinationHigh() : 0;
        long low = p.version() == 6 ? p.ipv6().destinationLow() : 0;
        Decision decision = nat64 != null && p.version() == 6 && nat64.contains(high, low)
                ? client.filter.decideNat64(p, nat64.extract(high, low), nowNs, d.decision)
                : client.filter.decide(p, nowNs, d.decision);
        if (decision.isAllowed()) {
            d.filterAllowed++;
            d.toDevice(buffer, lengthBytes);
        } else {
            denied(client, p, decision, buffer, nowNs);
        }
    }

    private void toProxy(ClientEntry client, IpPacket p, DnsProxies.Domain domain, boolean sameFamily,
                         PooledBuffer buffer, long nowNs) {
        if (domain == null) {
            if (!ownSource(client, p)) {
                spoofed(client, buffer);
                return;
            }
            d.queues.count(GatewayDropReason.UNKNOWN_PROXY_ADDRESS);
            if (Logger.isTraceEnabled()) {
                Logger.trace("cid={} packet for an unassigned proxy address dropped", client.id);
            }
            d.answerWithError(client, p, IcmpError.NETWORK_UNREACHABLE, buffer, nowNs);
            return;
        }
        Decision decision = client.filter.decideDomain(p, domain.candidates, nowNs, d.decision);
        if (!decision.isAllowed()) {
            denied(client, p, decision, buffer, nowNs);
            return;
        }
        d.filterAllowed++;
        DnsNatTable nat = client.nat;
        ByteBuffer out = buffer.buffer();
        int n;
        if (sameFamily) {
            n = nat.translateOutbound(p, nowNs, out, 0, out.capacity());
        } else {
            // Across families the output grows or shrinks by 20 bytes and must not overlap the input.
            n = nat.translateOutbound(p, nowNs, d.scratch, 0, Math.min(d.scratch.capacity(), out.capacity()));
            if (n >= 0) {
                out.clear().put(0, d.scratch, 0, n);
            }
        }
        if (n < 0) {
            d.queues.count(GatewayDropReason.NAT_OUTBOUND_FAILED);
            d.pool.release(buffer);
            if (Logger.isTraceEnabled()) {
                Logger.trace("cid={} packet for {} dropped by the NAT: {}", client.id, domain.name,
                        DropReason.ofResult(n));
            }
            return;
        }
        d.toDevice(buffer, n);
    }

    private void denied(ClientEntry client, IpPacket p, Decision decision, PooledBuffer buffer, long nowNs) {
        switch (decision.verdict()) {
            case SPOOFED -> {
                spoofed(client, buffer);
                return;
            }
            case UNMATCHED_ICMP_ERROR -> {
                d.queues.count(GatewayDropReason.UNMATCHED_ICMP_ERROR);
                d.denials.onDenied(client, decision);
                d.pool.release(buffer);
                return;
            }
            case NO_RESOURCE -> d.queues.count(GatewayDropReason.NO_RESOURCE);
            case FILTERED -> d.queues.count(GatewayDropReason.FILTERED);
            case GATEWAY_FILTERED -> d.queues.count(GatewayDropReason.GATEWAY_FILTERED);
            case ALLOWED -> throw new IllegalStateException("not a denial");
        }
        d.denials.onDenied(client, decision);
        d.answerWithError(client, p, decision.icmpError(), buffer, nowNs);
    }

    private void spoofed(ClientEntry client, PooledBuffer buffer) {
        d.queues.count(GatewayDropReason.SPOOFED);
        d.pool.release(buffer);
        if (Logger.isTraceEnabled()) {
            Logger.trace("cid={} packet with a spoofed source dropped", client.id);
        }
    }

    private static boolean ownSource(ClientEntry client, IpPacket p) {
        return p.version() == 4 ? p.ipv4().source() == client.ipv4()
                : p.ipv6().sourceHigh() == client.ipv6High() && p.ipv6().sourceLow() == client.ipv6Low();
    }
}
