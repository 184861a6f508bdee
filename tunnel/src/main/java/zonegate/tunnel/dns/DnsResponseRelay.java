package zonegate.tunnel.dns;

import java.nio.ByteBuffer;

/**
 * For a stub resolver that relays an upstream server's response to the client that asked: checks that the
 * bytes are a response to the client's query ({@link #check}) and, when they are larger than the client can
 * take over UDP, cuts them to a truncated response ({@link #truncate}) so the client retries over TCP
 * (RFC 1035 section 4.2.1, RFC 2181 section 9).
 *
 * <p>Unlike {@link DnsAnswersParser}, nothing is extracted: the response is relayed byte for byte, so any
 * record type passes. What is checked is what makes the bytes safe to hand on: the id, QR, and that every
 * question and record of every section lies within the message (names by {@link DnsParser}'s rules: backward
 * pointers only, at most 16 per name, 255 bytes). Never throws on bad bytes; stateless and thread-safe.
 */
public final class DnsResponseRelay {
    private static final int FLAG_QR = 0x8000;
    private static final int FLAG_TC = 0x0200;
    private static final int OPT_BYTES = 11;

    private DnsResponseRelay() {
    }

    /**
     * Checks the response of {@code length} bytes at absolute {@code offset} of {@code buffer}.
     *
     * @param expectedId the id of the client's query (the low 16 bits are compared)
     * @return the length in bytes of the header and question section (at least 12), or a negative code:
     *     {@code -1 - reason.ordinal()}, see {@link #rejection(int)}
     */
    public static int check(ByteBuffer buffer, int offset, int length, int expectedId) {
        if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
            return code(DnsResponseRejection.TRUNCATED);
        }
        if (length < DnsParser.HEADER_BYTES) {
            return code(DnsResponseRejection.TOO_SHORT);
        }
        DnsCursor c = new DnsCursor(buffer, offset, offset + length);
        if (c.u16(offset) != (expectedId & 0xFFFF)) {
            return code(DnsResponseRejection.ID_MISMATCH);
        }
        if ((c.u16(offset + 2) & FLAG_QR) == 0) {
            return code(DnsResponseRejection.NOT_A_RESPONSE);
        }
        int questions = c.u16(offset + 4);
        int records = c.u16(offset + 6) + c.u16(offset + 8) + c.u16(offset + 10);
        int at = offset + DnsParser.HEADER_BYTES;
        for (int i = 0; i < questions; i++) {
            at = c.name(at, null);
            if (at < 0) {
                return code(DnsResponseRejection.ofCursorCode(at));
            }
            at += 4;
            if (at > c.end) {
                return code(DnsResponseRejection.TRUNCATED);
            }
        }
        int questionEnd = at;
        for (int i = 0; i < records; i++) {
            at = c.skipRecord(at);
            if (at < 0) {
                return code(DnsResponseRejection.ofCursorCode(at));
            }
        }
        return questionEnd - offset;
    }

    /** The reason a negative {@link #check} result stands for. */
    public static DnsResponseRejection rejection(int code) {
        return DnsResponseRejection.values()[-1 - code];
    }

    /**
     * Writes a truncated copy of a checked response at absolute {@code outOffset} of {@code out}: its header
     * with TC set and no answer, authority or additional records, its question section, and an OPT record
     * advertising {@link DnsQuery#MAX_UDP_RESPONSE_BYTES} when the client's query had one (RFC 6891 section 7).
     * A question section too large for {@code maxBytes} is left out too (QDCOUNT 0).
     *
     * @param questionEndBytes what {@link #check} returned for this response
     * @param maxBytes the most the client takes (at least 23: header and OPT)
     * @return the truncated response's length
     * @throws IllegalArgumentException if the output does not have room for it
     */
    public static int truncate(ByteBuffer response, int offset, int questionEndBytes, boolean edns, int maxBytes,
                               ByteBuffer out, int outOffset) {
        int questionBytes = questionEndBytes + (edns ? OPT_BYTES : 0) > maxBytes ? DnsParser.HEADER_BYTES
                : questionEndBytes;
        int length = questionBytes + (edns ? OPT_BYTES : 0);
        if (questionEndBytes < DnsParser.HEADER_BYTES || outOffset < 0 || out.limit() - outOffset < length) {
            throw new IllegalArgumentException("no room for a truncated response of " + length + " bytes");
        }
        for (int i = 0; i < questionBytes; i++) {
            out.put(outOffset + i, response.get(offset + i));
        }
        if (questionBytes != questionEndBytes) {
            out.putShort(outOffset + 4, (short) 0);
        }
        out.putShort(outOffset + 2, (short) (out.getShort(outOffset + 2) | FLAG_TC));
        out.putShort(outOffset + 6, (short) 0);
        out.putShort(outOffset + 8, (short) 0);
        out.putShort(outOffset + 10, (short) (edns ? 1 : 0));
        if (edns) {
            int at = outOffset + questionBytes;
            out.put(at, (byte) 0);
            out.putShort(at + 1, (short) DnsQuery.TYPE_OPT);
            out.putShort(at + 3, (short) DnsQuery.MAX_UDP_RESPONSE_BYTES);
            out.putInt(at + 5, 0);
            out.putShort(at + 9, (short) 0);
        }
        return length;
    }

    private static int code(DnsResponseRejection reason) {
        return -1 - reason.ordinal();
    }
}
