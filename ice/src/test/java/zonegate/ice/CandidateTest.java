package zonegate.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import zonegate.ice.CandidateParseResult.Reason;

/** Candidate lines (RFC 8839 section 5.1, and aioice's form), priorities, foundations, credentials. */
class CandidateTest {

    private static Candidate parsed(String line) {
        CandidateParseResult result = Candidate.parse(line);
        assertThat(result).isInstanceOf(CandidateParseResult.Parsed.class);
        return ((CandidateParseResult.Parsed) result).candidate();
    }

    @Test
    void parsesAioiceToSdpOutputWithUpperCaseTransport() {
        Candidate c = parsed("1 1 UDP 2130706431 127.0.0.1 54321 typ host");

        assertThat(c).isEqualTo(new Candidate("1", 1, 2130706431L, Net.address("127.0.0.1", 54321),
                CandidateType.HOST, null));
    }

    @Test
    void parsesTheAttributeFormWithRelatedAddressAndIgnoresExtensions() {
        Candidate c = parsed("a=candidate:842163049 1 udp 1677729535 203.0.113.5 61665 typ srflx raddr 10.0.0.5 "
                + "rport 61665 generation 0 ufrag EsAw network-cost 999");

        assertThat(c.foundation()).isEqualTo("842163049");
        assertThat(c.type()).isEqualTo(CandidateType.SERVER_REFLEXIVE);
        assertThat(c.address()).isEqualTo(Net.address("203.0.113.5", 61665));
        assertThat(c.relatedAddress()).isEqualTo(Net.address("10.0.0.5", 61665));
    }

    @Test
    void parsesAndPrintsIpv6InCanonicalForm() {
        Candidate c = parsed("candidate:abc+/ 1 udp 2130706431 2001:DB8:0:0:0:0:0:1 5000 typ host tcptype passive");

        assertThat(c.toSdp()).isEqualTo("abc+/ 1 udp 2130706431 2001:db8::1 5000 typ host");
        assertThat(c.toSdpAttribute()).startsWith("candidate:abc+/ 1 udp");
        assertThat(Candidate.host(Net.address("fe80::1:0:0:2", 1)).toSdp()).contains(" fe80::1:0:0:2 1 ");
        assertThat(Candidate.host(Net.address("2001:db8:0:0:1:0:0:1", 1)).toSdp()).contains(" 2001:db8::1:0:0:1 1 ");
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
        "1 1 tcp 2130706431 10.0.0.1 5000 typ host tcptype active | UNSUPPORTED_TRANSPORT",
        "1 2 udp 2130706431 10.0.0.1 5000 typ host | UNSUPPORTED_COMPONENT",
        "1 1 udp 0 10.0.0.1 5000 typ host | BAD_PRIORITY",
        "1 1 udp 4294967296 10.0.0.1 5000 typ host | BAD_PRIORITY",
        "1 1 udp 1 0a1b2c3d-e4f5.local 5000 typ host | BAD_ADDRESS",
        "1 1 udp 1 10.0.0.256 5000 typ host | BAD_ADDRESS",
        "1 1 udp 1 10.0.0.1 0 typ host | BAD_PORT",
        "1 1 udp 1 10.0.0.1 65536 typ host | BAD_PORT",
        "1 1 udp 1 10.0.0.1 5000 typ nat | UNKNOWN_TYPE",
        "1 1 udp 1 10.0.0.1 5000 type host | SYNTAX",
        "1 1 udp 1 10.0.0.1 5000 typ | SYNTAX",
        "1 1 udp 1 10.0.0.1 5000 typ host generation | SYNTAX",
        "1 1 udp 1 10.0.0.1 5000 typ srflx raddr 10.0.0.2 | BAD_RELATED_ADDRESS",
        "fóó 1 udp 1 10.0.0.1 5000 typ host | BAD_FOUNDATION",
        "123456789012345678901234567890123 1 udp 1 10.0.0.1 5000 typ host | BAD_FOUNDATION",
    })
    void refusesWithATypedReason(String line, Reason reason) {
        assertThat(Candidate.parse(line)).isInstanceOf(CandidateParseResult.Rejected.class)
                .extracting("reason").isEqualTo(reason);
    }

    @Test
    void printedCandidatesParseBackIdentically() {
        SplittableRandom random = new SplittableRandom(7);
        CandidateType[] types = CandidateType.values();
        for (int i = 0; i < 2000; i++) {
            byte[] ip = new byte[random.nextBoolean() ? 4 : 16];
            random.nextBytes(ip);
            InetSocketAddress address = new InetSocketAddress(Net.ip(ipText(ip)), 1 + random.nextInt(65535));
            InetSocketAddress related = random.nextBoolean() ? null : new InetSocketAddress(Net.ip("10.1.2.3"),
                    random.nextInt(65536));
            Candidate c = new Candidate(Integer.toHexString(random.nextInt()), 1, 1 + random.nextLong(0xFFFF_FFFFL),
                    address, types[random.nextInt(types.length)], related);

            assertThat(parsed(c.toSdp())).isEqualTo(c);
            assertThat(parsed(c.toSdpAttribute())).isEqualTo(c);
        }
    }

    @Test
    void prioritiesFollowRfc8445AndMatchAioice() {
        InetSocketAddress host = Net.address("192.0.2.1", 5000);
        assertThat(Candidate.host(host).priority()).isEqualTo(2130706431L);
        assertThat(Candidate.serverReflexive(Net.address("203.0.113.1", 1), host).priority()).isEqualTo(1694498815L);
        assertThat(Candidate.priority(CandidateType.PEER_REFLEXIVE, 65535, 1)).isEqualTo(1862270975L);
        assertThat(Candidate.relayed(Net.address("198.51.100.2", 1), null).priority()).isEqualTo(16777215L);
    }

    @Test
    void foundationsAreEqualForTheSameTypeAndBaseAndDifferOtherwise() {
        String a = Candidate.host(Net.address("192.0.2.1", 5000)).foundation();
        assertThat(Candidate.host(Net.address("192.0.2.1", 6000)).foundation()).isEqualTo(a);
        assertThat(Candidate.host(Net.address("192.0.2.2", 5000)).foundation()).isNotEqualTo(a);
        assertThat(Candidate.serverReflexive(Net.address("203.0.113.1", 1), Net.address("192.0.2.1", 5000))
                .foundation()).isNotEqualTo(a);
    }

    @Test
    void randomCredentialsAreLongEnoughIceChars() {
        IceCredentials c = IceCredentials.random(new SplittableRandom(1));

        assertThat(c.ufrag()).hasSize(8).matches("[A-Za-z0-9+/]+");
        assertThat(c.password()).hasSize(24).matches("[A-Za-z0-9+/]+");
        assertThat(c.toString()).doesNotContain(c.password());
        assertThatThrownBy(() -> new IceCredentials("abc", c.password())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IceCredentials("abcd", "short")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IceCredentials("ab:d", c.password())).isInstanceOf(IllegalArgumentException.class);
    }

    private static String ipText(byte[] ip) {
        if (ip.length == 4) {
            return (ip[0] & 0xFF) + "." + (ip[1] & 0xFF) + "." + (ip[2] & 0xFF) + "." + (ip[3] & 0xFF);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 16; i += 2) {
            sb.append(i == 0 ? "" : ":").append(Integer.toHexString(((ip[i] & 0xFF) << 8) | (ip[i + 1] & 0xFF)));
        }
        return sb.toString();
    }
}
