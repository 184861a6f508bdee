package zonegate.tunnel.sim;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import zonegate.packet.IcmpWriter;
import zonegate.packet.IpPacket;
import zonegate.packet.IpProtocol;
import zonegate.packet.PacketParser;
import zonegate.packet.TcpView;

/**
 * IP packets for the simulations: built by hand with valid checksums, parsed back for assertions, and the
 * answers a site's hosts give (echo reply, echoed datagram, SYN-ACK), addresses and ports swapped.
 */
final class SimPackets {
    private SimPackets() {
    }

    static InetAddress ip(String text) {
        return InetAddress.ofLiteral(text);
    }

    static byte[] echoRequest(String source, String destination, int id, int sequence) {
        boolean v4 = ip(source) instanceof Inet4Address;
        byte[] icmp = new byte[8 + 16];
        icmp[0] = (byte) (v4 ? 8 : 128);
        icmp[4] = (byte) (id >> 8);
        icmp[5] = (byte) id;
        icmp[6] = (byte) (sequence >> 8);
        icmp[7] = (byte) sequence;
        return ip(source, destination, v4 ? IpProtocol.ICMP : IpProtocol.ICMPV6, icmp);
    }

    static byte[] tcpSyn(String source, int sourcePort, String destination, int destinationPort) {
        return tcp(source, sourcePort, destination, destinationPort, 1000, 0, TcpView.SYN);
    }

    static byte[] tcp(String source, int sourcePort, String destination, int destinationPort, long sequence,
            long acknowledgment, int flags) {
        ByteBuffer tcp = ByteBuffer.allocate(20);
        tcp.putShort(0, (short) sourcePort).putShort(2, (short) destinationPort).putInt(4, (int) sequence)
                .putInt(8, (int) acknowledgment).put(12, (byte) (5 << 4)).put(13, (byte) flags)
                .putShort(14, (short) 0xFFFF);
        return ip(source, destination, IpProtocol.TCP, tcp.array());
    }

    static byte[] udp(String source, int sourcePort, String destination, int destinationPort, byte[] payload) {
        ByteBuffer udp = ByteBuffer.allocate(8 + payload.length);
        udp.putShort(0, (short) sourcePort).putShort(2, (short) destinationPort).putShort(4, (short) (8 + payload.length))
                .put(8, payload);
        return ip(source, destination, IpProtocol.UDP, udp.array());
    }

    /** An IP packet with the given transport bytes; every checksum made valid. */
    static byte[] ip(String source, String destination, int protocol, byte[] transport) {
        return zonegate.tunnel.Packets.ip(source, destination, protocol, transport);
    }

    /** Parses a copy, failing the test if it does not parse. */
    static IpPacket parse(byte[] packet) {
        IpPacket p = new PacketParser().parseOrNull(ByteBuffer.wrap(packet.clone()), 0, packet.length);
        if (p == null) {
            throw new AssertionError("unparseable packet");
        }
        return p;
    }

    static String source(byte[] packet) {
        IpPacket p = parse(packet);
        return text(p.version() == 4 ? p.ipv4().sourceAddress() : p.ipv6().sourceAddress());
    }

    static String destination(byte[] packet) {
        IpPacket p = parse(packet);
        return text(p.version() == 4 ? p.ipv4().destinationAddress() : p.ipv6().destinationAddress());
    }

    /** The address as RFC 5952 writes it (IPv6 with the longest run of zero groups as "::"). */
    static String text(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (b[2 * i] & 0xFF) << 8 | b[2 * i + 1] & 0xFF;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    static int protocol(byte[] packet) {
        return parse(packet).protocol();
    }

    static int sourcePort(byte[] packet) {
        return parse(packet).sourcePort();
    }

    static int destinationPort(byte[] packet) {
        return parse(packet).destinationPort();
    }

    static boolean isEchoRequest(byte[] packet) {
        IpPacket p = parse(packet);
        return p.icmpv4() != null && p.icmpv4().isEchoRequest() || p.icmpv6() != null && p.icmpv6().isEchoRequest();
    }

    static boolean isEchoReply(byte[] packet) {
        IpPacket p = parse(packet);
        return p.icmpv4() != null && p.icmpv4().isEchoReply() || p.icmpv6() != null && p.icmpv6().isEchoReply();
    }

    /** The TCP flags, or -1 for another protocol. */
    static int tcpFlags(byte[] packet) {
        IpPacket p = parse(packet);
        return p.tcp() == null ? -1 : p.tcp().flags();
    }

    /** The ICMP (or ICMPv6) type, or -1 for another protocol. */
    static int icmpType(byte[] packet) {
        IpPacket p = parse(packet);
        return p.icmpv4() != null ? p.icmpv4().type() : p.icmpv6() != null ? p.icmpv6().type() : -1;
    }

    static int icmpCode(byte[] packet) {
        IpPacket p = parse(packet);
        return p.icmpv4() != null ? p.icmpv4().code() : p.icmpv6() != null ? p.icmpv6().code() : -1;
    }

    /** Whether every checksum of the packet (IP header and transport) is right. */
    static boolean checksumsValid(byte[] packet) {
        return parse(packet).hasValidChecksums();
    }

    static byte[] udpPayload(byte[] packet) {
        IpPacket p = parse(packet);
        byte[] payload = new byte[p.udp().payloadLengthBytes()];
        p.buffer().get(p.udp().payloadOffset(), payload);
        return payload;
    }

    /** The echo reply a host sends to an echo request. */
    static byte[] echoReply(byte[] request) {
        IpPacket p = parse(request);
        ByteBuffer out = ByteBuffer.allocate(request.length + 64);
        int n = IcmpWriter.writeEchoReply(p, out, 0, out.capacity());
        if (n == 0) {
            return null;
        }
        byte[] reply = new byte[n];
        out.get(0, reply);
        return reply;
    }

    /** The same payload sent back to the datagram's source. */
    static byte[] udpEcho(byte[] datagram) {
        return udp(destination(datagram), destinationPort(datagram), source(datagram), sourcePort(datagram),
                udpPayload(datagram));
    }

    /** A listening host's SYN-ACK to a SYN. */
    static byte[] synAck(byte[] syn) {
        IpPacket p = parse(syn);
        return tcp(destination(syn), p.destinationPort(), source(syn), p.sourcePort(), 5000,
                p.tcp().sequenceNumber() + 1, TcpView.SYN | TcpView.ACK);
    }
}
