package zonegate.packet;

import java.nio.ByteBuffer;
import java.util.Objects;
import zonegate.packet.internal.Bytes;
import zonegate.packet.internal.HeaderWriter;

/**
 * Builds UDP datagrams the gateway originates (DNS answers, p2p control), into a caller-provided
 * buffer: an IPv4 or IPv6 header, the UDP header with a valid checksum (a computed 0 is sent as
 * 0xFFFF), then the payload copied from {@code payload[payloadOffset, payloadOffset + payloadBytes)}.
 * Addresses are in the forms {@link Ipv4View} and {@link Ipv6View} use. Payload and output must not
 * overlap.
 */
public final class UdpWriter {
    private UdpWriter() {
    }

    /**
     * @return bytes written (20 + 8 + payloadBytes)
     * @throws IllegalArgumentException if the datagram exceeds {@code capacityBytes} or 65535 bytes
     */
    public static int writeIpv4(int source, int sourcePort, int destination, int destinationPort, ByteBuffer payload,
                                int payloadOffset, int payloadBytes, ByteBuffer out, int offset, int capacityBytes) {
        int udpBytes = UdpView.HEADER_BYTES + payloadBytes;
        int total = Ipv4View.MIN_HEADER_BYTES + udpBytes;
        checkRoom(out, offset, capacityBytes, total, total);
        HeaderWriter.ipv4(out, offset, total, IpProtocol.UDP, source, destination);
        int pseudo = Checksum.pseudoHeaderSum4(source, destination, IpProtocol.UDP, udpBytes);
        writeUdp(offset + Ipv4View.MIN_HEADER_BYTES, sourcePort, destinationPort, payload, payloadOffset, payloadBytes,
                out, pseudo);
        return total;
    }

    /**
     * @return bytes written (40 + 8 + payloadBytes)
     * @throws IllegalArgumentException if the datagram exceeds {@code capacityBytes} or its UDP length 65535 bytes
     */
    public static int writeIpv6(long sourceHigh, long sourceLow, int sourcePort, long destinationHigh, long destinationLow,
                                int destinationPort, ByteBuffer payload, int payloadOffset, int payloadBytes,
                                ByteBuffer out, int offset, int capacityBytes) {
        int udpBytes = UdpView.HEADER_BYTES + payloadBytes;
        int total = Ipv6View.HEADER_BYTES + udpBytes;
        if (udpBytes > 0xFFFF) {
            throw new IllegalArgumentException("UDP datagram of " + udpBytes + " bytes exceeds 65535");
        }
        checkRoom(out, offset, capacityBytes, total - Ipv6View.HEADER_BYTES, total);
        HeaderWriter.ipv6(out, offset, udpBytes, IpProtocol.UDP, sourceHigh, sourceLow, destinationHigh, destinationLow);
        int pseudo = Checksum.pseudoHeaderSum6(sourceHigh, sourceLow, destinationHigh, destinationLow, IpProtocol.UDP,
                udpBytes);
        writeUdp(offset + Ipv6View.HEADER_BYTES, sourcePort, destinationPort, payload, payloadOffset, payloadBytes, out,
                pseudo);
        return total;
    }

    private static void writeUdp(int at, int sourcePort, int destinationPort, ByteBuffer payload, int payloadOffset,
                                 int payloadBytes, ByteBuffer out, int pseudoHeaderSum) {
        int udpBytes = UdpView.HEADER_BYTES + payloadBytes;
        Bytes.put32(out, at, (sourcePort & 0xFFFF) << 16 | (destinationPort & 0xFFFF));
        Bytes.put32(out, at + 4, udpBytes << 16);
        Bytes.copy(payload, payloadOffset, out, at + UdpView.HEADER_BYTES, payloadBytes);
        int checksum = Checksum.computeSkipping(out, at, udpBytes, at + UdpView.CHECKSUM, pseudoHeaderSum);
        Bytes.put16(out, at + UdpView.CHECKSUM, checksum == 0 ? 0xFFFF : checksum);
    }

    private static void checkRoom(ByteBuffer out, int offset, int capacityBytes, int lengthFieldBytes, int totalBytes) {
        if (lengthFieldBytes > 0xFFFF || totalBytes > capacityBytes) {
            throw new IllegalArgumentException("datagram of " + totalBytes + " bytes, capacity " + capacityBytes);
        }
        Objects.checkFromIndexSize(offset, capacityBytes, out.limit());
    }
}
