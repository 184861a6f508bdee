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
        Cursor c = new Cursor(buffer, offset, offset + length);
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

    /** Reads within [start, end) of one message; negative results are {@code ~DnsRejection.ordinal()}. */
    private static final class Cursor {
        private final ByteBuffer b;
        private final int start;
        private final int end;
        int recordType;
        int recordClass;

        Cursor(ByteBuffer b, int start, int end) {
            this.b = b;
            this.start = start;
            this.end = end;
        }

        int u8(int at) {
            return b.get(at) & 0xFF;
        }

        int u16(int at) {
            return (b.get(at) & 0xFF) << 8 | b.get(at + 1) & 0xFF;
        }

        /** Reads a name at {@code at} into {@code out} (if not null); returns the offset after it. */
        int name(int at, StringBuilder out) {
            int pos = at;
            int after = -1;
            int pointers = 0;
            int wireBytes = 0;
            while (true) {
                if (pos >= end) {
                    return ~DnsRejection.TRUNCATED.ordinal();
                }
                int len = u8(pos);
                int kind = len & 0xC0;
                if (kind == 0xC0) {
                    if (pos + 1 >= end) {
                        return ~DnsRejection.TRUNCATED.ordinal();
                    }
                    int target = start + ((len & 0x3F) << 8 | u8(pos + 1));
                    if (target >= pos || ++pointers > MAX_POINTERS) {
                        return ~DnsRejection.POINTER_LOOP.ordinal();
                    }
                    if (after < 0) {
                        after = pos + 2;
                    }
                    pos = target;
                    continue;
                }
                if (kind != 0) {
                    return ~DnsRejection.BAD_LABEL.ordinal();
                }
                wireBytes += len + 1;
                if (wireBytes > MAX_NAME_BYTES) {
                    return ~DnsRejection.NAME_TOO_LONG.ordinal();
                }
                if (len == 0) {
                    return after >= 0 ? after : pos + 1;
                }
                if (pos + 1 + len > end) {
                    return ~DnsRejection.TRUNCATED.ordinal();
                }
                if (out != null && !out.isEmpty()) {
                    out.append('.');
                }
                for (int i = pos + 1; i <= pos + len; i++) {
                    int ch = u8(i);
                    if (ch == '.') {
                        return ~DnsRejection.BAD_LABEL.ordinal();
                    }
                    if (out != null) {
                        out.append((char) ch);
                    }
                }
                pos += 1 + len;
            }
        }

        /** Skips a resource record, noting its type and class; returns the offset after it. */
        int skipRecord(int at) {
            int pos = name(at, null);
            if (pos < 0) {
                return pos;
            }
            if (pos + 10 > end) {
                return ~DnsRejection.TRUNCATED.ordinal();
            }
            recordType = u16(pos);
            recordClass = u16(pos + 2);
            int rdLength = u16(pos + 8);
            pos += 10 + rdLength;
            return pos > end ? ~DnsRejection.TRUNCATED.ordinal() : pos;
        }
    }
}
