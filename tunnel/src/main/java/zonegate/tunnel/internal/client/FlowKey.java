package zonegate.tunnel.internal.client;

import zonegate.packet.Icmpv4View;
import zonegate.packet.Icmpv6View;
import zonegate.packet.IpPacket;
import zonegate.packet.IpProtocol;
import zonegate.packet.Ipv4View;
import zonegate.packet.Ipv6View;

/**
 * The flow fields of a packet, read into reusable primitive fields (one instance per owner, so reading
 * allocates nothing). IPv4 addresses sit in the low 32 bits of {@code *Low} with {@code *High = 0}; the
 * version keeps them apart from IPv6's {@code ::a.b.c.d}.
 *
 * <p>{@link #ports} is {@code sourcePort << 16 | destinationPort} for TCP and UDP, the identifier for an
 * ICMP echo request or reply, and 0 for other ICMP messages and for non-first fragments (no transport
 * header to read), which therefore share one key per destination and protocol.
 */
final class FlowKey {
    int version;
    int protocol;
    long sourceHigh;
    long sourceLow;
    long destinationHigh;
    long destinationLow;
    int ports;

    /** Reads the fields of {@code packet}. */
    void read(IpPacket packet) {
        version = packet.version();
        protocol = packet.protocol();
        Ipv4View v4 = packet.ipv4();
        if (v4 != null) {
            sourceHigh = 0;
            sourceLow = v4.source() & 0xFFFF_FFFFL;
            destinationHigh = 0;
            destinationLow = v4.destination() & 0xFFFF_FFFFL;
        } else {
            Ipv6View v6 = packet.ipv6();
            sourceHigh = v6.sourceHigh();
            sourceLow = v6.sourceLow();
            destinationHigh = v6.destinationHigh();
            destinationLow = v6.destinationLow();
        }
        ports = portsOf(packet);
    }

    /** Version and protocol in one int. */
    int meta() {
        return version << 8 | protocol;
    }

    private static int portsOf(IpPacket packet) {
        if (packet.protocol() == IpProtocol.TCP || packet.protocol() == IpProtocol.UDP) {
            int source = packet.sourcePort();
            int destination = packet.destinationPort();
            return source < 0 || destination < 0 ? 0 : source << 16 | destination;
        }
        Icmpv4View icmp4 = packet.icmpv4();
        if (icmp4 != null) {
            return icmp4.isEchoRequest() || icmp4.isEchoReply() ? Math.max(0, icmp4.identifier()) : 0;
        }
        Icmpv6View icmp6 = packet.icmpv6();
        if (icmp6 != null) {
            return icmp6.isEchoRequest() || icmp6.isEchoReply() ? Math.max(0, icmp6.identifier()) : 0;
        }
        return 0;
    }
}
