package zonegate.packet;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A TCP header (RFC 9293) in place. In a packet quoted by an ICMP error only the first 8 bytes may be
 * present: fields beyond the quote read as -1 (flags as {@code false}).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options (data offset - 5 words)            | 20
 * </pre>
 *
 * <p>Port setters keep the checksum valid (when the checksum is inside the view).
 */
public final class TcpView extends BufferView {
    public static final int MIN_HEADER_BYTES = 20;
    static final int CHECKSUM = 16;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;
    public static final int ECE = 0x40;
    public static final int CWR = 0x80;

    /** A view pointing nowhere; {@link #wrap} it before use. */
    public TcpView() {
    }

    /**
     * Points this view at {@code lengthBytes} bytes from absolute index {@code offset}, without
     * validation.
     *
     * @return this view
     * @throws IndexOutOfBoundsException if the region is outside the buffer's limit
     */
    public TcpView wrap(ByteBuffer buffer, int offset, int lengthBytes) {
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

    public long sequenceNumber() {
        return has(8) ? i32(4) & 0xFFFF_FFFFL : -1;
    }

    public long acknowledgmentNumber() {
        return has(12) ? i32(8) & 0xFFFF_FFFFL : -1;
    }

    /** Data offset in bytes (20 to 60). */
    public int headerLengthBytes() {
        return has(13) ? (u8(12) >>> 4) * 4 : -1;
    }

    /** The eight flag bits (CWR..FIN); compare with {@link #SYN} and friends. */
    public int flags() {
        return has(14) ? u8(13) : -1;
    }

    public boolean isSyn() {
        return flag(SYN);
    }

    public boolean isAck() {
        return flag(ACK);
    }

    public boolean isFin() {
        return flag(FIN);
    }

    public boolean isRst() {
        return flag(RST);
    }

    public int window() {
        return has(16) ? u16(14) : -1;
    }

    public int checksum() {
        return has(18) ? u16(CHECKSUM) : -1;
    }

    public int urgentPointer() {
        return has(20) ? u16(18) : -1;
    }

    /** Absolute index of the first payload byte (after options), or -1 when the header is cut off. */
    public int payloadOffset() {
        int header = headerLengthBytes();
        return header < 0 ? -1 : offset + header;
    }

    public void setSourcePort(int port) {
        setPort(0, port);
    }

    public void setDestinationPort(int port) {
        setPort(2, port);
    }

    private boolean flag(int mask) {
        return has(14) && (u8(13) & mask) != 0;
    }

    private void setPort(int relative, int port) {
        if (!has(relative + 2)) {
            return;
        }
        int old = u16(relative);
        put16(relative, port);
        if (has(CHECKSUM + 2)) {
            adjustChecksumAt(CHECKSUM, old, port & 0xFFFF, false);
        }
    }
}
