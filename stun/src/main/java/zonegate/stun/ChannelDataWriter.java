package zonegate.stun;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;
import zonegate.stun.internal.Wire;

/**
 * Writes TURN ChannelData framing (RFC 8656 section 12.4; layout in {@link ChannelDataView}) into a
 * caller's buffer. The usual hot path writes the 4-byte header in front of data already in place (the
 * WireGuard packet encrypted at {@code offset + 4}), so nothing is copied. Stateless.
 */
public final class ChannelDataWriter {
    private ChannelDataWriter() {
    }

    /**
     * Writes the header for {@code dataLengthBytes} bytes of data at {@code offset + 4}, and, when
     * {@code pad} (required over TCP), zero padding after the data to a multiple of 4.
     *
     * @return the message length in bytes, padding included
     * @throws IllegalArgumentException for a channel outside 0x4000-0x7FFF or data over 65535 bytes
     * @throws BufferOverflowException if the message would pass {@code offset + capacityBytes}
     */
    public static int writeHeader(ByteBuffer buffer, int offset, int capacityBytes, int channel,
            int dataLengthBytes, boolean pad) {
        Objects.checkFromIndexSize(offset, capacityBytes, buffer.capacity());
        // A relay answers on the channel the client bound, which may be from RFC 5766's wider range.
        if (!ChannelDataView.isRfc5766Channel(channel)) {
            throw new IllegalArgumentException("channel number outside 0x4000-0x7FFF: " + channel);
        }
        if (dataLengthBytes < 0 || dataLengthBytes > 0xFFFF) {
            throw new IllegalArgumentException("ChannelData length out of range: " + dataLengthBytes);
        }
        int total = ChannelDataView.HEADER_BYTES + (pad ? Wire.padded(dataLengthBytes) : dataLengthBytes);
        if (total > capacityBytes) {
            throw new BufferOverflowException();
        }
        Wire.put16(buffer, offset, channel);
        Wire.put16(buffer, offset + 2, dataLengthBytes);
        for (int i = ChannelDataView.HEADER_BYTES + dataLengthBytes; i < total; i++) {
            buffer.put(offset + i, (byte) 0);
        }
        return total;
    }

    /** Writes a whole message carrying {@code length} bytes copied from {@code src} at {@code srcOffset}. */
    public static int write(ByteBuffer buffer, int offset, int capacityBytes, int channel, ByteBuffer src,
            int srcOffset, int length, boolean pad) {
        int total = writeHeader(buffer, offset, capacityBytes, channel, length, pad);
        buffer.put(offset + ChannelDataView.HEADER_BYTES, src, srcOffset, length);
        return total;
    }
}
