package zonegate.tunnel.dns;

import java.nio.ByteBuffer;

/**
 * Reads within [start, end) of one message for {@link DnsParser} and {@link DnsAnswersParser}; negative
 * results are {@code ~DnsRejection.ordinal()}, so no read past {@code end} ever throws.
 */
final class DnsCursor {
    private final ByteBuffer b;
    private final int start;
    final int end;
    int recordType;
    int recordClass;

    DnsCursor(ByteBuffer b, int start, int end) {
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

    /** An unsigned 32-bit field; the caller has checked that four bytes remain. */
    long u32(int at) {
        return (long) u16(at) << 16 | u16(at + 2);
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
                if (target >= pos || ++pointers > DnsParser.MAX_POINTERS) {
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
            if (wireBytes > DnsParser.MAX_NAME_BYTES) {
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
