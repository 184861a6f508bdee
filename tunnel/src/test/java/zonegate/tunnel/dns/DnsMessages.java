package zonegate.tunnel.dns;

import java.io.ByteArrayOutputStream;

/** Hand-made DNS queries for tests. */
final class DnsMessages {
    private DnsMessages() {
    }

    /** A query for {@code name} of {@code type} with RD set, and an OPT record advertising {@code udpSize} if > 0. */
    static byte[] query(int id, String name, int type, int udpSize) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        put16(b, id);
        put16(b, 0x0100);
        put16(b, 1);
        put16(b, 0);
        put16(b, 0);
        put16(b, udpSize > 0 ? 1 : 0);
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                b.write(label.length());
                b.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        }
        b.write(0);
        put16(b, type);
        put16(b, 1);
        if (udpSize > 0) {
            b.write(0);
            put16(b, DnsQuery.TYPE_OPT);
            put16(b, udpSize);
            put16(b, 0);
            put16(b, 0);
            put16(b, 0);
        }
        return b.toByteArray();
    }

    private static void put16(ByteArrayOutputStream b, int v) {
        b.write(v >> 8);
        b.write(v);
    }
}
