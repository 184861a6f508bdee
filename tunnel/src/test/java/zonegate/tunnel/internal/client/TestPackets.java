package zonegate.tunnel.internal.client;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import zonegate.packet.IpPacket;
import zonegate.packet.IpProtocol;
import zonegate.packet.PacketParser;
import zonegate.packet.TcpView;

/** Test packets built by hand, every checksum valid, and parsed views of them. */
final class TestPackets {
    private TestPackets() {
    }

    static InetAddress ip(String text) {
        return InetAddress.ofLiteral(text);
    }

    static byte[] tcp(String source, int sourcePort, String destination, int destinationPort, int flags, int payloadBytes) {
        byte[] tcp = new byte[20 + payloadBytes];
        ports(tcp, sourcePort, destinationPort);
        tcp[7] = 1;
        tcp[12] = 5 << 4;
        tcp[13] = (byte) flags;
        tcp[14] = (byte) 0xFF;
        for (int i = 0; i < payloadBytes; i++) {
            tcp[20 + i] = (byte) i;
        }
        return ip(source, destination, IpProtocol.TCP, tcp);
    }

    static byte[] syn(String source, int sourcePort, String destination, int destinationPort) {
        return tcp(source, sourcePort, destination, destinationPort, TcpView.SYN, 0);
    }

    static byte[] udp(String source, int sourcePort, String destination, int destinationPort, int payloadBytes) {
        byte[] udp = new byte[8 + payloadBytes];
        ports(udp, sourcePort, destinationPort);
        udp[4] = (byte) (udp.length >> 8);
        udp[5] = (byte) udp.length;
        for (int i = 0; i < payloadBytes; i++) {
            udp[8 + i] = (byte) (i * 7);
        }
        return ip(source, destination, IpProtocol.UDP, udp);
    }

    static byte[] echoRequest(String source, String destination, int identifier, int sequence) {
        boolean v4 = ip(source) instanceof Inet4Address;
        byte[] icmp = new byte[8 + 8];
        icmp[0] = (byte) (v4 ? 8 : 128);
        icmp[4] = (byte) (identifier >> 8);
        icmp[5] = (byte) identifier;
        icmp[6] = (byte) (sequence >> 8);
        icmp[7] = (byte) sequence;
        return ip(source, destination, v4 ? IpProtocol.ICMP : IpProtocol.ICMPV6, icmp);
    }

    /** A copy of an IPv4 packet with another identification field (header checksum fixed). */
    static byte[] withIdentification(byte[] packet, int identification) {
        ByteBuffer b = ByteBuffer.wrap(packet.clone());
        b.putShort(4, (short) identification);
        b.putShort(10, (short) 0);
        b.putShort(10, (short) zonegate.packet.Checksum.compute(b, 0, 20));
        return b.array();
    }

    /** A parsed view of a copy of {@code packet}, from a parser of its own. */
    static IpPacket parse(byte[] packet) {
        IpPacket p = new PacketParser().parseOrNull(ByteBuffer.wrap(packet.clone()), 0, packet.length);
        if (p == null) {
            throw new AssertionError("built an unparseable packet");
        }
        return p;
    }

    private static void ports(byte[] transport, int sourcePort, int destinationPort) {
        transport[0] = (byte) (sourcePort >> 8);
        transport[1] = (byte) sourcePort;
        transport[2] = (byte) (destinationPort >> 8);
        transport[3] = (byte) destinationPort;
    }

    private static byte[] ip(String source, String destination, int protocol, byte[] transport) {
        return zonegate.tunnel.Packets.ip(source, destination, protocol, transport);
    }
}
