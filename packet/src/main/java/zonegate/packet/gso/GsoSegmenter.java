package zonegate.packet.gso;

import java.nio.ByteBuffer;
import zonegate.packet.Checksum;
import zonegate.packet.internal.Bytes;

/**
 * Cuts a packet read from a TUN device with a {@link VirtioNetHeader} into ordinary IP packets: a TSO
 * (TCP over IPv4 or IPv6) or USO (UDP) super-packet into {@code gso_size} segments, an ordinary packet
 * into itself, in both cases with every checksum complete (the kernel leaves the transport checksum
 * partial under {@link VirtioNetHeader#FLAG_NEEDS_CSUM}).
 *
 * <p>Per segment, as the kernel's own software GSO does ({@code tcp_gso_segment}, {@code __udp_gso_segment}):
 * IPv4 total length, identification (+ segment index) and header checksum; IPv6 payload length; TCP
 * sequence number (+ bytes before the segment), FIN and PSH only on the last segment, CWR only on the
 * first; UDP length; and the full TCP/UDP checksum over the pseudo-header and the segment.
 *
 * <p>A segmenter is a reusable plan: {@link #prepare} reads the headers once, {@link #writeSegment} writes
 * segment {@code i} into a caller's buffer. One instance per reader thread; no allocation.
 *
 * <pre>{@code
 * int count = segmenter.prepare(scratch, 0, VirtioNetHeader.BYTES, bytesRead - VirtioNetHeader.BYTES);
 * for (int i = 0; i < count; i++) {
 *     int length = segmenter.writeSegment(i, pooled.buffer(), 0);   // -1 if it does not fit
 * }
 * }</pre>
 */
public final class GsoSegmenter {
    /** {@link #prepare} result: the header or the packet is inconsistent (count it as a drop). */
    public static final int MALFORMED = -1;
    /** {@link #prepare} result: a gso_type this class does not segment (UFO, SCTP...). */
    public static final int UNSUPPORTED = -2;

    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;
    private static final int TCP_CWR = 0x80;

    private ByteBuffer source;
    private int packetIndex;
    private int packetLength;
    private int ipVersion;
    private int l4Offset;
    private int protocol;
    private int headerBytes;
    private int segmentPayloadBytes;
    private int count;
    private boolean plain;

    /**
     * Reads the virtio header at {@code headerIndex} and the IP packet at {@code [packetIndex, packetIndex +
     * packetLength)} of {@code source}. For an ordinary packet with a partial checksum it completes the
     * checksum in place.
     *
     * @return the number of segments (1 for an ordinary packet), {@link #MALFORMED} or {@link #UNSUPPORTED}
     */
    public int prepare(ByteBuffer source, int headerIndex, int packetIndex, int packetLength) {
        this.source = source;
        this.packetIndex = packetIndex;
        this.packetLength = packetLength;
        count = 0;
        if (packetLength < 1) {
            return MALFORMED;
        }
        int gsoType = VirtioNetHeader.gsoType(source, headerIndex);
        boolean needsCsum = (VirtioNetHeader.flags(source, headerIndex) & VirtioNetHeader.FLAG_NEEDS_CSUM) != 0;
        int csumStart = VirtioNetHeader.csumStart(source, headerIndex);
        if (gsoType == VirtioNetHeader.GSO_NONE) {
            if (needsCsum && !completePartial(source, packetIndex, packetLength, csumStart,
                    VirtioNetHeader.csumOffset(source, headerIndex))) {
                return MALFORMED;
            }
            plain = true;
            count = 1;
            return 1;
        }
        if (gsoType != VirtioNetHeader.GSO_TCPV4 && gsoType != VirtioNetHeader.GSO_TCPV6
                && gsoType != VirtioNetHeader.GSO_UDP_L4) {
            return UNSUPPORTED;
        }
        plain = false;
        ipVersion = (source.get(packetIndex) & 0xFF) >>> 4;
        int ipHeaderBytes;
        if (ipVersion == 4 && gsoType != VirtioNetHeader.GSO_TCPV6) {
            ipHeaderBytes = (source.get(packetIndex) & 0x0F) * 4;
            if (ipHeaderBytes < 20 || csumStart != ipHeaderBytes || packetLength < ipHeaderBytes) {
                return MALFORMED;
            }
            protocol = Bytes.u8(source, packetIndex + 9);
        } else if (ipVersion == 6 && gsoType != VirtioNetHeader.GSO_TCPV4) {
            ipHeaderBytes = 40;
            if (csumStart != ipHeaderBytes || packetLength < ipHeaderBytes) {
                return MALFORMED;                                  // extension headers: not produced by TSO here
            }
            protocol = Bytes.u8(source, packetIndex + 6);
        } else {
            return MALFORMED;
        }
        l4Offset = csumStart;
        int wanted = gsoType == VirtioNetHeader.GSO_UDP_L4 ? UDP : TCP;
        if (protocol != wanted || packetLength < l4Offset + (wanted == TCP ? 20 : 8)) {
            return MALFORMED;
        }
        // hdr_len from the kernel is only a hint (it may cover just the IP header); derive it.
        headerBytes = wanted == TCP ? l4Offset + ((source.get(packetIndex + l4Offset + 12) & 0xF0) >>> 2)
                : l4Offset + 8;
        segmentPayloadBytes = VirtioNetHeader.gsoSize(source, headerIndex);
        int payload = packetLength - headerBytes;
        if (headerBytes < l4Offset + (wanted == TCP ? 20 : 8) || payload < 0 || segmentPayloadBytes == 0) {
            return MALFORMED;
        }
        count = payload == 0 ? 1 : (payload + segmentPayloadBytes - 1) / segmentPayloadBytes;
        return count;
    }

