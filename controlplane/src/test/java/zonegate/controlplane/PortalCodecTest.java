package zonegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PortalCodecTest {

    @Test
    void everyMessageRoundTripsInEveryDirectionItTravels() {
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 200; round++) {
            for (PortalMessage m : Messages.everyKind(random)) {
                assertThat(Messages.directionsOf(m)).as(m.event()).isNotEmpty();
                for (Direction d : Messages.directionsOf(m)) {
                    Frame frame = new Frame("gateway", random.nextBoolean() ? null : "r" + round, m);
                    String text = PortalCodec.encode(frame);

                    assertThat(PortalCodec.decode(text, d)).as("%s %s", d, text)
                            .isEqualTo(new DecodeResult.Decoded(frame));
                }
            }
        }
    }

    @Test
    void aCreateAuthorizationReadsFromTheWireShape() {
        String text = """
                {"topic":"gateway","event":"create_authorization","ref":"42","payload":{
                  "resource":{"type":"dns","id":"r1","name":"apps","address":"*.example.com",
                              "filters":[{"protocol":"tcp","port_range_start":443},{"protocol":"icmp"}]},
                  "client":{"id":"c1","public_key":"KEY=","ipv4":"100.64.0.2","ipv6":"fd00:2021:1111::2"},
                  "client_ice_credentials":{"username":"cu","password":"cp"},
                  "gateway_ice_credentials":{"username":"gu","password":"gp"},
                  "expires_at":1700000000,"use_iceless":false}}""";

        DecodeResult r = PortalCodec.decode(text, Direction.TO_GATEWAY);

        assertThat(r).isEqualTo(new DecodeResult.Decoded(new Frame("gateway", "42",
                new PortalMessage.CreateAuthorization(new Wire.Resource("dns", "r1", "apps", "*.example.com", null,
                        null, List.of(new Wire.Filter("tcp", 443, 65_535), new Wire.Filter("icmp", 0, 0))),
                        new Wire.Client("c1", "KEY=", null, "100.64.0.2", "fd00:2021:1111::2"),
                        new Wire.IceCredentials("cu", "cp"), new Wire.IceCredentials("gu", "gp"), 1_700_000_000L))));
    }

    @Test
    void theSameEventNameMeansWhatItsDirectionSays() {
        String granted = PortalCodec.encode(new Frame("client", null, new PortalMessage.AccessGranted("r", "g", "k",
                "100.64.0.1", "fd00:2021:1111::1", "site", null, new Wire.IceCredentials("a", "b"),
                new Wire.IceCredentials("c", "d"))));

        assertThat(PortalCodec.decode(granted, Direction.TO_CLIENT)).isInstanceOf(DecodeResult.Decoded.class);
        assertThat(PortalCodec.decode(granted, Direction.FROM_GATEWAY)).isEqualTo(new DecodeResult.Decoded(
                new Frame("client", null, new PortalMessage.AuthorizationCreated())));
        assertThat(PortalCodec.decode(granted, Direction.TO_RELAY))
                .isEqualTo(new DecodeResult.UnknownEvent("client", null, "authorization_created"));
    }

    @Test
    void aMissingOrMistypedFieldIsNamedInTheRejection() {
        assertThat(reject("{\"topic\":\"gateway\",\"event\":\"reject_access\",\"ref\":null,\"payload\":{\"client_id\":\"c\"}}",
                Direction.TO_GATEWAY)).isEqualTo("reject_access.resource_id must be a string");
        assertThat(reject("{\"topic\":\"gateway\",\"event\":\"init\",\"payload\":{\"interface\":{\"ipv4\":1,\"ipv6\":\"x\"}}}",
                Direction.TO_GATEWAY)).isEqualTo("init.interface.ipv4 must be a string");
        assertThat(reject("{\"topic\":\"client\",\"event\":\"resource_deleted\",\"payload\":[]}", Direction.TO_CLIENT))
                .contains("\"payload\" must be an object");
    }

    @Test
    void badValuesAreRefused() {
        assertThat(reject(resourceUpdated("{\"type\":\"printer\",\"id\":\"r\",\"name\":\"n\",\"address\":\"a\"}")))
                .contains("a resource's type must be one of");
        assertThat(reject(resourceUpdated("{\"type\":\"cidr\",\"id\":\"r\",\"name\":\"n\",\"address\":\"a\","
                + "\"filters\":[{\"protocol\":\"tcp\",\"port_range_start\":90,\"port_range_end\":80}]}")))
                .contains("below its port_range_start");
        assertThat(reject(resourceUpdated("{\"type\":\"cidr\",\"id\":\"r\",\"name\":\"n\",\"address\":\"a\","
                + "\"filters\":[{\"protocol\":\"udp\",\"port_range_start\":70000}]}")))
                .contains("between 0 and 65535");
        assertThat(reject(resourceUpdated("{\"type\":\"cidr\",\"id\":\"r\",\"name\":\"n\"}")))
                .isEqualTo("resource_updated.resource.address must be a string");
    }

    @Test
    void malformedFramesAreRejectedNotThrown() {
        assertThat(reject("not json", Direction.TO_CLIENT)).startsWith("not JSON");
        assertThat(reject("[1,2]", Direction.TO_CLIENT)).isEqualTo("a frame must be a JSON object");
        assertThat(reject("{\"topic\":\"t\",\"event\":\"e\",\"event\":\"f\",\"payload\":{}}", Direction.TO_CLIENT))
                .startsWith("not JSON").contains("Duplicate");
        assertThat(reject("{\"topic\":\"t\",\"event\":\"e\",\"payload\":" + "[".repeat(40) + "]".repeat(40) + "}",
                Direction.TO_CLIENT)).startsWith("not JSON");
        assertThat(reject("x".repeat(PortalCodec.MAX_TEXT_CHARS + 1), Direction.TO_CLIENT)).contains("characters");
        assertThat(reject("{\"topic\":\"t\",\"event\":7,\"payload\":{}}", Direction.TO_CLIENT))
                .contains("\"topic\" and \"event\"");
    }

    @Test
    void moreCandidatesThanTheBoundAreRefused() {
        String many = "[" + String.join(",", java.util.Collections.nCopies(PortalMessage.MAX_CANDIDATES + 1,
                "\"candidate:1 1 udp 1 192.0.2.1 5000 typ host\"")) + "]";
        assertThat(reject("{\"topic\":\"gateway\",\"event\":\"ice_candidates\",\"payload\":{\"client_id\":\"c\","
                + "\"candidates\":" + many + "}}", Direction.TO_GATEWAY)).contains("at most 64");
    }

    @Test
    void unknownFieldsAreIgnoredForNewerPeers() {
        DecodeResult r = PortalCodec.decode("{\"topic\":\"client\",\"event\":\"resource_deleted\",\"ref\":\"1\","
                + "\"payload\":{\"id\":\"r\",\"reason\":\"cleanup\"},\"extra\":true}", Direction.TO_CLIENT);
        assertThat(r).isEqualTo(new DecodeResult.Decoded(new Frame("client", "1", new PortalMessage.ResourceDeleted("r"))));
    }

    @Test
    void secretsStayOutOfToString() {
        assertThat(new PortalMessage.StampSecret("s3cret").toString()).doesNotContain("s3cret");
        assertThat(new Wire.Relay("r", "192.0.2.1:3478", "u", "p4ss", 1).toString()).doesNotContain("p4ss");
        assertThat(new Wire.IceCredentials("u", "p4ss").toString()).doesNotContain("p4ss");
    }

    private static String resourceUpdated(String resource) {
        return "{\"topic\":\"gateway\",\"event\":\"resource_updated\",\"payload\":{\"resource\":" + resource + "}}";
    }

    private static String reject(String text) {
        return reject(text, Direction.TO_GATEWAY);
    }

    private static String reject(String text, Direction d) {
        DecodeResult r = PortalCodec.decode(text, d);
        assertThat(r).as(text).isInstanceOf(DecodeResult.Rejected.class);
        return ((DecodeResult.Rejected) r).reason();
    }
}
