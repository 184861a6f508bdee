package zonegate.tunnel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import zonegate.packet.Checksum;
import zonegate.packet.IcmpError;
import zonegate.packet.IcmpWriter;
import zonegate.packet.IpPacket;
import zonegate.packet.IpProtocol;
import zonegate.packet.PacketParser;

/** Test packets: built by hand with valid checksums, and parsed back for assertions. */
public final class Packets {
    private Packets() {
    }

    public static InetAddress ip(String text) {
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
        byte[] tcp = new byte[20];
        tcp[0] = (byte) (sourcePort >> 8);
        tcp[1] = (byte) sourcePort;
        tcp[2] = (byte) (destinationPort >> 8);
        tcp[3] = (byte) destinationPort;
        tcp[7] = 1;
        tcp[12] = 5 << 4;
        tcp[13] = 0x02;
        tcp[14] = (byte) 0xFF;
        return ip(source, destination, IpProtocol.TCP, tcp);
    }

    static byte[] udp(String source, int sourcePort, String destination, int destinationPort, byte[] payload) {
        byte[] udp = new byte[8 + payload.length];
        udp[0] = (byte) (sourcePort >> 8);
        udp[1] = (byte) sourcePort;
        udp[2] = (byte) (destinationPort >> 8);
        udp[3] = (byte) destinationPort;
        udp[4] = (byte) (udp.length >> 8);
        udp[5] = (byte) udp.length;
        System.arraycopy(payload, 0, udp, 8, payload.length);
        return ip(source, destination, IpProtocol.UDP, udp);
    }

    /** An IP packet with the given transport bytes; every checksum made valid. */
    public static byte[] ip(String source, String destination, int protocol, byte[] transport) {
        InetAddress src = ip(source);
        InetAddress dst = ip(destination);
        ByteBuffer b;
        if (src instanceof Inet4Address) {
            b = ByteBuffer.allocate(20 + transport.length);
            b.put(0, (byte) 0x45);
            b.putShort(2, (short) (20 + transport.length));
            b.put(8, (byte) 64);
            b.put(9, (byte) protocol);
            b.put(12, src.getAddress());
            b.put(16, dst.getAddress());
            b.putShort(10, (short) Checksum.compute(b, 0, 20));
            b.put(20, transport);
        } else {
            b = ByteBuffer.allocate(40 + transport.length);
            b.put(0, (byte) 0x60);
            b.putShort(4, (short) transport.length);
            b.put(6, (byte) protocol);
            b.put(7, (byte) 64);
            b.put(8, src.getAddress());
            b.put(24, ((Inet6Address) dst).getAddress());
            b.put(40, transport);
        }
        IpPacket p = new PacketParser().parseOrNull(b, 0, b.capacity());
        if (p == null) {
            throw new AssertionError("built an unparseable packet");
        }
        p.updateChecksums();
        return b.array();
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
        return (p.version() == 4 ? p.ipv4().sourceAddress() : p.ipv6().sourceAddress()).getHostAddress();
    }

    static String destination(byte[] packet) {
        IpPacket p = parse(packet);
        return (p.version() == 4 ? p.ipv4().destinationAddress() : p.ipv6().destinationAddress()).getHostAddress();
    }

    /** The echo reply to an echo request, as a host would answer it. */
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

    /** The ICMP error a router on the path would send about {@code invoking}, from its destination. */
    static byte[] icmpError(byte[] invoking, IcmpError error) {
        ByteBuffer out = ByteBuffer.allocate(invoking.length + 128);
        int n = IcmpWriter.writeError(parse(invoking), error, 1280, out, 0, out.capacity());
        byte[] bytes = new byte[n];
        out.get(0, bytes);
        return bytes;
    }

    /** A copy of {@code packet} from {@code source} to {@code destination} (null keeps one; checksums kept valid). */
    static byte[] readdressed(byte[] packet, String source, String destination) {
        byte[] copy = packet.clone();
        IpPacket p = new PacketParser().parseOrNull(ByteBuffer.wrap(copy), 0, copy.length);
        if (source != null) {
            ByteBuffer a = ByteBuffer.wrap(ip(source).getAddress());
            if (p.version() == 4) {
                p.ipv4().setSource(a.getInt(0));
            } else {
                p.ipv6().setSource(a.getLong(0), a.getLong(8));
            }
        }
        if (destination != null) {
            ByteBuffer a = ByteBuffer.wrap(ip(destination).getAddress());
            if (p.version() == 4) {
                p.ipv4().setDestination(a.getInt(0));
            } else {
                p.ipv6().setDestination(a.getLong(0), a.getLong(8));
            }
        }
        return copy;
    }

    /** A copy of an IPv4 packet marked as a fragment at {@code offsetBytes} (a multiple of 8), more to come or not. */
    static byte[] fragment(byte[] ipv4, boolean more, int offsetBytes) {
        ByteBuffer b = ByteBuffer.wrap(ipv4.clone());
        b.putShort(6, (short) ((more ? 0x2000 : 0) | offsetBytes / 8));
        b.putShort(10, (short) 0);
        b.putShort(10, (short) Checksum.compute(b, 0, 20));
        return b.array();
    }

    static int icmpType(byte[] packet) {
        IpPacket p = parse(packet);
        return p.version() == 4 ? p.icmpv4().type() : p.icmpv6().type();
    }

    static int icmpCode(byte[] packet) {
        IpPacket p = parse(packet);
        return p.version() == 4 ? p.icmpv4().code() : p.icmpv6().code();
    }
}
