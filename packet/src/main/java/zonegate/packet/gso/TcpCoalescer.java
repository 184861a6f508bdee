package zonegate.packet.gso;

import java.nio.ByteBuffer;
import zonegate.packet.Checksum;
import zonegate.packet.internal.Bytes;

/**
 * Joins consecutive TCP segments of one flow into one TSO super-packet behind a {@link VirtioNetHeader}
 * (GRO before a TUN write), so the kernel takes them in one syscall and one pass through its stack.
 *
 * <p>A segment joins the super-packet when, as for the kernel's own {@code tcp_gro_receive}: it has the
 * same IP version, addresses, TOS/traffic class, TTL/hop limit (and for IPv4 no options, no fragment,
 * the same DF bit; for IPv6 the same flow label and no extension headers), the same ports,
 * acknowledgement number, window and option bytes (the timestamps included); its sequence number
 * continues the super-packet; its flags are ACK, or ACK|PSH for the last one; its payload is not larger
 * than the first segment's ({@code gso_size}), and a smaller one ends the super-packet; its TCP checksum
 * is valid (the kernel trusts the partial checksum of the result, so a corrupt segment must not hide
 * in it); and the result stays within 65,535 bytes and the output buffer.
 *
 * <p>Usage per run of packets (one instance per writer thread, no allocation):
 *
 * <pre>{@code
 * boolean open = coalescer.begin(scratch, 0, packets[i], pos, len);    // copies the first packet
 * while (open && j < n && coalescer.append(packets[j], pos, len)) j++;
 * int bytes = coalescer.finish();     // virtio header + packet, at scratch[0, bytes)
 * }</pre>
 *
 * <p>A run of one packet, or a packet that cannot start a super-packet, comes out unchanged behind an
 * all-zero header. Packets are only ever joined to their immediate predecessor in the run, so the order
 * of packets is kept exactly.
 */
public final class TcpCoalescer {
    /** The largest IP packet a super-packet may grow to (the IPv4 total length and IPv6 payload length bound). */
    public static final int MAX_PACKET_BYTES = 65_535;

    private static final int TCP = 6;
    private static final int TCP_ACK = 0x10;
    private static final int TCP_PSH = 0x08;

    private ByteBuffer out;
    private int headerIndex;
    private int ip;
    private int limit;
    private int ipVersion;
    private int ipHeaderBytes;
    private int headerBytes;
    private int segmentPayloadBytes;
    private int length;
    private int segments;
    private int nextSequence;
    private boolean open;

    /**
     * Starts a super-packet at {@code out[headerIndex]} (virtio header, then the IP packet) with the packet
     * at {@code packet[index, index + packetLength)}, which is copied. Sets {@code out}'s limit to its capacity.
     *
     * @return whether later segments may join it; either way {@link #finish} writes a valid result
     * @throws IllegalArgumentException when the packet does not fit in {@code out}
     */
    public boolean begin(ByteBuffer out, int headerIndex, ByteBuffer packet, int index, int packetLength) {
        this.out = out;
        out.limit(out.capacity());
        this.headerIndex = headerIndex;
        this.ip = headerIndex + VirtioNetHeader.BYTES;
        this.limit = Math.min(out.capacity() - ip, MAX_PACKET_BYTES);
        if (packetLength > limit) {
            throw new IllegalArgumentException("packet of " + packetLength + " bytes does not fit the output buffer");
        }
        Bytes.copy(packet, index, out, ip, packetLength);
        length = packetLength;
        segments = 1;
        open = false;
        int payload = tcpPayload(packet, index, packetLength);
        if (payload > 0) {
            ipVersion = (packet.get(index) & 0xFF) >>> 4;
            ipHeaderBytes = ipVersion == 4 ? 20 : 40;
            headerBytes = packetLength - payload;
            segmentPayloadBytes = payload;
            nextSequence = Bytes.i32(packet, index + ipHeaderBytes + 4) + payload;
            open = (Bytes.u8(packet, index + ipHeaderBytes + 13) & TCP_PSH) == 0;
        }
        return open;
    }

    /**
     * Appends the packet at {@code packet[index, index + packetLength)} when it continues the super-packet
     * (see the class comment); otherwise leaves everything as it was.
     *
     * @return whether it was appended
     */
    public boolean append(ByteBuffer packet, int index, int packetLength) {
        if (!open || packetLength - headerBytes > segmentPayloadBytes || length + packetLength - headerBytes > limit
                || packetLength <= headerBytes || !sameFlowAndHeaders(packet, index)) {
            return false;
        }
        int payload = tcpPayload(packet, index, packetLength);
        if (payload != packetLength - headerBytes) {
            return false;
        }
        Bytes.copy(packet, index + headerBytes, out, ip + length, payload);
        length += payload;
        segments++;
        nextSequence += payload;
        int flags = Bytes.u8(packet, index + ipHeaderBytes + 13);
        if ((flags & TCP_PSH) != 0) {
            Bytes.put8(out, ip + ipHeaderBytes + 13, flags);
            open = false;
        }
        if (payload < segmentPayloadBytes) {
            open = false;
        }
        return true;
    }

