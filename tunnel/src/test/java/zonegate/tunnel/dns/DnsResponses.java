package zonegate.tunnel.dns;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** Hand-made upstream responses for tests: names uncompressed unless a record is given raw. */
final class DnsResponses {
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final int id;
    private int flags = 0x8180;
    private int questions;
    private int answers;

    private DnsResponses(int id) {
        this.id = id;
    }

    /** A NOERROR response with RD and RA set, and no question yet. */
    static DnsResponses response(int id) {
        return new DnsResponses(id);
    }

    DnsResponses flags(int value) {
        flags = value;
        return this;
    }

    DnsResponses question(String name, int type) {
        name(name);
        put16(type);
        put16(DnsQuery.CLASS_IN);
        questions++;
        return this;
    }

    DnsResponses a(String owner, String address, long ttl) {
        return record(owner, DnsQuery.TYPE_A, DnsQuery.CLASS_IN, ttl, InetAddress.ofLiteral(address).getAddress());
    }

    DnsResponses aaaa(String owner, String address, long ttl) {
        return record(owner, DnsQuery.TYPE_AAAA, DnsQuery.CLASS_IN, ttl, InetAddress.ofLiteral(address).getAddress());
    }

    DnsResponses cname(String owner, String target, long ttl) {
        ByteArrayOutputStream rdata = new ByteArrayOutputStream();
        writeName(rdata, target);
        return record(owner, DnsAnswersParser.TYPE_CNAME, DnsQuery.CLASS_IN, ttl, rdata.toByteArray());
    }

    DnsResponses record(String owner, int type, int recordClass, long ttl, byte[] rdata) {
        name(owner);
        put16(type);
        put16(recordClass);
        put16((int) (ttl >>> 16));
        put16((int) ttl);
        put16(rdata.length);
        body.writeBytes(rdata);
        answers++;
        return this;
    }

    /** Appends bytes as they are (a hand-built record with pointers, or garbage), counted as one answer. */
    DnsResponses rawAnswer(int... bytes) {
        for (int b : bytes) {
            body.write(b);
        }
        answers++;
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        int[] header = {id, flags, questions, answers, 0, 0};
        for (int field : header) {
            m.write(field >> 8);
            m.write(field);
        }
        m.writeBytes(body.toByteArray());
        return m.toByteArray();
    }

    private void name(String name) {
        writeName(body, name);
    }

    private static void writeName(ByteArrayOutputStream out, String name) {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                out.write(label.length());
                out.writeBytes(label.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        out.write(0);
    }

    private void put16(int v) {
        body.write(v >> 8);
        body.write(v);
    }
}
