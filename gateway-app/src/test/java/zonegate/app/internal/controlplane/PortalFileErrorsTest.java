package zonegate.app.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zonegate.app.spi.PolicyProblem;

/** Every problem of portal.json names the file, line and column, and the reason. One edit of the valid file each. */
class PortalFileErrorsTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                error("unknown top-level field", "\"portal\":", "\"portl\": {}, \"portal\":",
                        "p.json:2:3: portl: unknown field \"portl\"; did you mean \"portal\"?"),
                error("unknown gateway field", "\"name\": \"gw-1\",", "\"name\": \"gw-1\", \"port\": 1,",
                        "p.json:7:23: gateways[0].port: unknown field \"port\" (known: description, name, site, tokenSha256)"),
                error("gateway in an unknown site", "\"site\": \"office\", \"tokenSha256\"",
                        "\"site\": \"home\", \"tokenSha256\"", "p.json:7:31: gateways[0].site: unknown site \"home\""),
                error("token hash too short", PortalTestConfigs.RELAY_HASH, "abc123",
                        "p.json:10:41: relays[0].tokenSha256: expected 64 hex characters (the SHA-256 of the token, as"
                                + " `zonegate token` prints it), got 6 characters"),
                error("duplicate client token hash", PortalTestConfigs.BOB_HASH, PortalTestConfigs.ALICE_HASH,
                        "p.json:14:37: clients[1].tokenSha256: token hash already used at line 13"),
                error("duplicate client name", "{ \"name\": \"bob\"", "{ \"name\": \"alice\"",
                        "p.json:14:15: clients[1].name: duplicate client name \"alice\" (first at line 13)"),
                error("client address outside the tunnel range", "\"ipv4\": \"100.64.0.3\"", "\"ipv4\": \"10.1.0.3\"",
                        "p.json:14:113: clients[1].ipv4: 10.1.0.3 is outside the tunnel range 100.64.0.0/11"),
                error("client address used twice", "\"ipv6\": \"fd00:2021:1111::3\"", "\"ipv6\": \"fd00:2021:1111::2\"",
                        "p.json:14:135: clients[1].ipv6: address fd00:2021:1111::2 already used by the client at line 13"),
                error("resource in an unknown site", "\"address\": \"wiki.internal\", \"site\": \"office\"",
                        "\"address\": \"wiki.internal\", \"site\": \"lab\"",
                        "p.json:19:120: resources[1].site: unknown site \"lab\""),
                error("DNS resource whose id is no UUID", "\"6f1c3c7e-2b8a-4c43-9a55-0e6f3b1d2a10\", \"name\"",
                        "\"wiki\", \"name\"", "p.json:19:13: resources[1].id: a DNS resource served through the portal"
                                + " needs a UUID id (e.g. d54b7ba2-7571-32f0-8b38-ed9273b974f2), not \"wiki\": clients name it"
                                + " to gateways by UUID"),
                error("resource without a site", ", \"site\": \"office\" }", " }",
                        "p.json:19:5: resources[1]: missing required field \"site\""),
                error("resource overlapping the tunnel range", "\"10.0.0.0/24\"", "\"100.64.0.0/24\"",
                        "p.json:17:47: resources[0].address: 100.64.0.0/24 overlaps the tunnel range 100.64.0.0/11"),
                error("policy of an unknown client", "{ \"client\": \"alice\"", "{ \"client\": \"carol\"",
                        "p.json:22:17: policies[0].client: unknown client \"carol\""),
                error("policy of an unknown resource", "\"resource\": \"web\"", "\"resource\": \"db\"",
                        "p.json:22:38: policies[0].resource: unknown resource \"db\""),
                error("expiry that is not an instant", "2030-01-01T00:00:00Z", "next year",
                        "p.json:23:89: policies[1].expiresAt: \"next year\" is not an ISO-8601 instant like"
                                + " 2026-12-31T23:59:59Z"),
                error("plain ws on a public address", "\"127.0.0.1:8443\"", "\"0.0.0.0:8443\"",
                        "p.json:2:25: portal.listen: plain ws:// on the non-loopback address 0.0.0.0 would send tokens"
                                + " in clear text: add \"tls\" (certificateFile, privateKeyFile) or set \"allowInsecure\": true"),
                error("listen without a port", "\"127.0.0.1:8443\"", "\"127.0.0.1\"",
                        "p.json:2:25: portal.listen: expected ip:port or [ipv6]:port, got \"127.0.0.1\""),
                error("missing portal section", "\"portal\": { \"listen\": \"127.0.0.1:8443\" },", "",
                        "p.json:1:1: missing required field \"portal\""),
                error("allowInsecure not a boolean", "{ \"listen\": \"127.0.0.1:8443\" }",
                        "{ \"listen\": \"127.0.0.1:8443\", \"allowInsecure\": \"yes\" }",
                        "p.json:2:60: portal.allowInsecure: expected a boolean, found a string"),
                error("duplicate site id", "{ \"id\": \"office\", \"name\": \"Office\" }",
                        "{ \"id\": \"office\", \"name\": \"Office\" }, { \"id\": \"office\" }",
                        "p.json:4:51: sites[1].id: duplicate site id \"office\" (first at line 4)"));
    }

    private static Arguments error(String name, String find, String replace, String expected) {
        return Arguments.of(name, find, replace, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void problemIsReportedWithItsPosition(String name, String find, String replace, String expected) {
        assertThat(PortalTestConfigs.VALID).contains(find);
        String text = PortalTestConfigs.VALID.replaceFirst(java.util.regex.Pattern.quote(find),
                java.util.regex.Matcher.quoteReplacement(replace));

        PortalLoad result = PortalTestConfigs.parse(text);

        assertThat(result).isInstanceOf(PortalLoad.Rejected.class);
        assertThat(((PortalLoad.Rejected) result).rejection().problems()).extracting(PolicyProblem::toString)
                .contains(expected);
    }
}
