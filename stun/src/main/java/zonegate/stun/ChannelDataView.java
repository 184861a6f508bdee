package zonegate.stun;

import java.nio.ByteBuffer;
import java.util.Objects;
import zonegate.stun.internal.Wire;

/**
 * A TURN ChannelData message in place (RFC 8656 section 12.4), re-pointed at each datagram by
 * {@link #parse} instead of being allocated again.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Channel Number        |            Length             |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                                                               |  4
 * /                       Application Data                        /
 * /                                                               /
 * |                                                               |
 * |                               +-------------------------------+
 * |                               |  (padding to 4 bytes, optional over UDP)
 * +-------------------------------+
 * </pre>
 *
 * <p>Accepted: channel 0x4000-0x7FFF, and after the {@code Length} bytes of data either nothing or the
 * padding to the next multiple of 4 (required over TCP, optional over UDP, section 12.5). Anything
 * else is rejected, never thrown. Allocates nothing per message; not thread-safe.
 *
 * <p>Channel ranges: RFC 8656 section 12 lets a client bind only 0x4000-0x4FFF ({@link #isValidChannel}),
 * and zonegate's client binds nothing else; RFC 5766 allowed 0x4000-0x7FFF
 * ({@link #isRfc5766Channel}), and stock clients still pick from it (coturn's {@code turnutils_uclient}
 * does), so a relay must accept it. This view frames both; whether a number is bound is the state
 * machine's business.
 *
 * <pre>{@code
 * if (channelData.parse(datagram, 0, n) instanceof ChannelDataResult.Parsed(ChannelDataView cd)) {
 *     forward(cd.channelNumber(), cd.buffer(), cd.dataOffset(), cd.dataLengthBytes());
 * }
 * }</pre>
 */
public final class ChannelDataView {
    /** Header length in bytes. */
    public static final int HEADER_BYTES = 4;
    /** Lowest valid channel number. */
    public static final int MIN_CHANNEL = 0x4000;
    /** Highest channel number a client may bind under RFC 8656 (section 12). */
    public static final int MAX_CHANNEL = 0x4FFF;
    /** Highest channel number RFC 5766 allowed, still sent by older clients. */
    public static final int MAX_RFC5766_CHANNEL = 0x7FFF;

    private final ChannelDataResult.Parsed parsed = new ChannelDataResult.Parsed(this);
    private ByteBuffer buffer;
    private int offset;
    private int channel;
    private int dataLength;

    /** A view pointing nowhere; {@link #parse} before use. */
    public ChannelDataView() {
    }

    /** Whether {@code channel} is in RFC 8656's range 0x4000-0x4FFF, the only one zonegate's client binds. */
    public static boolean isValidChannel(int channel) {
        return channel >= MIN_CHANNEL && channel <= MAX_CHANNEL;
    }

    /** Whether {@code channel} is in RFC 5766's range 0x4000-0x7FFF, which a relay accepts from clients. */
    public static boolean isRfc5766Channel(int channel) {
        return channel >= MIN_CHANNEL && channel <= MAX_RFC5766_CHANNEL;
    }

    /**
     * Points this view at the {@code lengthBytes} bytes at absolute index {@code offset} if they are a
     * well-formed ChannelData message.
     *
     * @return this view's reusable {@code Parsed}, or a shared {@code Rejected}: NOT_CHANNEL_DATA,
     *     TRUNCATED (shorter than the header or the length field), BAD_LENGTH (more than padding follows)
     * @throws IndexOutOfBoundsException if the region is outside the buffer's limit (a caller bug)
     */
    public ChannelDataResult parse(ByteBuffer buffer, int offset, int lengthBytes) {
        Objects.checkFromIndexSize(offset, lengthBytes, buffer.limit());
        // Channels 0x4000-0x7FFF are exactly the messages whose first byte is 0x40-0x7F.
        int first = lengthBytes < 1 ? 0 : Wire.u8(buffer, offset);
        if (first < 0x40 || first > 0x7F) {
            return ChannelDataResult.Rejected.of(StunRejection.NOT_CHANNEL_DATA);
        }
        if (lengthBytes < HEADER_BYTES) {
            return ChannelDataResult.Rejected.of(StunRejection.TRUNCATED);
        }
        int length = Wire.u16(buffer, offset + 2);
        int trailing = lengthBytes - HEADER_BYTES - length;
        if (trailing < 0) {
            return ChannelDataResult.Rejected.of(StunRejection.TRUNCATED);
        }
        if (trailing != 0 && trailing != Wire.padded(length) - length) {
            return ChannelDataResult.Rejected.of(StunRejection.BAD_LENGTH);
        }
        this.buffer = buffer;
        this.offset = offset;
        this.channel = Wire.u16(buffer, offset);
        this.dataLength = length;
        return parsed;
    }

    /** The buffer the message is in (not a copy). */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of the header's first byte. */
    public int offset() {
        return offset;
    }

    /** The channel number, 0x4000-0x7FFF. */
    public int channelNumber() {
        return channel;
    }

    /** Absolute index of the first application data byte. */
    public int dataOffset() {
        return offset + HEADER_BYTES;
    }

    /** Application data length in bytes (the Length field). */
    public int dataLengthBytes() {
        return dataLength;
    }
}
