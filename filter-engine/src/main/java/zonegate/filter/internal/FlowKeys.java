package zonegate.filter.internal;

import zonegate.packet.Icmpv4View;
import zonegate.packet.Icmpv6View;
import zonegate.packet.IpPacket;

/**
 * The {@link FlowTable} key of a packet, seen from either end of a flow the client opened. A flow is
 * keyed as the client sends it: (version, protocol, client port, remote port) and the remote address,
 * where the client port is the TCP/UDP source port or the ICMP echo identifier (0 for other ICMP) and
 * the remote port is -1 without one (ICMP, other protocols, non-first fragments). A reply swaps the two
 * ends: its destination port is the client port, its source the remote end.
 */
public final class FlowKeys {
    private FlowKeys() {
    }

    /** The key's meta of a packet the client sends. */
    public static long outbound(IpPacket p) {
        return FlowTable.meta(p.version(), p.protocol(), clientPort(p), p.destinationPort());
    }

    /** The key's meta of a packet sent to the client (a reply: its ports swapped). */
    public static long reply(IpPacket p) {
        int clientPort = isEcho(p) ? echoId(p) : p.destinationPort();
        return FlowTable.meta(p.version(), p.protocol(), clientPort, p.sourcePort());
    }

    /** The TCP/UDP source port, the ICMP echo identifier, 0 for other ICMP, or -1. */
    public static int clientPort(IpPacket p) {
        if (p.icmpv4() != null || p.icmpv6() != null) {
            return isEcho(p) ? echoId(p) : 0;
        }
        return p.sourcePort();
    }

    public static boolean isIcmpError(IpPacket p) {
        Icmpv4View icmp4 = p.icmpv4();
        Icmpv6View icmp6 = p.icmpv6();
        return icmp4 != null ? icmp4.isError() : icmp6 != null && icmp6.isError();
    }

    public static boolean isEchoRequest(IpPacket p) {
        Icmpv4View icmp4 = p.icmpv4();
        Icmpv6View icmp6 = p.icmpv6();
        return icmp4 != null ? icmp4.isEchoRequest() : icmp6 != null && icmp6.isEchoRequest();
    }

    /** ICMP or ICMPv6 that is neither an echo reply nor an error (what no flow the client opened answers with). */
    public static boolean isUnansweringIcmp(IpPacket p) {
        Icmpv4View icmp4 = p.icmpv4();
        Icmpv6View icmp6 = p.icmpv6();
        if (icmp4 != null) {
            return !icmp4.isEchoReply() && !icmp4.isError();
        }
        return icmp6 != null && !icmp6.isEchoReply() && !icmp6.isError();
    }

    public static long sourceHigh(IpPacket p) {
        return p.version() == 4 ? 0 : p.ipv6().sourceHigh();
    }

    public static long sourceLow(IpPacket p) {
        return p.version() == 4 ? p.ipv4().source() & 0xFFFF_FFFFL : p.ipv6().sourceLow();
    }

    public static long destinationHigh(IpPacket p) {
        return p.version() == 4 ? 0 : p.ipv6().destinationHigh();
    }

    public static long destinationLow(IpPacket p) {
        return p.version() == 4 ? p.ipv4().destination() & 0xFFFF_FFFFL : p.ipv6().destinationLow();
    }

    private static boolean isEcho(IpPacket p) {
        Icmpv4View icmp4 = p.icmpv4();
        Icmpv6View icmp6 = p.icmpv6();
        if (icmp4 != null) {
            return icmp4.isEchoRequest() || icmp4.isEchoReply();
        }
        return icmp6 != null && (icmp6.isEchoRequest() || icmp6.isEchoReply());
    }

    private static int echoId(IpPacket p) {
        return p.icmpv4() != null ? p.icmpv4().identifier() : p.icmpv6().identifier();
    }
}
