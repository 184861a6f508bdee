package zonegate.packet;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An ICMPv6 message (RFC 4443) in place. Errors (types below 128) carry as much of the invoking packet
 * as fits in the minimum MTU, readable as {@link IpPacket#quoted()}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Identifier (echo)            |  Sequence (echo)              |  4
 * |                        or MTU (packet too big)                |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |              echo data, or the quoted invoking packet         |  8
 * </pre>
 *
 * <p>The checksum includes the IPv6 pseudo-header: {@link Ipv6View} address setters keep it valid, and
 * so do {@link #setIdentifier} and {@link #setSequence}. A full recomputation needs the pseudo-header
 * sum ({@link IpPacket#updateChecksums()} supplies it).
 */
public final class Icmpv6View extends IcmpView {
    public static final int DESTINATION_UNREACHABLE = 1;
    public static final int PACKET_TOO_BIG = 2;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;

    /** A view pointing nowhere; {@link #wrap} it before use. */
    public Icmpv6View() {
    }

    /**
     * Points this view at an ICMPv6 message of {@code lengthBytes} bytes at absolute {@code offset}.
     *
     * @return this view
     * @throws IndexOutOfBoundsException if the region is outside the buffer's limit
     */
    public Icmpv6View wrap(ByteBuffer buffer, int offset, int lengthBytes) {
        Objects.checkFromIndexSize(offset, lengthBytes, buffer.limit());
        point(buffer, offset, lengthBytes, -1);
        return this;
    }

    /** The MTU of a packet-too-big message, in bytes (32 bits, returned as a long to stay unsigned). */
    public long mtuBytes() {
        return has(8) ? i32(4) & 0xFFFF_FFFFL : -1;
    }

    public boolean isEchoRequest() {
        return type() == ECHO_REQUEST;
    }

    public boolean isEchoReply() {
        return type() == ECHO_REPLY;
    }

    /** Whether this is an error message (types 0-127, RFC 4443 section 2.1). */
    public boolean isError() {
        int type = type();
        return type >= 0 && type < 128;
    }

    /** The checksum the message should carry, given the sum of its IPv6 pseudo-header. */
    public int computeChecksum(int pseudoHeaderSum) {
        return Checksum.computeSkipping(buffer, offset, length, offset + CHECKSUM, pseudoHeaderSum);
    }
}
