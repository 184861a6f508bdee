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
public final class Icmpv6View extends BufferView {
    public static final int HEADER_BYTES = 8;
    public static final int DESTINATION_UNREACHABLE = 1;
    public static final int PACKET_TOO_BIG = 2;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;
    static final int CHECKSUM = 2;

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

    public int type() {
        return has(1) ? u8(0) : -1;
    }

    public int code() {
        return has(2) ? u8(1) : -1;
    }

    public int checksum() {
        return has(4) ? u16(CHECKSUM) : -1;
    }

    public int identifier() {
        return has(6) ? u16(4) : -1;
    }

    public int sequence() {
        return has(8) ? u16(6) : -1;
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

    /** Absolute index of the data after the 8-byte header. */
    public int dataOffset() {
        return offset + HEADER_BYTES;
    }

    public void setIdentifier(int identifier) {
        setWord(4, identifier);
    }

    public void setSequence(int sequence) {
        setWord(6, sequence);
    }

    /** The checksum the message should carry, given the sum of its IPv6 pseudo-header. */
    public int computeChecksum(int pseudoHeaderSum) {
        return Checksum.computeSkipping(buffer, offset, length, offset + CHECKSUM, pseudoHeaderSum);
    }

    private void setWord(int relative, int word) {
        if (!has(relative + 2)) {
            return;
        }
        int old = u16(relative);
        put16(relative, word);
        adjustChecksumAt(CHECKSUM, old, word & 0xFFFF, false);
    }
}
