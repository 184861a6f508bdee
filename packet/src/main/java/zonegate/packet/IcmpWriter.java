package zonegate.packet;

import java.nio.ByteBuffer;
import java.util.Objects;
import zonegate.packet.internal.Bytes;
import zonegate.packet.internal.HeaderWriter;

/**
 * Builds the ICMP messages a gateway originates, into a caller-provided buffer: errors about a packet
 * it will not forward (destination unreachable, fragmentation needed / packet too big) and echo replies.
 *
 * <p>An error goes from the invoking packet's destination to its source (call {@code setSource} on the
 * re-parsed result to answer from another address: checksums follow). It quotes the invoking packet:
 * <ul>
 *   <li>ICMPv4 (RFC 792, RFC 1812 section 4.3.2.3): the IP header and as much of the rest as keeps the
 *       error within {@value #MAX_ERROR_BYTES_V4} bytes (always at least the 8 bytes RFC 792 demands);
 *   <li>ICMPv6 (RFC 4443 section 2.4 (c)): as much of the invoking packet as keeps the error within the
 *       IPv6 minimum MTU, {@value #MAX_ERROR_BYTES_V6} bytes.
 * </ul>
 * Both are further limited by {@code capacityBytes}. No error is built where
 * {@link #mayRespondWithError} says no. Output and invoking packet must not overlap.
 */
public final class IcmpWriter {
    public static final int MAX_ERROR_BYTES_V4 = 576;
    public static final int MAX_ERROR_BYTES_V6 = 1280;
    private static final int V4_OVERHEAD = Ipv4View.MIN_HEADER_BYTES + Icmpv4View.HEADER_BYTES;
    private static final int V6_OVERHEAD = Ipv6View.HEADER_BYTES + Icmpv6View.HEADER_BYTES;

    private IcmpWriter() {
    }

    /**
     * Whether an ICMP error may be sent about {@code invoking} (RFC 1122 section 3.2.2, RFC 4443 section
     * 2.4 (e)). Never about: an ICMP error, a non-first fragment, a quoted packet, a multicast or
     * broadcast destination, or a source that is not one unicast host (unspecified, loopback,
     * multicast, broadcast or reserved). Packet too big towards multicast, which RFC 4443 permits, is
     * refused too: the gateway has no unicast source for it.
     */
    public static boolean mayRespondWithError(IpPacket invoking) {
        if (invoking.isQuoted() || invoking.fragment() == FragmentPosition.NON_FIRST) {
            return false;
        }
        if (invoking.version() == 4) {
            Icmpv4View icmp = invoking.icmpv4();
            if (icmp != null && icmp.isError()) {
                return false;
            }
            Ipv4View ip = invoking.ipv4();
            return isUnicast4(ip.destination()) && isUnicast4(ip.source()) && ip.source() >>> 24 != 0;
        }
        Icmpv6View icmp = invoking.icmpv6();
        if (icmp != null && icmp.isError()) {
            return false;
        }
        Ipv6View ip = invoking.ipv6();
        boolean sourceUnspecifiedOrLoopback = ip.sourceHigh() == 0 && (ip.sourceLow() == 0 || ip.sourceLow() == 1);
        return !isMulticast6(ip.destinationHigh()) && !isMulticast6(ip.sourceHigh()) && !sourceUnspecifiedOrLoopback;
    }

    /**
     * Writes an ICMP error about {@code invoking} (same IP version) at absolute {@code offset} of {@code out}.
     *
     * @param mtuBytes the next-hop MTU for {@link IcmpError#PACKET_TOO_BIG}, ignored otherwise
     * @param capacityBytes room at {@code offset}; at least 28 + the invoking IPv4 header + 8, or 96 for IPv6
     * @return bytes written, or 0 when {@link #mayRespondWithError} forbids an error about this packet
     * @throws IllegalArgumentException if {@code capacityBytes} is below that minimum
     */
    public static int writeError(IpPacket invoking, IcmpError error, int mtuBytes, ByteBuffer out, int offset,
                                 int capacityBytes) {
        Objects.requireNonNull(error, "error");
        if (!mayRespondWithError(invoking)) {
            return 0;
        }
        return invoking.version() == 4
                ? writeError4(invoking, error, mtuBytes, out, offset, capacityBytes)
                : writeError6(invoking, error, mtuBytes, out, offset, capacityBytes);
    }

