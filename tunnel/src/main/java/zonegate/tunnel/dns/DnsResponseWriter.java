package zonegate.tunnel.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Builds responses to a {@link DnsQuery}: the question echoed (case preserved), then A or AAAA answers
 * whose owner is a compression pointer to the question's name, then an OPT record when the query had
 * one (RFC 6891 section 7: a responder that understands EDNS answers with one). Flags: QR, the query's
 * opcode and RD, RA set.
 *
 * <p>Size: a response never exceeds {@code maxBytes} (use {@link DnsQuery#udpResponseLimitBytes()} over
 * UDP, 65535 over TCP). Answers that do not fit are left out, whole, and TC is set so the client retries
 * over TCP (RFC 2181 section 9). Writes into the caller's buffer at an absolute offset; returns the length.
 */
public final class DnsResponseWriter {
    /** Firezone's stub answers with a TTL of 1 s, so clients come back and proxies stay current. */
    public static final int DEFAULT_TTL_SECONDS = 1;
    private static final int FLAG_QR = 0x8000;
    private static final int FLAG_TC = 0x0200;
    private static final int FLAG_RD = 0x0100;
    private static final int FLAG_RA = 0x0080;
    private static final int OPT_BYTES = 11;
    private static final int POINTER_TO_QUESTION = 0xC000 | DnsParser.HEADER_BYTES;

    private DnsResponseWriter() {
    }

    /**
     * NOERROR with the addresses of the question's type as answers: IPv4 ones for A, IPv6 ones for AAAA;
     * none (NODATA) for any other type or when the list has none of that family.
     *
     * @throws IllegalArgumentException if {@code [offset, offset + min(maxBytes, 512))} is not in the buffer
     */
    public static int writeAnswer(DnsQuery query, List<? extends InetAddress> addresses, int ttlSeconds, int maxBytes,
                                  ByteBuffer out, int offset) {
        int limit = room(out, offset, maxBytes);
        int at = writeHeaderAndQuestion(query, DnsRcode.NOERROR, out, offset);
        int reserve = query.edns() ? OPT_BYTES : 0;
        int answers = 0;
        boolean truncated = false;
        for (InetAddress address : addresses) {
            boolean v4 = address instanceof Inet4Address;
            boolean wanted = query.type() == DnsQuery.TYPE_A ? v4
                    : query.type() == DnsQuery.TYPE_AAAA && address instanceof Inet6Address;
            if (!wanted) {
                continue;
            }
            byte[] raw = address.getAddress();
            int recordBytes = 12 + raw.length;
            if (at + recordBytes + reserve > offset + limit) {
                truncated = true;
                break;
            }
            put16(out, at, POINTER_TO_QUESTION);
            put16(out, at + 2, query.type());
            put16(out, at + 4, DnsQuery.CLASS_IN);
            out.putInt(at + 6, ttlSeconds);
            put16(out, at + 10, raw.length);
            out.put(at + 12, raw);
            at += recordBytes;
            answers++;
        }
        put16(out, offset + 6, answers);
        if (truncated) {
            put16(out, offset + 2, out.getShort(offset + 2) & 0xFFFF | FLAG_TC);
        }
        return writeOpt(query, out, offset, at) - offset;
    }

    /**
     * NOERROR with one PTR answer naming {@code target} (a reverse lookup the server answers itself). The
     * target is written label by label as given; if the record does not fit in {@code maxBytes}, the
     * response has no answer and TC set.
     *
     * @param target a name of at most 253 characters, labels of 1 to 63 characters up to 0xFF each
     * @throws IllegalArgumentException if the buffer is too small, or {@code target} is not such a name
     */
    public static int writePtr(DnsQuery query, String target, int ttlSeconds, int maxBytes, ByteBuffer out,
                               int offset) {
        int limit = room(out, offset, maxBytes);
        String name = target.endsWith(".") ? target.substring(0, target.length() - 1) : target;
        if (name.length() > 253) {
            throw new IllegalArgumentException("PTR target longer than 253 characters");
        }
        int at = writeHeaderAndQuestion(query, DnsRcode.NOERROR, out, offset);
        int reserve = query.edns() ? OPT_BYTES : 0;
        int rdataBytes = name.isEmpty() ? 1 : name.length() + 2;
        if (at + 12 + rdataBytes + reserve > offset + limit) {
            put16(out, offset + 2, out.getShort(offset + 2) & 0xFFFF | FLAG_TC);
            return writeOpt(query, out, offset, at) - offset;
        }
        put16(out, at, POINTER_TO_QUESTION);
        put16(out, at + 2, DnsQuery.TYPE_PTR);
        put16(out, at + 4, DnsQuery.CLASS_IN);
        out.putInt(at + 6, ttlSeconds);
        put16(out, at + 10, rdataBytes);
        int end = writeName(name, true, out, at + 12);
        put16(out, offset + 6, 1);
        return writeOpt(query, out, offset, end) - offset;
    }

    /**
     * A response with no answer and {@code rcode}: NOERROR for NODATA, NXDOMAIN, REFUSED, SERVFAIL, ...
     */
    public static int writeEmpty(DnsQuery query, DnsRcode rcode, int maxBytes, ByteBuffer out, int offset) {
        room(out, offset, maxBytes);
        int at = writeHeaderAndQuestion(query, rcode, out, offset);
        return writeOpt(query, out, offset, at) - offset;
    }

    /**
     * A header-only response to a message that could not be parsed as a query: FORMERR (or NOTIMP for an
     * unsupported opcode), with no question. Use the id of {@link DnsParseResult.Rejected}.
     */
    public static int writeHeaderOnly(int id, DnsRcode rcode, ByteBuffer out, int offset) {
        room(out, offset, DnsParser.HEADER_BYTES);
        put16(out, offset, id);
        put16(out, offset + 2, FLAG_QR | FLAG_RA | rcode.code());
        for (int i = 4; i < DnsParser.HEADER_BYTES; i += 2) {
            put16(out, offset + i, 0);
        }
        return DnsParser.HEADER_BYTES;
    }

    private static int writeHeaderAndQuestion(DnsQuery query, DnsRcode rcode, ByteBuffer out, int offset) {
        int flags = FLAG_QR | query.flags() & (0xF << 11 | FLAG_RD) | FLAG_RA | rcode.code();
        put16(out, offset, query.id());
        put16(out, offset + 2, flags);
        put16(out, offset + 4, 1);
        put16(out, offset + 6, 0);
        put16(out, offset + 8, 0);
        put16(out, offset + 10, query.edns() ? 1 : 0);
        int at = writeName(query.name(), false, out, offset + DnsParser.HEADER_BYTES);
        put16(out, at, query.type());
        put16(out, at + 2, query.qclass());
        return at + 4;
    }

    /** Writes {@code name} (no trailing dot, "" for the root) as labels; returns the offset after it. */
    private static int writeName(String name, boolean check, ByteBuffer out, int at) {
        if (!name.isEmpty()) {
            int labelStart = 0;
            while (labelStart <= name.length()) {
                int dot = name.indexOf('.', labelStart);
                int labelEnd = dot < 0 ? name.length() : dot;
                if (check && (labelEnd == labelStart || labelEnd - labelStart > 63)) {
                    throw new IllegalArgumentException("not a DNS name: " + name);
                }
                out.put(at++, (byte) (labelEnd - labelStart));
                for (int i = labelStart; i < labelEnd; i++) {
                    char ch = name.charAt(i);
                    if (check && ch > 0xFF) {
                        throw new IllegalArgumentException("not a DNS name: " + name);
                    }
                    out.put(at++, (byte) ch);
                }
                labelStart = labelEnd + 1;
            }
        }
        out.put(at++, (byte) 0);
        return at;
    }

    private static int writeOpt(DnsQuery query, ByteBuffer out, int offset, int at) {
        if (!query.edns()) {
            return at;
        }
        out.put(at, (byte) 0);
        put16(out, at + 1, DnsQuery.TYPE_OPT);
        put16(out, at + 3, DnsQuery.MAX_UDP_RESPONSE_BYTES);
        out.putInt(at + 5, 0);
        put16(out, at + 9, 0);
        return at + OPT_BYTES;
    }

    /** The usable size: at most maxBytes and what the buffer holds; at least 512 must fit. */
    private static int room(ByteBuffer out, int offset, int maxBytes) {
        Objects.requireNonNull(out, "out");
        int limit = Math.min(Math.max(maxBytes, DnsQuery.CLASSIC_UDP_BYTES), out.limit() - offset);
        if (offset < 0 || limit < Math.min(DnsQuery.CLASSIC_UDP_BYTES, Math.max(maxBytes, DnsParser.HEADER_BYTES))) {
            throw new IllegalArgumentException("no room for a DNS response at " + offset + " of " + out.limit());
        }
        return limit;
    }

    private static void put16(ByteBuffer out, int at, int value) {
        out.putShort(at, (short) value);
    }
}
