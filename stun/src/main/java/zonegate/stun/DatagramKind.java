package zonegate.stun;

import java.nio.ByteBuffer;
import java.util.Objects;
import zonegate.stun.internal.Wire;

/**
 * What a datagram on a shared UDP socket is, from its first bytes (RFC 7983 demultiplexing, narrowed
 * to what zonegate receives):
 *
 * <pre>
 *  first byte   other test                                    kind
 *  0-3          20+ bytes, magic cookie 0x2112A442 at 4-7       STUN
 *  1-4          next three bytes zero, 4+ bytes                 WIREGUARD (types 1-4 of the WireGuard protocol)
 *  64-127       4+ bytes                                        CHANNEL_DATA (channel 0x4000-0x7FFF)
 *  anything else                                                OTHER
 * </pre>
 *
 * ChannelData spans RFC 5766's channels 0x4000-0x7FFF, not only RFC 8656's 0x4000-0x4FFF (RFC 7983's
 * 64-79): a relay must take what older clients bind. The wider range overlaps nothing zonegate
 * receives (STUN 0-3, WireGuard 1-4).
 *
 * STUN is tested first: a WireGuard message never carries the cookie at bytes 4-7 (its sender index,
 * a random 32-bit value, could, with probability 2^-32; the STUN parser then rejects it). The
 * classification does not validate: parse the datagram to know it is well-formed.
 */
public enum DatagramKind {
    /** A STUN message (RFC 8489). */
    STUN,
    /** A TURN ChannelData message (RFC 8656 section 12.4). */
    CHANNEL_DATA,
    /** A WireGuard message: handshake initiation, response, cookie reply or transport data. */
    WIREGUARD,
    /** Anything else, including datagrams too short to tell. */
    OTHER;

    /**
     * Classifies the {@code lengthBytes} bytes at absolute index {@code offset}. Never throws on the
     * bytes; allocates nothing.
     *
     * @throws IndexOutOfBoundsException if the region is outside the buffer's limit (a caller bug)
     */
    public static DatagramKind classify(ByteBuffer buffer, int offset, int lengthBytes) {
        Objects.checkFromIndexSize(offset, lengthBytes, buffer.limit());
        if (lengthBytes < 4) {
            return OTHER;
        }
        int first = Wire.u8(buffer, offset);
        if (StunParser.looksLikeStun(buffer, offset, lengthBytes)) {
            return STUN;
        }
        if (first >= 64 && first <= 127) {
            return CHANNEL_DATA;
        }
        if (first >= 1 && first <= 4 && (Wire.u32(buffer, offset) & 0x00FF_FFFF) == 0) {
            return WIREGUARD;
        }
        return OTHER;
    }
}
