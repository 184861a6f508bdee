package zonegate.tunnel.dns;

import java.nio.ByteBuffer;

/**
 * Parses a DNS query (RFC 1035 section 4) for a stub-facing server: the header, exactly one question,
 * and the additional section's EDNS0 OPT record (RFC 6891), whose UDP payload size bounds the response.
 * Answer and authority records are skipped (validated, not kept).
 *
 * <pre>
 *  0  1  2  3  4  5  6  7  8  9 10 11 12 13 14 15
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * |                      ID                       |
 * |QR|  Opcode   |AA|TC|RD|RA|   Z    |   RCODE   |
 * |          QDCOUNT  |  ANCOUNT  |  NSCOUNT  |  ARCOUNT (16 bits each)
 * +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
 * question: QNAME (labels, or a pointer 11xxxxxx xxxxxxxx), QTYPE, QCLASS
 * </pre>
 *
 * <p>Names: a compression pointer must point strictly before the label it replaces, and at most
 * {@value #MAX_POINTERS} may be followed per name, so no message can loop the parser; names over 255
 * bytes, reserved label types and labels containing a dot are refused. Never throws on bad bytes: every
 * problem is a {@link DnsRejection}. Stateless and allocation-light (the name string); thread-safe.
 */
public final class DnsParser {
    static final int HEADER_BYTES = 12;
    static final int MAX_NAME_BYTES = 255;
    static final int MAX_POINTERS = 16;

    private DnsParser() {
    }

    /** Parses the message of {@code length} bytes at absolute {@code offset} of {@code buffer}. */
    public static DnsParseResult parse(ByteBuffer buffer, int offset, int length) {
        if (offset < 0 || length < 0 || offset > buffer.limit() - length) {
            return new DnsParseResult.Rejected(DnsRejection.TRUNCATED, -1);
        }
        if (length < HEADER_BYTES) {
            return new DnsParseResult.Rejected(DnsRejection.TOO_SHORT, -1);
        }
        DnsCursor c = new DnsCursor(buffer, offset, offset + length);
        int id = c.u16(offset);
        int flags = c.u16(offset + 2);
        if ((flags & 0x8000) != 0) {
            return new DnsParseResult.Rejected(DnsRejection.NOT_A_QUERY, id);
        }
        if ((flags >>> 11 & 0xF) != 0) {
            return new DnsParseResult.Rejected(DnsRejection.UNSUPPORTED_OPCODE, id);
        }
        if (c.u16(offset + 4) != 1) {
            return new DnsParseResult.Rejected(DnsRejection.BAD_QUESTION_COUNT, id);
        }
        int skipped = c.u16(offset + 6) + c.u16(offset + 8);
        int additional = c.u16(offset + 10);
        StringBuilder name = new StringBuilder();
        int at = c.name(offset + HEADER_BYTES, name);
        if (at < 0 || at + 4 > c.end) {
            return new DnsParseResult.Rejected(at < 0 ? DnsRejection.values()[~at] : DnsRejection.TRUNCATED, id);
        }
        int type = c.u16(at);
        int qclass = c.u16(at + 2);
        at += 4;
        for (int i = 0; i < skipped; i++) {
            at = c.skipRecord(at);
            if (at < 0) {
                return new DnsParseResult.Rejected(DnsRejection.values()[~at], id);
            }
        }
        boolean edns = false;
        int udpSize = 0;
        for (int i = 0; i < additional; i++) {
            int start = at;
            at = c.skipRecord(at);
            if (at < 0) {
                return new DnsParseResult.Rejected(DnsRejection.values()[~at], id);
            }
            if (c.recordType == DnsQuery.TYPE_OPT) {
                if (edns || c.u8(start) != 0) {
                    return new DnsParseResult.Rejected(DnsRejection.BAD_OPT, id);
                }
                edns = true;
                udpSize = c.recordClass;
            }
        }
        return new DnsParseResult.Query(new DnsQuery(id, flags, name.toString(), type, qclass, edns, udpSize));
    }
}
