package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import zonegate.filter.DnsPattern;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.packet.Checksum;
import zonegate.packet.IpPacket;
import zonegate.packet.IpProtocol;
import zonegate.packet.PacketParser;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.IpStack;
import zonegate.tunnel.dns.DnsAnswers;
import zonegate.tunnel.dns.DnsAnswersParser;
import zonegate.tunnel.dns.DnsAnswersResult;
import zonegate.tunnel.dns.DnsQuery;

/** Queries as IP packets, upstream responses, and answers parsed back, for the stub resolver's tests. */
final class StubFixture {
    static final String CLIENT4 = "100.64.0.7";
    static final String CLIENT6 = "fd00:2021:1111::7";
    static final String SENTINEL4 = "100.100.111.1";
    /** Upstream 1 is IPv6, so it gets the second IPv6 sentinel. */
    static final String SENTINEL6 = "fd00:2021:1111:8000:100:100:111:1";
    static final InetSocketAddress UPSTREAM4 = new InetSocketAddress(InetAddress.ofLiteral("192.0.2.53"), 53);
    static final InetSocketAddress UPSTREAM6 = new InetSocketAddress(InetAddress.ofLiteral("2001:db8::53"), 53);
    static final int CLIENT_PORT = 40_000;
    static final int TYPE_SRV = 33;

    private StubFixture() {
    }

    /** A resolver with one IPv4 and one IPv6 upstream (sentinels 100.100.111.1 and ...:111:1). */
    static StubResolver resolver(ClientResource... resources) {
        StubResolver stub = new StubResolver(StubResolver.DEFAULT_MAX_IN_FLIGHT,
                StubResolver.DEFAULT_UPSTREAM_TIMEOUT_NS);
        stub.setUpstreams(List.of(UPSTREAM4, UPSTREAM6));
        stub.setResources(List.of(resources));
        return stub;
    }

    static ClientResource dns(String id, String pattern) {
        return dns(id, pattern, IpStack.DUAL);
    }

    static ClientResource dns(String id, String pattern, IpStack stack) {
        return new ClientResource(new Resource.Dns(ResourceId.of(id), DnsPattern.of(pattern)), id, "site",
                List.of(), stack);
    }

    static InetAddress ip(String text) {
        return InetAddress.ofLiteral(text);
    }

