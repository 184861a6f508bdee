package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The peer-to-peer control codec: wire layout, round trips, strict bodies, and arbitrary bytes never throwing. */
class P2pControlTest {
    private static final UUID RESOURCE = UUID.fromString("3f0a4c6e-2b1d-4e8f-9a7b-5c6d7e8f9a0b");

    @Test
    void goodbyeIsAnIpv6PacketFromAndToUnspecifiedWithNextHeader255() {
        ByteBuffer out = ByteBuffer.allocate(64);
        int length = P2pControl.write(new P2pMessage.Goodbye(), out);

        assertThat(length).isEqualTo(48);
        byte[] expected = new byte[48];
        expected[0] = 0x60;
        expected[5] = 8;
        expected[6] = (byte) 0xFF;
        expected[40] = 2;
        assertThat(java.util.Arrays.copyOf(out.array(), 48)).isEqualTo(expected);
        assertThat(P2pControl.parse(out.flip(), 0, 48)).isEqualTo(new P2pParseResult.Parsed(new P2pMessage.Goodbye()));
    }

    @Test
    void assignedIpsAndDomainStatusRoundTrip() {
        List<InetAddress> ips = List.of(InetAddress.ofLiteral("100.96.0.1"), InetAddress.ofLiteral("100.96.0.2"),
                InetAddress.ofLiteral("fd00:2021:1111:8000::1"));
        for (P2pMessage m : List.of(new P2pMessage.AssignedIps(RESOURCE, "app.example.com", ips),
                new P2pMessage.DomainStatus(RESOURCE, "app.example.com", true),
                new P2pMessage.DomainStatus(RESOURCE, "\"quoted\\name\u0001", false))) {
            ByteBuffer out = ByteBuffer.allocate(2048);
            int length = P2pControl.write(m, out);
            assertThat(P2pControl.parse(out.flip(), 0, length)).isEqualTo(new P2pParseResult.Parsed(m));
        }
    }

    @Test
    void referenceShapedBodiesParse() {
        String body = "{ \"resource\": \"" + RESOURCE + "\", \"domain\": \"a.example\", \"proxy_ips\": "
                + "[\"100.96.0.1\", \"100.96.0.2\", \"100.96.0.3\", \"100.96.0.4\"] }";
        assertThat(parse(0, body)).isInstanceOfSatisfying(P2pParseResult.Parsed.class,
                p -> assertThat(((P2pMessage.AssignedIps) p.message()).proxyIps()).hasSize(4));
        assertThat(parse(1, "{\"resource\":\"" + RESOURCE + "\",\"domain\":\"a\",\"status\":\"Active\"}"))
                .isEqualTo(new P2pParseResult.Parsed(new P2pMessage.DomainStatus(RESOURCE, "a", true)));
        assertThat(parse(1, "{\"resource\":\"" + RESOURCE + "\",\"domain\":\"a\",\"status\":\"Whatever\"}"))
                .as("unknown status is inactive")
                .isEqualTo(new P2pParseResult.Parsed(new P2pMessage.DomainStatus(RESOURCE, "a", false)));
    }

    @Test
    void malformedBodiesAndHeadersAreRejectedAndUnknownTypesReported() {
        String ok = "{\"resource\":\"" + RESOURCE + "\",\"domain\":\"a\",\"status\":\"Active\"}";
        for (String bad : List.of("", "{", "[]", "{\"resource\":1}", ok + "x", ok.replace("}", ",\"domain\":\"b\"}"),
                "{\"resource\":\"not-a-uuid\",\"domain\":\"a\",\"status\":\"Active\"}",
                "{\"resource\":\"" + RESOURCE + "\",\"domain\":\"a\",\"status\":{}}",
                "{\"resource\":\"" + RESOURCE + "\",\"domain\":\"a\\q\",\"status\":\"Active\"}")) {
            assertThat(parse(1, bad)).as(bad).isInstanceOf(P2pParseResult.Rejected.class);
        }
        assertThat(parse(0, "{\"resource\":\"" + RESOURCE + "\",\"domain\":\"a\",\"proxy_ips\":[\"1.2.3\"]}"))
                .isInstanceOf(P2pParseResult.Rejected.class);
        assertThat(parse(2, "{}")).as("goodbye with a body").isInstanceOf(P2pParseResult.Rejected.class);
        assertThat(parse(9, "")).isEqualTo(new P2pParseResult.UnknownType(9));

        byte[] reserved = packet(2, "");
        reserved[41] = 1;
        assertThat(P2pControl.parse(ByteBuffer.wrap(reserved), 0, reserved.length))
                .isInstanceOf(P2pParseResult.Rejected.class);
        byte[] ordinary = Packets.ipv4(1, 100);
        assertThat(P2pControl.parse(ByteBuffer.wrap(ordinary), 0, 100)).isEqualTo(new P2pParseResult.NotControl());
        byte[] notUnspecified = packet(2, "");
        notUnspecified[39] = 1;
        assertThat(P2pControl.isControl(ByteBuffer.wrap(notUnspecified), 0, 48)).isFalse();
    }

    @Test
    void arbitraryBytesNeverThrow() {
        SplittableRandom random = new SplittableRandom(7);
        List<P2pParseResult> results = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = packet(random.nextInt(4), "");
            byte[] body = new byte[random.nextInt(64)];
            random.nextBytes(body);
            byte[] all = java.util.Arrays.copyOf(bytes, bytes.length + body.length);
            System.arraycopy(body, 0, all, bytes.length, body.length);
            ByteBuffer.wrap(all).putShort(4, (short) (8 + body.length));
            results.add(P2pControl.parse(ByteBuffer.wrap(all), 0, all.length));
        }
        assertThat(results).allMatch(r -> !(r instanceof P2pParseResult.NotControl));
    }

    private static P2pParseResult parse(int type, String body) {
        byte[] p = packet(type, body);
        return P2pControl.parse(ByteBuffer.wrap(p), 0, p.length);
    }

    static byte[] packet(int type, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ByteBuffer p = ByteBuffer.allocate(48 + b.length);
        p.putInt(0x6000_0000).putShort((short) (8 + b.length)).put((byte) 0xFF).put((byte) 0).put(new byte[32])
                .put((byte) type).put(new byte[7]).put(b);
        return p.array();
    }
}