    /**
     * Writes the echo reply to an echo request (ICMPv4 type 8 or ICMPv6 type 128): addresses swapped, same
     * identifier, sequence and data, a fresh IP header without options or extension headers.
     *
     * @return bytes written, or 0 when {@code request} is not a complete, unfragmented echo request
     * @throws IllegalArgumentException if the reply does not fit in {@code capacityBytes}
     */
    public static int writeEchoReply(IpPacket request, ByteBuffer out, int offset, int capacityBytes) {
        if (request.isQuoted() || request.fragment() != FragmentPosition.NONE) {
            return 0;
        }
        if (request.version() == 4) {
            Icmpv4View icmp = request.icmpv4();
            if (icmp == null || !icmp.isEchoRequest()) {
                return 0;
            }
            int total = Ipv4View.MIN_HEADER_BYTES + icmp.lengthBytes();
            checkRoom(out, offset, capacityBytes, total);
            int at = offset + Ipv4View.MIN_HEADER_BYTES;
            Bytes.copy(icmp.buffer(), icmp.offset(), out, at, icmp.lengthBytes());
            Bytes.put16(out, at, Icmpv4View.ECHO_REPLY << 8);
            Bytes.put16(out, at + 2, 0);
            Bytes.put16(out, at + 2, Checksum.compute(out, at, icmp.lengthBytes()));
            HeaderWriter.ipv4(out, offset, total, IpProtocol.ICMP, request.ipv4().destination(), request.ipv4().source());
            return total;
        }
        Icmpv6View icmp = request.icmpv6();
        if (icmp == null || !icmp.isEchoRequest()) {
            return 0;
        }
        Ipv6View ip = request.ipv6();
        int total = Ipv6View.HEADER_BYTES + icmp.lengthBytes();
        checkRoom(out, offset, capacityBytes, total);
        int at = offset + Ipv6View.HEADER_BYTES;
        HeaderWriter.ipv6(out, offset, icmp.lengthBytes(), IpProtocol.ICMPV6, ip.destinationHigh(), ip.destinationLow(),
                ip.sourceHigh(), ip.sourceLow());
        Bytes.copy(icmp.buffer(), icmp.offset(), out, at, icmp.lengthBytes());
        Bytes.put16(out, at, Icmpv6View.ECHO_REPLY << 8);
        Bytes.put16(out, at + 2, 0);
        int pseudo = Checksum.pseudoHeaderSum6(ip.destinationHigh(), ip.destinationLow(), ip.sourceHigh(), ip.sourceLow(),
                IpProtocol.ICMPV6, icmp.lengthBytes());
        Bytes.put16(out, at + 2, Checksum.computeSkipping(out, at, icmp.lengthBytes(), at + 2, pseudo));
        return total;
    }

    private static int writeError4(IpPacket invoking, IcmpError error, int mtuBytes, ByteBuffer out, int offset,
                                   int capacityBytes) {
        Ipv4View ip = invoking.ipv4();
        int minimumQuote = ip.headerLengthBytes() + 8;
        checkRoom(out, offset, capacityBytes, V4_OVERHEAD + minimumQuote);
        int quote = Math.min(invoking.lengthBytes(), Math.min(MAX_ERROR_BYTES_V4, capacityBytes) - V4_OVERHEAD);
        int total = V4_OVERHEAD + quote;
        int at = offset + Ipv4View.MIN_HEADER_BYTES;
        HeaderWriter.ipv4(out, offset, total, IpProtocol.ICMP, ip.destination(), ip.source());
        Bytes.put32(out, at, error.typeV4() << 24 | error.codeV4() << 16);
        Bytes.put32(out, at + 4, error == IcmpError.PACKET_TOO_BIG ? mtuBytes & 0xFFFF : 0);
        Bytes.copy(invoking.buffer(), invoking.offset(), out, at + Icmpv4View.HEADER_BYTES, quote);
        Bytes.put16(out, at + 2, Checksum.compute(out, at, Icmpv4View.HEADER_BYTES + quote));
        return total;
    }

    private static int writeError6(IpPacket invoking, IcmpError error, int mtuBytes, ByteBuffer out, int offset,
                                   int capacityBytes) {
        Ipv6View ip = invoking.ipv6();
        checkRoom(out, offset, capacityBytes, V6_OVERHEAD + Math.min(invoking.lengthBytes(), Ipv6View.HEADER_BYTES + 8));
        int quote = Math.min(invoking.lengthBytes(), Math.min(MAX_ERROR_BYTES_V6, capacityBytes) - V6_OVERHEAD);
        int icmpBytes = Icmpv6View.HEADER_BYTES + quote;
        int at = offset + Ipv6View.HEADER_BYTES;
        HeaderWriter.ipv6(out, offset, icmpBytes, IpProtocol.ICMPV6, ip.destinationHigh(), ip.destinationLow(),
                ip.sourceHigh(), ip.sourceLow());
        Bytes.put32(out, at, error.typeV6() << 24 | error.codeV6() << 16);
        Bytes.put32(out, at + 4, error == IcmpError.PACKET_TOO_BIG ? mtuBytes : 0);
        Bytes.copy(invoking.buffer(), invoking.offset(), out, at + Icmpv6View.HEADER_BYTES, quote);
        int pseudo = Checksum.pseudoHeaderSum6(ip.destinationHigh(), ip.destinationLow(), ip.sourceHigh(), ip.sourceLow(),
                IpProtocol.ICMPV6, icmpBytes);
        Bytes.put16(out, at + 2, Checksum.computeSkipping(out, at, icmpBytes, at + 2, pseudo));
        return Ipv6View.HEADER_BYTES + icmpBytes;
    }

    private static void checkRoom(ByteBuffer out, int offset, int capacityBytes, int neededBytes) {
        if (capacityBytes < neededBytes) {
            throw new IllegalArgumentException("need " + neededBytes + " bytes, capacity is " + capacityBytes);
        }
        Objects.checkFromIndexSize(offset, capacityBytes, out.limit());
    }

    /** Not multicast (224/4), not reserved or limited broadcast (240/4), not loopback (127/8). */
    private static boolean isUnicast4(int address) {
        int first = address >>> 24;
        return first < 224 && first != 127;
    }

    private static boolean isMulticast6(long high) {
        return (high >>> 56) == 0xFF;
    }
}
