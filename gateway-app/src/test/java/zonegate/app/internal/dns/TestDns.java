package zonegate.app.internal.dns;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' own small DNS codec, independent of zonegate.tunnel.dns so a bug there cannot hide itself:
 * queries and responses as a client and a fake upstream see them.
 */
final class TestDns {
    static final int A = 1;
    static final int AAAA = 28;
    static final int TXT = 16;

    private TestDns() {
    }

    /** A question as the fake upstream reads it. */
    record Question(int id, String name, int type, int qclass, int ednsSize) {
    }

    /** A response as a test client reads it. */
    record Response(int id, int flags, int answerCount, List<InetAddress> addresses, List<Long> ttls) {
        int rcode() {
            return flags & 0xF;
        }

        boolean truncated() {
            return (flags & 0x0200) != 0;
        }
    }

    /** A query with RD set; an OPT record advertising {@code ednsSize} when it is positive. */
    static byte[] query(int id, String name, int type, int ednsSize) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        put16(b, id, 0x0100, 1, 0, 0, ednsSize > 0 ? 1 : 0);
        name(b, name);
        put16(b, type, 1);
        if (ednsSize > 0) {
            b.write(0);
            put16(b, 41, ednsSize, 0, 0, 0);
        }
        return b.toByteArray();
    }

    static Question readQuery(byte[] m, int length) {
        int[] at = {12};
        String name = readName(m, at);
        int type = u16(m, at[0]);
        int qclass = u16(m, at[0] + 2);
        at[0] += 4;
        int edns = 0;
        if (u16(m, 10) > 0 && at[0] + 11 <= length && m[at[0]] == 0 && u16(m, at[0] + 1) == 41) {
            edns = u16(m, at[0] + 3);
        }
        return new Question(u16(m, 0), name, type, qclass, edns);
    }

    /** A response echoing {@code q}, with A and AAAA answers whose owner points at the question. */
    static byte[] response(Question q, int rcode, boolean truncated, List<InetAddress> addresses, long ttl) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        put16(b, q.id(), 0x8180 | (truncated ? 0x0200 : 0) | rcode, 1, addresses.size(), 0, 0);
        name(b, q.name());
        put16(b, q.type(), q.qclass());
        for (InetAddress address : addresses) {
            byte[] raw = address.getAddress();
            put16(b, 0xC00C, raw.length == 4 ? A : AAAA, 1, (int) (ttl >>> 16), (int) ttl, raw.length);
            b.writeBytes(raw);
        }
        return b.toByteArray();
    }

    static Response readResponse(byte[] m, int length) {
        int answers = u16(m, 6);
        int[] at = {12};
        for (int i = u16(m, 4); i > 0; i--) {
            readName(m, at);
            at[0] += 4;
        }
        List<InetAddress> addresses = new ArrayList<>();
        List<Long> ttls = new ArrayList<>();
        for (int i = 0; i < answers && at[0] < length; i++) {
            readName(m, at);
            int type = u16(m, at[0]);
            long ttl = (long) u16(m, at[0] + 4) << 16 | u16(m, at[0] + 6);
            int rdLength = u16(m, at[0] + 8);
            int rdata = at[0] + 10;
            if (type == A || type == AAAA) {
                byte[] raw = new byte[rdLength];
                System.arraycopy(m, rdata, raw, 0, rdLength);
                try {
                    addresses.add(InetAddress.getByAddress(raw));
                } catch (UnknownHostException e) {
                    throw new AssertionError(e);
                }
                ttls.add(ttl);
            }
            at[0] = rdata + rdLength;
        }
        return new Response(u16(m, 0), u16(m, 2), answers, addresses, ttls);
    }

    static int u16(byte[] m, int at) {
        return (m[at] & 0xFF) << 8 | m[at + 1] & 0xFF;
    }

    private static String readName(byte[] m, int[] at) {
        StringBuilder name = new StringBuilder();
        int pos = at[0];
        boolean jumped = false;
        while (true) {
            int len = m[pos] & 0xFF;
            if (len >= 0xC0) {
                if (!jumped) {
                    at[0] = pos + 2;
                }
                jumped = true;
                pos = (len & 0x3F) << 8 | m[pos + 1] & 0xFF;
                continue;
            }
            if (len == 0) {
                if (!jumped) {
                    at[0] = pos + 1;
                }
                return name.toString();
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(m, pos + 1, len, StandardCharsets.ISO_8859_1));
            pos += 1 + len;
        }
    }

    private static void name(ByteArrayOutputStream b, String name) {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                b.write(label.length());
                b.writeBytes(label.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        b.write(0);
    }

    private static void put16(ByteArrayOutputStream b, int... values) {
        for (int v : values) {
            b.write(v >> 8);
            b.write(v);
        }
    }
}
