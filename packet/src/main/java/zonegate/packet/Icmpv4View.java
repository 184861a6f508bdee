package zonegate.packet;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * An ICMPv4 message (RFC 792) in place: the 8-byte header, then either echo data or, for an error, the
 * quoted invoking packet (readable as {@link IpPacket#quoted()}).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Identifier (echo) / unused   | Sequence (echo) / next-hop MTU|  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        echo data, or quoted IP header + at least 8 bytes      |  8
 * </pre>
 *
 * <p>The checksum covers the whole message and no pseudo-header, so IP address changes leave it
 * alone; {@link #setIdentifier} and {@link #setSequence} keep it valid.
 */
public final class Icmpv4View extends IcmpView {
    public static final int ECHO_REPLY = 0;
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;

    /** A view pointing nowhere; {@link #wrap} it before use. */
    public Icmpv4View() {
    }

    /**
     * Points this view at an ICMPv4 message of {@code lengthBytes} bytes at absolute {@code offset}.
     *
     * @return this view
     * @throws IndexOutOfBoundsException if the region is outside the buffer's limit
     */
    public Icmpv4View wrap(ByteBuffer buffer, int offset, int lengthBytes) {
        Objects.checkFromIndexSize(offset, lengthBytes, buffer.limit());
        point(buffer, offset, lengthBytes, -1);
        return this;
    }

    /** Next-hop MTU of a fragmentation-needed error (type 3 code 4, RFC 1191), in bytes. */
    public int nextHopMtuBytes() {
        return has(8) ? u16(6) : -1;
    }

    public boolean isEchoRequest() {
        return type() == ECHO_REQUEST;
    }

    public boolean isEchoReply() {
        return type() == ECHO_REPLY;
    }

    /** Whether this is an error message (destination unreachable, source quench, redirect, time exceeded, parameter problem). */
    public boolean isError() {
        return isErrorType(type());
    }

    /** The checksum the message should carry, computed in full over the view. */
    public int computeChecksum() {
        return Checksum.computeSkipping(buffer, offset, length, offset + CHECKSUM, 0);
    }

    public boolean isChecksumValid() {
        return has(HEADER_BYTES) && Checksum.sum(buffer, offset, length) == 0xFFFF;
    }

    /** Recomputes and writes the checksum in full (after changing the data or the quoted packet by hand). */
    public void updateChecksum() {
        put16(CHECKSUM, computeChecksum());
    }

    static boolean isErrorType(int type) {
        return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
    }
}
