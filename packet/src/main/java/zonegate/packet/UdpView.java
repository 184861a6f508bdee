package zonegate.packet;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A UDP header (RFC 768) in place.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          payload ...                          |  8
 * </pre>
 *
 * <p>Port setters keep the checksum valid; a checksum of 0 ("none", IPv4 only) stays 0, and a result of
 * 0 is written as 0xFFFF. Obtain one from {@link IpPacket#udp()}, or {@link #wrap} any region.
 */
public final class UdpView extends BufferView {
    public static final int HEADER_BYTES = 8;
    static final int CHECKSUM = 6;

    /** A view pointing nowhere; {@link #wrap} it before use. */
    public UdpView() {
    }

    /**
     * Points this view at {@code lengthBytes} bytes from absolute index {@code offset}. No validation:
     * getters of fields beyond {@code lengthBytes} return -1.
     *
     * @return this view
     * @throws IndexOutOfBoundsException if the region is outside the buffer's limit
     */
    public UdpView wrap(ByteBuffer buffer, int offset, int lengthBytes) {
        Objects.checkFromIndexSize(offset, lengthBytes, buffer.limit());
        point(buffer, offset, lengthBytes, -1);
        return this;
    }

    public int sourcePort() {
        return has(2) ? u16(0) : -1;
    }

    public int destinationPort() {
        return has(4) ? u16(2) : -1;
    }

    /** The Length field: header plus payload, in bytes. */
    public int datagramLengthBytes() {
        return has(6) ? u16(4) : -1;
    }

    public int checksum() {
        return has(8) ? u16(CHECKSUM) : -1;
    }

    /** Absolute index of the first payload byte. */
    public int payloadOffset() {
        return offset + HEADER_BYTES;
    }

    /** Payload bytes present in the view. */
    public int payloadLengthBytes() {
        return Math.max(0, length - HEADER_BYTES);
    }

    public void setSourcePort(int port) {
        setPort(0, port);
    }

    public void setDestinationPort(int port) {
        setPort(2, port);
    }

    private void setPort(int relative, int port) {
        if (!has(relative + 2)) {
            return;
        }
        int old = u16(relative);
        put16(relative, port);
        if (has(CHECKSUM + 2)) {
            adjustChecksumAt(CHECKSUM, old, port & 0xFFFF, true);
        }
    }
}
