package zonegate.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.filter.Fixtures.ICMP;
import static zonegate.filter.Fixtures.ICMPV6;
import static zonegate.filter.Fixtures.TCP;
import static zonegate.filter.Fixtures.UDP;
import static zonegate.filter.Fixtures.allow;
import static zonegate.filter.Fixtures.cidr;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zonegate.packet.IcmpError;

/** Port ranges, protocols and the wording of denials. */
class PortFilterTest {
    private final Fixtures f = new Fixtures();

    static Stream<Arguments> cases() {
        List<Filter> edges = List.of(new Filter.Tcp(0, 0), new Filter.Tcp(65535, 65535));
        List<Filter> touching = List.of(new Filter.Udp(100, 199), new Filter.Udp(200, 299));
        List<Filter> overlapping = List.of(new Filter.Tcp(1000, 2000), new Filter.Tcp(1500, 1600),
                new Filter.Tcp(1900, 3000));
        List<Filter> gap = List.of(new Filter.Udp(10, 20), new Filter.Udp(22, 30));
        List<Filter> full = List.of(new Filter.Tcp(0, 65535));
        return Stream.of(
                Arguments.of(edges, TCP, 0, true), Arguments.of(edges, TCP, 1, false),
                Arguments.of(edges, TCP, 65535, true), Arguments.of(edges, TCP, 65534, false),
                Arguments.of(edges, UDP, 0, false),
                Arguments.of(touching, UDP, 99, false), Arguments.of(touching, UDP, 100, true),
                Arguments.of(touching, UDP, 199, true), Arguments.of(touching, UDP, 200, true),
                Arguments.of(touching, UDP, 299, true), Arguments.of(touching, UDP, 300, false),
                Arguments.of(touching, TCP, 150, false),
                Arguments.of(overlapping, TCP, 999, false), Arguments.of(overlapping, TCP, 1000, true),
                Arguments.of(overlapping, TCP, 1550, true), Arguments.of(overlapping, TCP, 2500, true),
                Arguments.of(overlapping, TCP, 3000, true), Arguments.of(overlapping, TCP, 3001, false),
                Arguments.of(gap, UDP, 20, true), Arguments.of(gap, UDP, 21, false), Arguments.of(gap, UDP, 22, true),
                Arguments.of(full, TCP, 0, true), Arguments.of(full, TCP, 65535, true),
                Arguments.of(full, TCP, -1, true), Arguments.of(touching, UDP, -1, false),
                Arguments.of(full, ICMP, -1, false), Arguments.of(List.of(new Filter.Icmp()), ICMP, -1, true),
                Arguments.of(List.of(new Filter.Icmp()), TCP, 80, false),
                Arguments.of(List.of(), TCP, 1, true), Arguments.of(List.of(), UDP, 65535, true),
                Arguments.of(List.of(), ICMP, -1, true), Arguments.of(List.of(), 47, -1, true),
                Arguments.of(full, 47, -1, false));
    }

    @ParameterizedTest(name = "{0}: protocol {1} port {2} -> {3}")
    @MethodSource("cases")
    void permitsExactlyTheFilteredPorts(List<Filter> filters, int protocol, int port, boolean allowed) {
        f.set(new Authorization(cidr("r", "10.0.0.0/8"), filters, Authorization.NEVER));

        assertThat(f.send("10.1.1.1", protocol, port).isAllowed()).isEqualTo(allowed);
    }

    @Test
    void icmpFilterCoversIcmpv6() {
        f.set(allow(cidr("r6", "2001:db8::/32"), new Filter.Icmp()));

        assertThat(f.send("2001:db8::1", ICMPV6, -1).isAllowed()).isTrue();
    }

    @Test
    void filterDenialExplainsProtocolPortAndResourceAndAsksForAdministrativelyProhibited() {
        f.set(allow(cidr("X", "10.0.0.0/8"), new Filter.Tcp(443, 443)));

        Decision decision = f.send("10.0.0.9", UDP, 53);

        assertThat(decision.verdict()).isEqualTo(Verdict.FILTERED);
        assertThat(decision.reason()).isEqualTo("UDP port 53 not allowed by resource X");
        assertThat(decision.icmpError()).isEqualTo(IcmpError.ADMINISTRATIVELY_PROHIBITED);
        assertThat(f.send("10.0.0.9", ICMP, -1).reason()).isEqualTo("ICMP not allowed by resource X");
        assertThat(f.send("10.0.0.9", TCP, 22).reason()).isEqualTo("TCP port 22 not allowed by resource X");
        assertThat(f.send("10.0.0.9", 47, -1).reason()).isEqualTo("IP protocol 47 not allowed by resource X");
    }

    @Test
    void noResourceExplainsTheDestinationAndAsksForNetworkUnreachable() {
        f.set(allow(cidr("X", "10.0.0.0/24")));

        Decision decision = f.send("10.0.1.9", TCP, 80);

        assertThat(decision.verdict()).isEqualTo(Verdict.NO_RESOURCE);
        assertThat(decision.reason()).isEqualTo("no resource for 10.0.1.9");
        assertThat(decision.icmpError()).isEqualTo(IcmpError.NETWORK_UNREACHABLE);
        assertThat(decision.resourceId()).isNull();
        assertThat(f.send("2001:db8::9", TCP, 80).reason()).isEqualTo("no resource for 2001:db8::9");
        assertThat(f.sendToDomain("app.example.com", TCP, 80).reason())
                .isEqualTo("no resource for app.example.com");
    }

    @Test
    void allowedDecisionNamesItsResourceAndSendsNoError() {
        f.set(allow(cidr("X", "10.0.0.0/24")));

        Decision decision = f.send("10.0.0.1", TCP, 80);

        assertThat(decision.reason()).isEqualTo("allowed by resource X");
        assertThat(decision.icmpError()).isNull();
        assertThat(decision.destinationPort()).isEqualTo(80);
        assertThat(decision.protocol()).isEqualTo(TCP);
    }

    @Test
    void aResourceWithNoAuthorisationAtAllMeansNoResource() {
        assertThat(f.send("10.0.0.1", TCP, 80).verdict()).isEqualTo(Verdict.NO_RESOURCE);
    }
}
