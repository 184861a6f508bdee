package zonegate.controlplane.internal;

import java.nio.charset.StandardCharsets;

/**
 * The RFC 6455 frame format (section 5.2), pure: header parsing, the checks a client applies to a
 * server's frame, and masked client frames.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-------+-+-------------+-------------------------------+
 * |F|R|R|R| opcode|M| length (7)  |  extended length (16 or 64)   |
 * |I|S|S|S|  (4)  |A|             |   when length is 126 or 127   |
 * |N|V|V|V|       |S|             |                               |
 * | |1|2|3|       |K|             |                               |
 * +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 * |     masking key (32), present when MASK is set                |
 * +---------------------------------------------------------------+
 * |     payload                                                   |
 * +---------------------------------------------------------------+
 * </pre>
 */
public final class WsFrames {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** A control frame's payload bound (section 5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;
    /** The longest header: 2 bytes, a 64-bit length and a masking key. */
    public static final int MAX_HEADER_BYTES = 14;
    /** The close code of a close frame without one (section 7.1.5); never sent. */
    public static final int NO_STATUS = 1005;

    private WsFrames() {
    }

    /**
     * A parsed frame header.
     *
     * @param rsv the three RSV bits (bit 2 is RSV1)
     * @param payloadLength as sent: negative when the 64-bit length had its most significant bit set
     * @param maskKey the masking key when {@code masked}, else 0
     * @param headerBytes how many bytes the header took
     */
    public record Header(boolean fin, int rsv, int opcode, boolean masked, long payloadLength, int maskKey,
            int headerBytes) {
        /** Whether this is a control frame (close, ping, pong or a reserved control opcode). */
        public boolean control() {
            return (opcode & 0x8) != 0;
        }
    }

    /** How many header bytes a frame starting with {@code b0 b1} has (2 to {@value #MAX_HEADER_BYTES}). */
    public static int headerBytes(int b1) {
        int length = b1 & 0x7f;
        int extended = length == 126 ? 2 : length == 127 ? 8 : 0;
        return 2 + extended + ((b1 & 0x80) != 0 ? 4 : 0);
    }

    /** The header at {@code offset}, or null when fewer than its bytes are available. */
    public static Header parseHeader(byte[] bytes, int offset, int available) {
        if (available < 2 || available < headerBytes(bytes[offset + 1])) {
            return null;
        }
        int b0 = bytes[offset] & 0xff;
        int b1 = bytes[offset + 1] & 0xff;
        int at = offset + 2;
        long length = b1 & 0x7f;
        if (length == 126) {
            length = ((bytes[at] & 0xffL) << 8) | (bytes[at + 1] & 0xffL);
            at += 2;
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (bytes[at + i] & 0xffL);
            }
            at += 8;
        }
        boolean masked = (b1 & 0x80) != 0;
        int maskKey = 0;
        if (masked) {
            maskKey = ((bytes[at] & 0xff) << 24) | ((bytes[at + 1] & 0xff) << 16) | ((bytes[at + 2] & 0xff) << 8)
                    | (bytes[at + 3] & 0xff);
            at += 4;
        }
        return new Header((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0x0f, masked, length, maskKey, at - offset);
    }

    /**
     * Why a server's frame breaks the protocol (close code 1002), or null when it does not. Message-level
     * rules (a continuation without a start, a new message inside one) are {@link WsMessages}'.
     */
    public static String violation(Header header) {
        if (header.rsv() != 0) {
            return "RSV bits " + header.rsv() + " without an extension";
        }
        if (header.masked()) {
            return "a masked server frame";
        }
        int opcode = header.opcode();
        if (opcode != CONTINUATION && opcode != TEXT && opcode != BINARY && opcode != CLOSE && opcode != PING
                && opcode != PONG) {
            return "unknown opcode " + opcode;
        }
        if (header.payloadLength() < 0) {
            return "a 64-bit length with its most significant bit set";
        }
        if (header.control() && (!header.fin() || header.payloadLength() > MAX_CONTROL_PAYLOAD)) {
            return header.fin() ? "a control frame of " + header.payloadLength() + " bytes"
                    : "a fragmented control frame";
        }
        if (opcode == CLOSE && header.payloadLength() == 1) {
            return "a close frame of 1 byte";
        }
        return null;
    }

    /** XORs {@code length} bytes at {@code offset} with {@code maskKey} (section 5.3); masks and unmasks. */
    public static void mask(byte[] bytes, int offset, int length, int maskKey) {
        for (int i = 0; i < length; i++) {
            bytes[offset + i] ^= (byte) (maskKey >>> (24 - 8 * (i & 3)));
        }
    }

    /** A final, masked client frame of {@code payload} (which is not changed). */
    public static byte[] encode(int opcode, byte[] payload, int maskKey) {
        int length = payload.length;
        int header = 2 + (length < 126 ? 0 : length < 65_536 ? 2 : 8) + 4;
        byte[] frame = new byte[header + length];
        frame[0] = (byte) (0x80 | opcode);
        int at = 2;
        if (length < 126) {
            frame[1] = (byte) (0x80 | length);
        } else if (length < 65_536) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (length >> 8);
            frame[3] = (byte) length;
            at = 4;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) length >>> (56 - 8 * i));
            }
            at = 10;
        }
        for (int i = 0; i < 4; i++) {
            frame[at + i] = (byte) (maskKey >>> (24 - 8 * i));
        }
        System.arraycopy(payload, 0, frame, header, length);
        mask(frame, header, length, maskKey);
        return frame;
    }

    /**
     * A close frame's payload: the code, then as much of {@code reason}'s UTF-8 as fits the control
     * frame bound (cut at a character boundary).
     */
    public static byte[] closePayload(int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(text.length, MAX_CONTROL_PAYLOAD - 2);
        while (length < text.length && length > 0 && (text[length] & 0xc0) == 0x80) {
            length--;
        }
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, length);
        return payload;
    }

    /**
     * Whether {@code code} may be sent in a close frame (section 7.4): 1000-1003, 1007-1014, 3000-4999; not
     * 1005, 1006 or 1015, which only report.
     */
    public static boolean sendable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /** The code of a close payload, {@value #NO_STATUS} when it has none. */
    public static int closeCode(byte[] payload) {
        return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : NO_STATUS;
    }

    /** The reason of a close payload (malformed UTF-8 replaced), empty when it has none. */
    public static String closeReason(byte[] payload) {
        return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
    }
}
