package zonegate.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.filter.Fixtures.TCP;
import static zonegate.filter.Fixtures.allow;
import static zonegate.filter.Fixtures.cidr;
import static zonegate.filter.Fixtures.dns;
import static zonegate.filter.Fixtures.v4;
import static zonegate.filter.Fixtures.v6;

import org.junit.jupiter.api.Test;

class AntiSpoofingTest {
    private final Fixtures f = new Fixtures();

    @Test
    void ipv4PacketFromAnotherSourceIsSpoofedWithoutIcmpError() {
        f.set(allow(cidr("X", "10.0.0.0/8")));

        Decision decision = f.client.decideV4(v4("100.64.0.8"), v4("10.0.0.1"), TCP, 1000, 80, 0, f.decision);

        assertThat(decision.verdict()).isEqualTo(Verdict.SPOOFED);
        assertThat(decision.icmpError()).isNull();
        assertThat(decision.reason()).isEqualTo("source 100.64.0.8 is not the client's tunnel address");
    }

    @Test
    void ipv6PacketFromAnotherSourceIsSpoofed() {
        f.set(allow(cidr("X", "2001:db8::/32")));
        Cidr other = v6("fd00:2021:1111::8");
        Cidr destination = v6("2001:db8::1");

        Decision decision = f.client.decideV6(other.high(), other.low(), destination.high(), destination.low(), TCP,
                1000, 80, 0, f.decision);

        assertThat(decision.verdict()).isEqualTo(Verdict.SPOOFED);
        assertThat(decision.reason()).isEqualTo("source fd00:2021:1111::8 is not the client's tunnel address");
    }

    @Test
    void theClientsOwnAddressesPass() {
        f.set(allow(cidr("X", "10.0.0.0/8")), allow(cidr("Y", "2001:db8::/32")));

        assertThat(f.send("10.0.0.1", TCP, 80).isAllowed()).isTrue();
        assertThat(f.send("2001:db8::1", TCP, 80).isAllowed()).isTrue();
    }

    @Test
    void domainPacketsAreCheckedForSpoofingToo() {
        f.set(allow(dns("X", "app.example.com")));
        DomainCandidates domain = f.client.domainCandidates("app.example.com");

        Decision decision = f.client.decideDomainV4(v4("10.9.9.9"), domain, TCP, 1000, 443, 0, f.decision);

        assertThat(decision.verdict()).isEqualTo(Verdict.SPOOFED);
    }

    @Test
    void changingTheTunnelAddressesMovesTheCheck() {
        f.set(allow(cidr("X", "10.0.0.0/8")));
        f.engine.upsertClient(f.client.id(), TunnelAddresses.of("100.64.0.9", "fd00:2021:1111::9"), 0);

        assertThat(f.send("10.0.0.1", TCP, 80).verdict()).isEqualTo(Verdict.SPOOFED);
        assertThat(f.client.decideV4(v4("100.64.0.9"), v4("10.0.0.1"), TCP, 1, 80, 0, f.decision).isAllowed())
                .isTrue();
    }
}