    /** A DNS query message with RD set and an OPT record advertising {@code udpSize} if > 0. */
    static byte[] query(int id, String name, int type, int udpSize) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int field : new int[] {id, 0x0100, 1, 0, 0, udpSize > 0 ? 1 : 0}) {
            put16(b, field);
        }
        writeName(b, name);
        put16(b, type);
        put16(b, DnsQuery.CLASS_IN);
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

    /** {@code payload} in UDP from {@code source}:{@value #CLIENT_PORT} to {@code destination}:53, checksums valid. */
    static byte[] udp(String source, String destination, byte[] payload) {
        return udp(source, CLIENT_PORT, destination, 53, payload);
    }

    static byte[] udp(String source, int sourcePort, String destination, int destinationPort, byte[] payload) {
        byte[] udp = new byte[8 + payload.length];
        ByteBuffer u = ByteBuffer.wrap(udp);
        u.putShort(0, (short) sourcePort);
        u.putShort(2, (short) destinationPort);
        u.putShort(4, (short) udp.length);
        u.put(8, payload);
        return ipPacket(source, destination, IpProtocol.UDP, udp);
    }

    static byte[] ipPacket(String source, String destination, int protocol, byte[] transport) {
        InetAddress src = ip(source);
        InetAddress dst = ip(destination);
        boolean v4 = src instanceof Inet4Address;
        int header = v4 ? 20 : 40;
        ByteBuffer b = ByteBuffer.allocate(header + transport.length);
        if (v4) {
            b.put(0, (byte) 0x45);
            b.putShort(2, (short) (20 + transport.length));
            b.put(8, (byte) 64);
            b.put(9, (byte) protocol);
            b.put(12, src.getAddress());
            b.put(16, dst.getAddress());
            b.putShort(10, (short) Checksum.compute(b, 0, 20));
        } else {
            b.put(0, (byte) 0x60);
            b.putShort(4, (short) transport.length);
            b.put(6, (byte) protocol);
            b.put(7, (byte) 64);
            b.put(8, src.getAddress());
            b.put(24, ((Inet6Address) dst).getAddress());
        }
        b.put(header, transport);
        IpPacket p = new PacketParser().parseOrNull(b, 0, b.capacity());
        assertThat(p).as("test packet parses").isNotNull();
        p.updateChecksums();
        return b.array();
    }

    /** Hands {@code packet} to the resolver. */
    static StubResult send(StubResolver stub, byte[] packet, long nowNs) {
        return stub.handleQuery(ByteBuffer.wrap(packet), 0, packet.length, nowNs);
    }

    /** Sends a query from the IPv4 client to the IPv4 sentinel. */
    static StubResult ask(StubResolver stub, int id, String name, int type) {
        return send(stub, udp(CLIENT4, SENTINEL4, query(id, name, type, 0)), 0);
    }

    /** The DNS payload of an answer, after checking it is a valid IP/UDP packet from {@code sentinel}:53 to the client. */
    static byte[] dnsOf(StubResult result, String sentinel, String client) {
        assertThat(result).isInstanceOf(StubResult.Answer.class);
        byte[] packet = ((StubResult.Answer) result).ipPacket();
        IpPacket p = new PacketParser().parseOrNull(ByteBuffer.wrap(packet), 0, packet.length);
        assertThat(p).as("answer parses").isNotNull();
        assertThat(p.hasValidChecksums()).as("answer checksums").isTrue();
        assertThat(p.protocol()).isEqualTo(IpProtocol.UDP);
        InetAddress source = p.version() == 4 ? p.ipv4().sourceAddress() : p.ipv6().sourceAddress();
        InetAddress destination = p.version() == 4 ? p.ipv4().destinationAddress() : p.ipv6().destinationAddress();
        assertThat(source).isEqualTo(ip(sentinel));
        assertThat(destination).isEqualTo(ip(client));
        assertThat(p.sourcePort()).isEqualTo(53);
        assertThat(p.destinationPort()).isEqualTo(CLIENT_PORT);
        byte[] dns = new byte[p.udp().payloadLengthBytes()];
        ByteBuffer.wrap(packet).get(p.udp().payloadOffset(), dns);
        return dns;
    }

    /** The DNS payload of an answer to the IPv4 client from the IPv4 sentinel. */
    static byte[] dnsOf(StubResult result) {
        return dnsOf(result, SENTINEL4, CLIENT4);
    }

    /** The answer parsed with the codec, checked to answer {@code name}/{@code type} with {@code id}. */
    static DnsAnswers answers(byte[] dns, int id, String name, int type) {
        DnsAnswersResult r = DnsAnswersParser.parse(ByteBuffer.wrap(dns), 0, dns.length, id, name, type);
        assertThat(r).isInstanceOf(DnsAnswersResult.Answers.class);
        return ((DnsAnswersResult.Answers) r).answers();
    }

    static int id(byte[] dns) {
        return (dns[0] & 0xFF) << 8 | dns[1] & 0xFF;
    }

    static int rcode(byte[] dns) {
        return dns[3] & 0xF;
    }

    static boolean truncated(byte[] dns) {
        return (dns[2] & 0x02) != 0;
    }

    static int count(byte[] dns, int section) {
        return (dns[4 + 2 * section] & 0xFF) << 8 | dns[5 + 2 * section] & 0xFF;
    }

    /** The target of the only answer, a PTR record right after a one-question section (uncompressed target). */
    static String ptrTarget(byte[] dns) {
        ByteBuffer b = ByteBuffer.wrap(dns);
        int at = skipName(b, 12) + 4;
        assertThat(b.getShort(at) & 0xFFFF).as("owner is a pointer to the question").isEqualTo(0xC00C);
        assertThat(b.getShort(at + 2) & 0xFFFF).isEqualTo(DnsQuery.TYPE_PTR);
        at += 12;
        List<String> labels = new ArrayList<>();
        for (int len = b.get(at) & 0xFF; len != 0; len = b.get(at) & 0xFF) {
            labels.add(new String(dns, at + 1, len, StandardCharsets.ISO_8859_1));
            at += 1 + len;
        }
        return String.join(".", labels);
    }

    /** An upstream response to {@code query}: its header with QR and RA, its question, and {@code answers} A records. */
    static byte[] response(byte[] query, int answers) {
        ByteBuffer q = ByteBuffer.wrap(query);
        int questionEnd = skipName(q, 12) + 4;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(query, 0, questionEnd);
        byte[] out;
        for (int i = 0; i < answers; i++) {
            put16(b, 0xC00C);
            put16(b, DnsQuery.TYPE_A);
            put16(b, DnsQuery.CLASS_IN);
            put16(b, 0);
            put16(b, 300);
            put16(b, 4);
            b.write(192);
            b.write(0);
            b.write(2);
            b.write(i);
        }
        out = b.toByteArray();
        out[2] = (byte) (out[2] | 0x80);
        out[3] = (byte) 0x80;
        out[6] = (byte) (answers >> 8);
        out[7] = (byte) answers;
        out[10] = 0;
        out[11] = 0;
        return out;
    }

    static String reverse4(String address) {
        byte[] a = ip(address).getAddress();
        return (a[3] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[0] & 0xFF) + ".in-addr.arpa";
    }

    static String reverse6(String address) {
        byte[] a = ip(address).getAddress();
        StringBuilder s = new StringBuilder();
        for (int i = 15; i >= 0; i--) {
            s.append(Character.forDigit(a[i] & 0xF, 16)).append('.').append(Character.forDigit(a[i] >> 4 & 0xF, 16))
                    .append('.');
        }
        return s.append("ip6.arpa").toString();
    }

    static int ipv4(String address) {
        return ByteBuffer.wrap(ip(address).getAddress()).getInt();
    }

    static long high(String address) {
        return ByteBuffer.wrap(ip(address).getAddress()).getLong(0);
    }

    static long low(String address) {
        return ByteBuffer.wrap(ip(address).getAddress()).getLong(8);
    }

    private static int skipName(ByteBuffer b, int at) {
        while ((b.get(at) & 0xFF) != 0) {
            at += 1 + (b.get(at) & 0xFF);
        }
        return at + 1;
    }

    private static void writeName(ByteArrayOutputStream b, String name) {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                b.write(label.length());
                b.writeBytes(label.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        b.write(0);
    }

    private static void put16(ByteArrayOutputStream b, int v) {
        b.write(v >> 8);
        b.write(v);
    }
}