    /**
     * Writes the virtio header (and, for more than one segment, the super-packet's IP length, IPv4 header
     * checksum and the partial TCP checksum the kernel completes per segment).
     *
     * @return bytes from {@code headerIndex} to the end of the packet: {@link VirtioNetHeader#BYTES} + IP length
     */
    public int finish() {
        if (segments == 1) {
            VirtioNetHeader.writeNone(out, headerIndex);
            return VirtioNetHeader.BYTES + length;
        }
        int pseudo = SuperPacketHeaders.setLengths(out, ip, ipVersion, ipHeaderBytes, length, TCP);
        Bytes.put16(out, ip + ipHeaderBytes + 16, pseudo);
        VirtioNetHeader.write(out, headerIndex, VirtioNetHeader.FLAG_NEEDS_CSUM,
                ipVersion == 4 ? VirtioNetHeader.GSO_TCPV4 : VirtioNetHeader.GSO_TCPV6, headerBytes,
                segmentPayloadBytes, ipHeaderBytes, 16);
        return VirtioNetHeader.BYTES + length;
    }

    /** Whether later segments may still join the super-packet begun last (no PSH, no smaller segment, no refusal at begin). */
    public boolean isOpen() {
        return open;
    }

    /** Segments in the super-packet begun last. */
    public int segments() {
        return segments;
    }

    private boolean sameFlowAndHeaders(ByteBuffer packet, int index) {
        int a = ip;
        int b = index;
        if (!SuperPacketHeaders.sameIpHeader(out, a, packet, b, ipVersion)) {
            return false;
        }
        int ta = a + ipHeaderBytes;
        int tb = b + ipHeaderBytes;
        if (Bytes.i32(out, ta) != Bytes.i32(packet, tb) || Bytes.i32(packet, tb + 4) != nextSequence
                || Bytes.i32(out, ta + 8) != Bytes.i32(packet, tb + 8) || Bytes.u8(out, ta + 12) != Bytes.u8(packet, tb + 12)
                || (Bytes.u8(out, ta + 13) & ~TCP_PSH) != (Bytes.u8(packet, tb + 13) & ~TCP_PSH)
                || Bytes.u16(out, ta + 14) != Bytes.u16(packet, tb + 14)) {
            return false;
        }
        for (int i = 20; i < headerBytes - ipHeaderBytes; i++) {
            if (out.get(ta + i) != packet.get(tb + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The TCP payload length of a packet that may take part in a super-packet, or 0 when it may not (not
     * TCP, IPv4 options or fragment, IPv6 extension headers, flags other than ACK and PSH, bad checksum).
     */
    private static int tcpPayload(ByteBuffer packet, int index, int packetLength) {
        if (packetLength < 40) {
            return 0;
        }
        int version = (packet.get(index) & 0xFF) >>> 4;
        int ipHeaderBytes;
        int pseudo;
        int tcpLength;
        if (version == 4) {
            if ((packet.get(index) & 0x0F) != 5 || Bytes.u16(packet, index + 2) != packetLength
                    || (Bytes.u16(packet, index + 6) & 0x3FFF) != 0 || Bytes.u8(packet, index + 9) != TCP) {
                return 0;
            }
            ipHeaderBytes = 20;
            tcpLength = packetLength - 20;
            pseudo = Checksum.pseudoHeaderSum4(Bytes.i32(packet, index + 12), Bytes.i32(packet, index + 16), TCP,
                    tcpLength);
        } else if (version == 6) {
            if (packetLength < 60 || Bytes.u16(packet, index + 4) + 40 != packetLength
                    || Bytes.u8(packet, index + 6) != TCP) {
                return 0;
            }
            ipHeaderBytes = 40;
            tcpLength = packetLength - 40;
            pseudo = Checksum.pseudoHeaderSum6(Bytes.i64(packet, index + 8), Bytes.i64(packet, index + 16),
                    Bytes.i64(packet, index + 24), Bytes.i64(packet, index + 32), TCP, tcpLength);
        } else {
            return 0;
        }
        int tcp = index + ipHeaderBytes;
        int tcpHeaderBytes = (Bytes.u8(packet, tcp + 12) & 0xF0) >>> 2;
        int flags = Bytes.u8(packet, tcp + 13);
        if (tcpHeaderBytes < 20 || tcpHeaderBytes > tcpLength || (flags & ~(TCP_ACK | TCP_PSH)) != 0
                || (flags & TCP_ACK) == 0 || tcpHeaderBytes == tcpLength
                || Checksum.add(pseudo, Checksum.sum(packet, tcp, tcpLength)) != 0xFFFF) {
            return 0;
        }
        return tcpLength - tcpHeaderBytes;
    }
}
