package zonegate.tunnel.dns;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Builds the recursive queries a gateway sends to its upstream resolvers: header with RD set and one
 * question (class IN), optionally an EDNS0 OPT record (RFC 6891) advertising
 * {@value #EDNS_UDP_PAYLOAD_BYTES} bytes, the DNS Flag Day 2020 size that avoids IP fragmentation.
 *
 * <p>Names are written label by label as given (no compression, case preserved); a name the wire cannot
 * carry (an empty label, a label over 63 bytes, a character above 0xFF, over 255 bytes in all) is
 * refused with -1 rather than an exception, since it usually comes from a client. Thread-safe.
 */
public final class DnsQueryWriter {
    /** The EDNS0 UDP payload size we advertise to upstream resolvers. */
    public static final int EDNS_UDP_PAYLOAD_BYTES = 1232;
    /** The largest query this writer produces: header, a 255-byte name, type and class, OPT. */
    public static final int MAX_QUERY_BYTES = DnsParser.HEADER_BYTES + DnsParser.MAX_NAME_BYTES + 4 + 11;
    private static final int FLAG_RD = 0x0100;
    private static final int MAX_LABEL_BYTES = 63;

    private DnsQueryWriter() {
    }

    /**
     * Writes a query for {@code name} (a trailing dot is allowed; "" or "." is the root) at absolute
     * {@code offset} of {@code out}.
     *
     * @param id the message id (the low 16 bits are used); pick it at random for each query
     * @return the query's length, or -1 if the name cannot be encoded
     * @throws IllegalArgumentException if fewer than {@link #MAX_QUERY_BYTES} bytes remain from {@code offset}
     */
    public static int write(int id, String name, int type, boolean edns, ByteBuffer out, int offset) {
        Objects.requireNonNull(name, "name");
        if (offset < 0 || out.limit() - offset < MAX_QUERY_BYTES) {
            throw new IllegalArgumentException("no room for a DNS query at " + offset + " of " + out.limit());
        }
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        put16(out, offset, id);
        put16(out, offset + 2, FLAG_RD);
        put16(out, offset + 4, 1);
        put16(out, offset + 6, 0);
        put16(out, offset + 8, 0);
        put16(out, offset + 10, edns ? 1 : 0);
        int at = offset + DnsParser.HEADER_BYTES;
        int nameStart = at;
        if (!n.isEmpty()) {
            int labelStart = 0;
            while (labelStart <= n.length()) {
                int dot = n.indexOf('.', labelStart);
                int labelEnd = dot < 0 ? n.length() : dot;
                int labelBytes = labelEnd - labelStart;
                if (labelBytes == 0 || labelBytes > MAX_LABEL_BYTES
                        || at - nameStart + 1 + labelBytes + 1 > DnsParser.MAX_NAME_BYTES) {
                    return -1;
                }
                out.put(at++, (byte) labelBytes);
                for (int i = labelStart; i < labelEnd; i++) {
                    char ch = n.charAt(i);
                    if (ch > 0xFF) {
                        return -1;
                    }
                    out.put(at++, (byte) ch);
                }
                labelStart = labelEnd + 1;
            }
        }
        out.put(at++, (byte) 0);
        put16(out, at, type);
        put16(out, at + 2, DnsQuery.CLASS_IN);
        at += 4;
        if (edns) {
            out.put(at, (byte) 0);
            put16(out, at + 1, DnsQuery.TYPE_OPT);
            put16(out, at + 3, EDNS_UDP_PAYLOAD_BYTES);
            out.putInt(at + 5, 0);
            put16(out, at + 9, 0);
            at += 11;
        }
        return at - offset;
    }

    private static void put16(ByteBuffer out, int at, int value) {
        out.putShort(at, (short) value);
    }
}
