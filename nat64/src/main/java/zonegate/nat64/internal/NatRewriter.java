package zonegate.nat64.internal;

import java.nio.ByteBuffer;
import java.util.random.RandomGenerator;
import zonegate.nat64.DropReason;
import zonegate.packet.IpPacket;

/**
 * The packet side of the DNS-resource NAT: re-addresses a packet of a flow, in place and with
 * incremental checksums when the family stays, through the RFC 7915 translator when it changes.
 * Addresses are in the NAT's 128-bit form (IPv4 {@code ::ffff:a.b.c.d}, the address in the low 32 bits).
 * Ports and echo identifiers are always rewritten in the input packet first (its views keep every
 * checksum valid, the enclosing ICMP one included), so the translator only has addresses to change.
 */
public final class NatRewriter {
    private final Translate6To4 to4;
    private final Translate4To6 to6;
    private final AddressPlan plan = new AddressPlan();

    /** @param identifications IPv4 identification source for packets translated from IPv6 */
    public NatRewriter(RandomGenerator identifications) {
        to4 = new Translate6To4(identifications, false);
        to6 = new Translate4To6(false);
    }

    /** A client's packet towards a resource: source becomes {@code local:localPort}, destination the remote. */
    public int outbound(IpPacket p, int localPort, long localHigh, long localLow, long remoteHigh, long remoteLow,
                        int remoteFamily, ByteBuffer out, int off, int capacityBytes) {
        setSourcePortOrId(p, localPort);
        if (p.version() == remoteFamily) {
            setAddresses(p, localHigh, localLow, remoteHigh, remoteLow);
            return copy(p, out, off, capacityBytes);
        }
        fillOuter(remoteFamily, localHigh, localLow, remoteHigh, remoteLow);
        return remoteFamily == 4 ? to4.translate(p, plan, out, off, capacityBytes)
                : to6.translate(p, plan, out, off, capacityBytes);
    }

    /**
     * A resource's packet (or an ICMP error about one of ours) back to the client: it comes from the proxy
     * address and goes to the client's port; an error's quoted packet is rewritten the opposite way.
     */
    public int inbound(IpPacket p, boolean error, int clientPort, long proxyHigh, long proxyLow, long clientHigh,
                       long clientLow, int clientFamily, ByteBuffer out, int off, int capacityBytes) {
        IpPacket quoted = error ? p.quoted() : null;
        if (quoted != null) {
            setSourcePortOrId(quoted, clientPort);
        } else if (!p.setDestinationPort(clientPort)) {
            setIdentifier(p, clientPort);
        }
        if (p.version() == clientFamily) {
            if (quoted != null) {
                setAddresses(quoted, clientHigh, clientLow, proxyHigh, proxyLow);
            }
            setAddresses(p, proxyHigh, proxyLow, clientHigh, clientLow);
            return copy(p, out, off, capacityBytes);
        }
        fillOuter(clientFamily, proxyHigh, proxyLow, clientHigh, clientLow);
        plan.innerSource4 = (int) clientLow;
        plan.innerDestination4 = (int) proxyLow;
        plan.innerSourceHigh = clientHigh;
        plan.innerSourceLow = clientLow;
        plan.innerDestinationHigh = proxyHigh;
        plan.innerDestinationLow = proxyLow;
        return clientFamily == 4 ? to4.translate(p, plan, out, off, capacityBytes)
                : to6.translate(p, plan, out, off, capacityBytes);
    }

    private void fillOuter(int family, long sourceHigh, long sourceLow, long destinationHigh, long destinationLow) {
        if (family == 4) {
            plan.source4 = (int) sourceLow;
            plan.destination4 = (int) destinationLow;
        } else {
            plan.sourceHigh = sourceHigh;
            plan.sourceLow = sourceLow;
            plan.destinationHigh = destinationHigh;
            plan.destinationLow = destinationLow;
        }
    }

    private static void setSourcePortOrId(IpPacket p, int port) {
        if (!p.setSourcePort(port)) {
            setIdentifier(p, port);
        }
    }

    private static void setIdentifier(IpPacket p, int id) {
        if (p.icmpv4() != null) {
            p.icmpv4().setIdentifier(id);
        } else if (p.icmpv6() != null) {
            p.icmpv6().setIdentifier(id);
        }
    }

    private static void setAddresses(IpPacket p, long sourceHigh, long sourceLow, long destinationHigh,
                                     long destinationLow) {
        if (p.version() == 4) {
            p.ipv4().setSource((int) sourceLow);
            p.ipv4().setDestination((int) destinationLow);
        } else {
            p.ipv6().setSource(sourceHigh, sourceLow);
            p.ipv6().setDestination(destinationHigh, destinationLow);
        }
    }

    private static int copy(IpPacket p, ByteBuffer out, int off, int capacityBytes) {
        int length = p.lengthBytes();
        if (capacityBytes < length) {
            return DropReason.OUTPUT_TOO_SMALL.code();
        }
        if (out != p.buffer() || off != p.offset()) {
            out.put(off, p.buffer(), p.offset(), length);
        }
        return length;
    }
}
