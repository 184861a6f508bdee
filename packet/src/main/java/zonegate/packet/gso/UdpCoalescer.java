package zonegate.packet.gso;

import java.nio.ByteBuffer;
import zonegate.packet.Checksum;
import zonegate.packet.IpProtocol;
import zonegate.packet.internal.Bytes;

/**
 * Joins consecutive UDP datagrams of one flow into one USO super-packet behind a {@link VirtioNetHeader}
 * ({@code VIRTIO_NET_HDR_GSO_UDP_L4}), so the kernel takes them in one TUN write and one pass through its
 * forwarding path, and cuts them back into the same datagrams where they leave it (or at the receiving
 * socket). The UDP twin of {@link TcpCoalescer}, with the same usage.
 *
 * <p>A datagram joins the super-packet when it has the same IP version, addresses, TOS/traffic class,
 * TTL/hop limit (and for IPv4 no options, no fragment and the same DF bit; for IPv6 the same flow label
 * and no extension headers), the same ports; its payload is as long as the first datagram's
 * ({@code gso_size}), or shorter, which ends the super-packet; its UDP checksum is valid (an IPv4 datagram
 * sent without one goes alone: the kernel would give each segment one); and the result stays within 65,535 bytes,
 * {@link #MAX_SEGMENTS} datagrams and the output buffer. A datagram without payload never joins. The
 * kernel gives the segments of an IPv4 super-packet consecutive IP identifications from the first's.
 *
 * <p>A run of one datagram, or a packet that cannot start a super-packet, comes out unchanged behind an
 * all-zero header; datagrams are only ever joined to their immediate predecessor, so order is kept.
 */
public final class UdpCoalescer {
    /** The most datagrams in one super-packet (the kernel refuses more than UDP_MAX_SEGMENTS; 64 is below every kernel's). */
    public static final int MAX_SEGMENTS = 64;

    private static final int UDP_HEADER_BYTES = 8;

    private ByteBuffer out;
    private int headerIndex;
    private int ip;
    private int limit;
    private int ipVersion;
    private int ipHeaderBytes;
    private int segmentPayloadBytes;
    private int length;
    private int segments;
    private boolean open;

    /**
     * Starts a super-packet at {@code out[headerIndex]} (virtio header, then the IP packet) with the packet
     * at {@code packet[index, index + packetLength)}, which is copied. Sets {@code out}'s limit to its capacity.
     *
     * @return whether later datagrams may join it; either way {@link #finish} writes a valid result
     * @throws IllegalArgumentException when the packet does not fit in {@code out}
     */
    public boolean begin(ByteBuffer out, int headerIndex, ByteBuffer packet, int index, int packetLength) {
        this.out = out;
        out.limit(out.capacity());
        this.headerIndex = headerIndex;
        this.ip = headerIndex + VirtioNetHeader.BYTES;
        this.limit = Math.min(out.capacity() - ip, TcpCoalescer.MAX_PACKET_BYTES);
        if (packetLength > limit) {
            throw new IllegalArgumentException("packet of " + packetLength + " bytes does not fit the output buffer");
        }
        Bytes.copy(packet, index, out, ip, packetLength);
        length = packetLength;
        segments = 1;
        int payload = udpPayload(packet, index, packetLength);
        open = payload > 0;
        if (open) {
            ipVersion = (packet.get(index) & 0xFF) >>> 4;
            ipHeaderBytes = ipVersion == 4 ? 20 : 40;
            segmentPayloadBytes = payload;
        }
        return open;
    }

    /**
     * Appends the datagram at {@code packet[index, index + packetLength)} when it continues the super-packet
     * (see the class comment); otherwise leaves everything as it was.
     *
     * @return whether it was appended
     */
    public boolean append(ByteBuffer packet, int index, int packetLength) {
        int headerBytes = ipHeaderBytes + UDP_HEADER_BYTES;
        if (!open || packetLength - headerBytes > segmentPayloadBytes || length + packetLength - headerBytes > limit
                || packetLength <= headerBytes || !sameFlowAndHeaders(packet, index)
                || udpPayload(packet, index, packetLength) != packetLength - headerBytes) {
            return false;
        }
        int payload = packetLength - headerBytes;
        Bytes.copy(packet, index + headerBytes, out, ip + length, payload);
        length += payload;
        segments++;
        if (payload < segmentPayloadBytes || segments == MAX_SEGMENTS) {
            open = false;
        }
        return true;
    }

