package zonegate.app.internal.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zonegate.app.spi.PolicyProblem;

/**
 * Every validation error names the file, the line and column of the offending value and the reason.
 * Each case edits one spot of {@link TestConfigs#VALID}.
 */
class PolicyFileErrorsTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                error("bad client public key", TestConfigs.ALICE_PUBLIC, "not-a-key",
                        "t.json:10:20: clients[0].publicKey: Key is not the correct length or format: expected 44"
                                + " base64 characters ending in '='"),
                error("bad gateway private key", TestConfigs.GATEWAY_PRIVATE, "c2VjcmV0",
                        "t.json:3:19: gateway.privateKey: Key is not the correct length or format: expected 44"
                                + " base64 characters ending in '='"),
                error("policy names an unknown resource", "{ \"client\": \"alice\", \"resource\": \"web\" }",
                        "{ \"client\": \"alice\", \"resource\": \"db\" }",
                        "t.json:29:38: policies[0].resource: unknown resource \"db\""),
                error("policy names an unknown client", "\"client\": \"bob\"", "\"client\": \"carol\"",
                        "t.json:31:17: policies[2].client: unknown client \"carol\""),
                error("duplicate client name", "\"name\": \"bob\"", "\"name\": \"alice\"",
                        "t.json:15:15: clients[1].name: duplicate client name \"alice\" (first at line 9)"),
                error("invalid client name", "\"name\": \"bob\"", "\"name\": \"bob smith\"",
                        "t.json:15:15: clients[1].name: \"bob smith\" is not a valid client name (1-64 letters,"
                                + " digits, '.', '_', '@' or '-', starting with a letter or digit)"),
                error("duplicate public key", TestConfigs.BOB_PUBLIC, TestConfigs.ALICE_PUBLIC,
                        "t.json:16:20: clients[1].publicKey: public key already used by the client at line 10"),
                error("client uses the gateway's public key", TestConfigs.BOB_PUBLIC, TestConfigs.GATEWAY_PUBLIC,
                        "t.json:16:20: clients[1].publicKey: is the gateway's own public key"),
                error("duplicate IPv4 address", "\"ipv4\": \"100.64.0.3\"", "\"ipv4\": \"100.64.0.2\"",
                        "t.json:17:15: clients[1].ipv4: address 100.64.0.2 already used by the client at line 11"),
                error("IPv4 address outside the tunnel range", "\"ipv4\": \"100.64.0.2\"", "\"ipv4\": \"10.0.0.2\"",
                        "t.json:11:15: clients[0].ipv4: 10.0.0.2 is outside the tunnel range 100.64.0.0/11"),
                error("IPv6 address outside the tunnel range", "fd00:2021:1111::3", "fd00:2021:2222::3",
                        "t.json:18:15: clients[1].ipv6: fd00:2021:2222::3 is outside the tunnel range"
                                + " fd00:2021:1111::/107"),
                error("client takes the gateway's address", "\"ipv4\": \"100.64.0.3\"", "\"ipv4\": \"100.64.0.1\"",
                        "t.json:17:15: clients[1].ipv4: 100.64.0.1 is the gateway's own tunnel address"),
                error("IPv6 address where IPv4 belongs", "\"ipv4\": \"100.64.0.2\"", "\"ipv4\": \"fd00:2021:1111::9\"",
                        "t.json:11:15: clients[0].ipv4: expected an IPv4 address, got \"fd00:2021:1111::9\""),
                error("missing required client field", "\"ipv4\": \"100.64.0.2\",\n      \"ipv6\": \"fd00:2021:1111::2\"",
                        "\"ipv4\": \"100.64.0.2\"",
                        "t.json:8:5: clients[0]: missing required field \"ipv6\""),
                error("misspelt field", "\"publicKey\": \"" + TestConfigs.BOB_PUBLIC,
                        "\"publicKy\": \"" + TestConfigs.BOB_PUBLIC,
                        "t.json:16:7: clients[1].publicKy: unknown field \"publicKy\"; did you mean \"publicKey\"?"),
                error("unknown top-level field", "  \"policies\": [", "  \"admins\": [],\n  \"policies\": [",
                        "t.json:28:3: admins: unknown field \"admins\" (known: clients, description, gateway,"
                                + " policies, resources)"),
                error("prefix length out of range", "192.0.2.0/24", "192.0.2.0/33",
                        "t.json:23:47: resources[0].address: bad address range \"192.0.2.0/33\": prefix length 33"
                                + " is outside 0..32 for IPv4"),
                error("CIDR with host bits", "192.0.2.0/24", "192.0.2.1/24",
                        "t.json:23:47: resources[0].address: \"192.0.2.1/24\" has host bits set; the range is"
                                + " 192.0.2.0/24"),
                error("CIDR overlapping the tunnel range", "192.0.2.0/24", "100.64.0.0/16",
                        "t.json:23:47: resources[0].address: 100.64.0.0/16 overlaps the tunnel range 100.64.0.0/11"),
                error("CIDR overlapping the DNS proxy range", "192.0.2.0/24", "100.100.0.0/16",
                        "t.json:23:47: resources[0].address: 100.100.0.0/16 overlaps the DNS-resource proxy range"
                                + " 100.96.0.0/11"),
                error("bad DNS pattern", "*.corp.example.com", "corp.*.example.com",
                        "t.json:25:47: resources[1].address: invalid DNS pattern \"corp.*.example.com\": "),
                error("duplicate resource id", "\"id\": \"corp\"", "\"id\": \"web\"",
                        "t.json:25:13: resources[1].id: duplicate resource id \"web\" (first at line 23)"),
                error("unknown resource type", "\"type\": \"dns\"", "\"type\": \"host\"",
                        "t.json:25:29: resources[1].type: unknown resource type \"host\" (expected cidr, dns or"
                                + " internet)"),
                error("second internet resource", "\"type\": \"dns\", \"address\": \"*.corp.example.com\"",
                        "\"type\": \"internet\"",
                        "t.json:26:33: resources[2].type: only one internet resource is allowed (first at line 25)"),
                error("port above 65535", "\"ports\": \"443\"", "\"ports\": \"70000\"",
                        "t.json:24:49: resources[0].filters[0].ports: \"70000\" is not a port (0-65535) or a range"
                                + " of them such as \"8000-8999\""),
                error("port above 65535 in allowToGateway", "\"publicEndpoint\": \"vpn.example.com:51820\"",
                        "\"publicEndpoint\": \"vpn.example.com:51820\", \"allowToGateway\": [{ \"protocol\": \"tcp\","
                                + " \"ports\": \"70000\" }]",
                        "t.json:5:97: gateway.allowToGateway[0].ports: \"70000\" is not a port (0-65535) or a range"
                                + " of them such as \"8000-8999\""),
                error("reversed port range", "\"ports\": \"443\"", "\"ports\": \"9000-8000\"",
                        "t.json:24:49: resources[0].filters[0].ports: port range \"9000-8000\" ends before it starts"),
                error("ICMP with ports", "{ \"protocol\": \"icmp\" }", "{ \"protocol\": \"icmp\", \"ports\": \"1\" }",
                        "t.json:24:89: resources[0].filters[1].ports: ICMP has no ports"),
                error("unknown protocol", "\"protocol\": \"tcp\"", "\"protocol\": \"sctp\"",
                        "t.json:24:33: resources[0].filters[0].protocol: unknown protocol \"sctp\" (expected tcp, udp"
                                + " or icmp)"),
                error("second policy for one pair", "{ \"client\": \"bob\", \"resource\": \"internet\", \"expiresAt\": 1893456000 }",
                        "{ \"client\": \"alice\", \"resource\": \"web\" }",
                        "t.json:31:5: policies[2]: a second policy for client \"alice\" and resource \"web\" (first at"
                                + " line 29)"),
                error("unparseable expiry", "\"2030-01-01T00:00:00Z\"", "\"next year\"",
                        "t.json:30:59: policies[1].expiresAt: \"next year\" is not an ISO-8601 instant such as"
                                + " \"2027-01-31T18:00:00Z\" (or give Unix seconds as a number)"),
                error("negative expiry", "1893456000", "-5",
                        "t.json:31:61: policies[2].expiresAt: must be a whole number in 0..31556889864403199, not -5"),
                error("missing gateway key", "\"privateKey\": \"" + TestConfigs.GATEWAY_PRIVATE + "\",", "",
                        "t.json:2:14: gateway: missing required field \"privateKeyFile\" (or \"privateKey\")"),
                error("listen port 0", "\"upstreamDns\": [", "\"listenPort\": 0, \"upstreamDns\": [",
                        "t.json:4:19: gateway.listenPort: must be a whole number in 1..65535, not 0"),
                error("string where a number belongs", "\"upstreamDns\": [", "\"mtu\": \"big\", \"upstreamDns\": [",
                        "t.json:4:12: gateway.mtu: expected a number, found a string"),
                error("resolver given as a name", "\"192.0.2.53\"", "\"dns.example.com\"",
                        "t.json:4:21: gateway.upstreamDns[0]: \"dns.example.com\" is not an IP address"),
                error("endpoint without a port", "\"vpn.example.com:51820\"", "\"vpn.example.com\"",
                        "t.json:5:23: gateway.publicEndpoint: expected host:port (or [ipv6]:port), got"
                                + " \"vpn.example.com\""),
                error("tunnel address is the network address", "\"upstreamDns\": [",
                        "\"tunnelIpv4\": \"100.64.0.0/11\", \"upstreamDns\": [",
                        "t.json:4:19: gateway.tunnelIpv4: 100.64.0.0/11 is the network address of its range, not a"
                                + " host address"),
                error("NAT64 prefix of a length RFC 6052 does not define", "\"upstreamDns\": [",
                        "\"nat64Prefix\": \"64:ff9b::/95\", \"upstreamDns\": [",
                        "t.json:4:20: gateway.nat64Prefix: a NAT64 prefix is an IPv6 /32, /40, /48, /56, /64 or /96"
                                + " (RFC 6052), not 64:ff9b::/95"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void invalidFileIsRefusedWithLineColumnAndReason(String name, String text, String expected) {
        LoadResult result = TestConfigs.parse(text);

        assertThat(result).as(name).isInstanceOf(LoadResult.Rejected.class);
        List<String> problems = ((LoadResult.Rejected) result).rejection().problems().stream()
                .map(PolicyProblem::toString).toList();
        assertThat(problems).as(name).anyMatch(problem -> problem.startsWith(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void refusalNeverEchoesKeyMaterial(String name, String text, String expected) {
        LoadResult result = TestConfigs.parse(text);

        String described = ((LoadResult.Rejected) result).rejection().describe();
        assertThat(described).doesNotContain(TestConfigs.GATEWAY_PRIVATE, TestConfigs.BOB_PSK, "c2VjcmV0");
    }

    private static Arguments error(String name, String from, String to, String expected) {
        return Arguments.of(name, TestConfigs.validWith(from, to), expected);
    }
}