    /** The largest segment {@link #writeSegment} will write for the prepared packet, in bytes. */
    public int maxSegmentBytes() {
        return plain ? packetLength : headerBytes + Math.min(segmentPayloadBytes, packetLength - headerBytes);
    }

    /**
     * Writes segment {@code index} (0 to the prepared count - 1) at {@code dst[dstIndex ...]}, an ordinary IP
     * packet with complete checksums.
     *
     * @return its length in bytes, or -1 when it does not fit in {@code dst}'s capacity
     */
    public int writeSegment(int index, ByteBuffer dst, int dstIndex) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException("segment " + index + " of " + count);
        }
        if (plain) {
            if (dstIndex + packetLength > dst.capacity()) {
                return -1;
            }
            Bytes.copy(source, packetIndex, dst, dstIndex, packetLength);
            return packetLength;
        }
        int payloadStart = headerBytes + index * segmentPayloadBytes;
        int payload = Math.min(segmentPayloadBytes, packetLength - payloadStart);
        int length = headerBytes + payload;
        if (dstIndex + length > dst.capacity()) {
            return -1;
        }
        Bytes.copy(source, packetIndex, dst, dstIndex, headerBytes);
        Bytes.copy(source, packetIndex + payloadStart, dst, dstIndex + headerBytes, payload);
        boolean last = index == count - 1;
        int l4 = dstIndex + l4Offset;
        if (ipVersion == 4) {
            Bytes.put16(dst, dstIndex + 2, length);
            Bytes.put16(dst, dstIndex + 4, Bytes.u16(source, packetIndex + 4) + index);
            Bytes.put16(dst, dstIndex + 10, 0);
            Bytes.put16(dst, dstIndex + 10, Checksum.compute(dst, dstIndex, l4Offset));
        } else {
            Bytes.put16(dst, dstIndex + 4, length - 40);
        }
        int l4Length = length - l4Offset;
        int checksumIndex;
        if (protocol == TCP) {
            Bytes.put32(dst, l4 + 4, Bytes.i32(source, packetIndex + l4Offset + 4) + index * segmentPayloadBytes);
            int flags = Bytes.u8(dst, l4 + 13);
            if (!last) {
                flags &= ~(TCP_FIN | TCP_PSH);
            }
            if (index > 0) {
                flags &= ~TCP_CWR;
            }
            Bytes.put8(dst, l4 + 13, flags);
            checksumIndex = l4 + 16;
        } else {
            Bytes.put16(dst, l4 + 4, l4Length);
            checksumIndex = l4 + 6;
        }
        Bytes.put16(dst, checksumIndex, 0);
        int checksum = ~Checksum.add(pseudoHeaderSum(dst, dstIndex, l4Length), Checksum.sum(dst, l4, l4Length)) & 0xFFFF;
        Bytes.put16(dst, checksumIndex, protocol == UDP && checksum == 0 ? 0xFFFF : checksum);
        return length;
    }

    private int pseudoHeaderSum(ByteBuffer packet, int ip, int l4Length) {
        if (ipVersion == 4) {
            return Checksum.pseudoHeaderSum4(Bytes.i32(packet, ip + 12), Bytes.i32(packet, ip + 16), protocol, l4Length);
        }
        return Checksum.pseudoHeaderSum6(Bytes.i64(packet, ip + 8), Bytes.i64(packet, ip + 16),
                Bytes.i64(packet, ip + 24), Bytes.i64(packet, ip + 32), protocol, l4Length);
    }

    /**
     * Completes a partial checksum in place (VIRTIO_NET_HDR_F_NEEDS_CSUM): the field at {@code csumStart +
     * csumOffset} holds the pseudo-header sum; the one's complement of the sum over {@code [csumStart, end)}
     * goes there. Offsets are relative to {@code packetIndex}.
     *
     * @return false when the offsets lie outside the packet
     */
    public static boolean completePartial(ByteBuffer packet, int packetIndex, int packetLength, int csumStart,
                                          int csumOffset) {
        int field = csumStart + csumOffset;
        if (csumStart >= packetLength || field + 2 > packetLength || (csumOffset & 1) != 0) {
            return false;
        }
        int checksum = Checksum.compute(packet, packetIndex + csumStart, packetLength - csumStart);
        boolean udp = csumOffset == 6;
        Bytes.put16(packet, packetIndex + field, udp && checksum == 0 ? 0xFFFF : checksum);
        return true;
    }
}