    /**
     * Writes the virtio header (and, for more than one datagram, the super-packet's IP length, IPv4 header
     * checksum, UDP length and the partial UDP checksum the kernel completes per segment).
     *
     * @return bytes from {@code headerIndex} to the end of the packet: {@link VirtioNetHeader#BYTES} + IP length
     */
    public int finish() {
        if (segments == 1) {
            VirtioNetHeader.writeNone(out, headerIndex);
            return VirtioNetHeader.BYTES + length;
        }
        int udpLength = length - ipHeaderBytes;
        int pseudo = SuperPacketHeaders.setLengths(out, ip, ipVersion, ipHeaderBytes, length, IpProtocol.UDP);
        Bytes.put16(out, ip + ipHeaderBytes + 4, udpLength);
        Bytes.put16(out, ip + ipHeaderBytes + 6, pseudo);
        VirtioNetHeader.write(out, headerIndex, VirtioNetHeader.FLAG_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4,
                ipHeaderBytes + UDP_HEADER_BYTES, segmentPayloadBytes, ipHeaderBytes, 6);
        return VirtioNetHeader.BYTES + length;
    }

    /** Whether later datagrams may still join the super-packet begun last. */
    public boolean isOpen() {
        return open;
    }

    /** Datagrams in the super-packet begun last. */
    public int segments() {
        return segments;
    }

    private boolean sameFlowAndHeaders(ByteBuffer packet, int index) {
        return SuperPacketHeaders.sameIpHeader(out, ip, packet, index, ipVersion)
                && Bytes.i32(out, ip + ipHeaderBytes) == Bytes.i32(packet, index + ipHeaderBytes);
    }

    /**
     * The UDP payload length of a datagram that may take part in a super-packet, or 0 when it may not (not
     * UDP, IPv4 options or fragment, IPv6 extension headers, lengths that disagree, a bad or no checksum, no
     * payload).
     */
    private static int udpPayload(ByteBuffer packet, int index, int packetLength) {
        if (packetLength < 29) {
            return 0;
        }
        int version = (packet.get(index) & 0xFF) >>> 4;
        int ipHeaderBytes;
        int pseudo;
        int udpLength;
        if (version == 4) {
            if ((packet.get(index) & 0x0F) != 5 || Bytes.u16(packet, index + 2) != packetLength
                    || (Bytes.u16(packet, index + 6) & 0x3FFF) != 0 || Bytes.u8(packet, index + 9) != IpProtocol.UDP) {
                return 0;
            }
            ipHeaderBytes = 20;
            udpLength = packetLength - 20;
            pseudo = Checksum.pseudoHeaderSum4(Bytes.i32(packet, index + 12), Bytes.i32(packet, index + 16),
                    IpProtocol.UDP, udpLength);
        } else if (version == 6) {
            if (packetLength < 49 || Bytes.u16(packet, index + 4) + 40 != packetLength
                    || Bytes.u8(packet, index + 6) != IpProtocol.UDP) {
                return 0;
            }
            ipHeaderBytes = 40;
            udpLength = packetLength - 40;
            pseudo = Checksum.pseudoHeaderSum6(Bytes.i64(packet, index + 8), Bytes.i64(packet, index + 16),
                    Bytes.i64(packet, index + 24), Bytes.i64(packet, index + 32), IpProtocol.UDP, udpLength);
        } else {
            return 0;
        }
        int udp = index + ipHeaderBytes;
        if (Bytes.u16(packet, udp + 4) != udpLength) {
            return 0;
        }
        if (Bytes.u16(packet, udp + 6) == 0 || Checksum.add(pseudo, Checksum.sum(packet, udp, udpLength)) != 0xFFFF) {
            return 0;
        }
        return udpLength - UDP_HEADER_BYTES;
    }
}
