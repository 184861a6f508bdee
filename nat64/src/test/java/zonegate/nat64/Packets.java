package zonegate.nat64;

import java.nio.ByteBuffer;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;

/** Builders of test packets with valid checksums (the packet module computes them in full). */
final class Packets {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ICMPV6 = 58;

    private Packets() {
    }

    /** A transport segment: TCP (20-byte header, flags), UDP, or ICMP echo / error header + body. */
    static byte[] tcp(int sourcePort, int destinationPort, int flags, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(20 + payload.length);
        b.putShort((short) sourcePort).putShort((short) destinationPort).putInt(0x01020304).putInt(0x0A0B0C0D);
        b.put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0);
        b.put(payload);
        return b.array();
    }

    static byte[] udp(int sourcePort, int destinationPort, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload.length);
        b.putShort((short) sourcePort).putShort((short) destinationPort).putShort((short) (8 + payload.length))
                .putShort((short) 0).put(payload);
        return b.array();
    }

    /** An ICMP message: type, code, zero checksum, the 4-byte rest of header, then the body. */
    static byte[] icmp(int type, int code, int restOfHeader, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(8 + body.length);
        b.put((byte) type).put((byte) code).putShort((short) 0).putInt(restOfHeader).put(body);
        return b.array();
    }

    /** An IPv4 packet; transport checksums computed when the segment is complete. */
    static byte[] ipv4(int tos, int identification, int flagsOffset, int ttl, int protocol, int source,
                       int destination, byte[] transport) {
        ByteBuffer b = ByteBuffer.allocate(20 + transport.length);
        b.putInt(0x4500_0000 | tos << 16 | 20 + transport.length).putShort((short) identification)
                .putShort((short) flagsOffset).put((byte) ttl).put((byte) protocol).putShort((short) 0)
                .putInt(source).putInt(destination).put(transport);
        return finish(b.array());
    }

    /** An IPv6 packet, with a fragment header when {@code fragmentOffsetFlags >= 0}. */
    static byte[] ipv6(int trafficClass, int hopLimit, int protocol, long sourceHigh, long sourceLow,
                       long destinationHigh, long destinationLow, int fragmentOffsetFlags, int fragmentId,
                       byte[] transport) {
        int extension = fragmentOffsetFlags >= 0 ? 8 : 0;
        ByteBuffer b = ByteBuffer.allocate(40 + extension + transport.length);
        b.putInt(0x6000_0000 | trafficClass << 20).putShort((short) (extension + transport.length))
                .put((byte) (extension > 0 ? 44 : protocol)).put((byte) hopLimit)
                .putLong(sourceHigh).putLong(sourceLow).putLong(destinationHigh).putLong(destinationLow);
        if (extension > 0) {
            b.put((byte) protocol).put((byte) 0).putShort((short) fragmentOffsetFlags).putInt(fragmentId);
        }
        b.put(transport);
        return finish(b.array());
    }

    static IpPacket parse(byte[] bytes) {
        return parse(ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    static IpPacket parse(ByteBuffer buffer, int offset, int length) {
        PacketParser parser = new PacketParser();
        IpPacket packet = parser.parseOrNull(buffer, offset, length);
        if (packet == null) {
            throw new AssertionError("test packet does not parse: " + parser.parse(buffer, offset, length));
        }
        return packet;
    }

    static byte[] bytes(ByteBuffer buffer, int offset, int length) {
        byte[] copy = new byte[length];
        buffer.get(offset, copy);
        return copy;
    }

    private static byte[] finish(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if ((bytes[0] >>> 4) == 4) {
            b.putShort(10, (short) zonegate.packet.Checksum.compute(b, 0, 20));
        }
        IpPacket packet = parse(bytes);
        packet.updateChecksums();
        if (packet.udp() != null && packet.version() == 4 && packet.isTransportComplete()) {
            b.putShort(packet.transportOffset() + 6, (short) packet.computeTransportChecksum());
        }
        return bytes;
    }
}
