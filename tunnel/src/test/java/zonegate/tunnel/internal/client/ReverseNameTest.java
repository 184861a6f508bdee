package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReverseNameTest {
    @Test
    void ipv4NameReadsTheOctetsInReverse() {
        assertThat(ReverseName.ipv4("4.3.2.100.in-addr.arpa")).isEqualTo(0x6402_0304L);
        assertThat(ReverseName.ipv4("255.255.255.255.in-addr.arpa")).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void partialOrMalformedIpv4NamesAreNotAddresses() {
        assertThat(ReverseName.ipv4("2.100.in-addr.arpa")).isEqualTo(-1);
        assertThat(ReverseName.ipv4("5.4.3.2.100.in-addr.arpa")).isEqualTo(-1);
        assertThat(ReverseName.ipv4("256.3.2.100.in-addr.arpa")).isEqualTo(-1);
        assertThat(ReverseName.ipv4("04.3.2.100.in-addr.arpa")).isEqualTo(-1);
        assertThat(ReverseName.ipv4("a.3.2.100.in-addr.arpa")).isEqualTo(-1);
        assertThat(ReverseName.ipv4("in-addr.arpa")).isEqualTo(-1);
        assertThat(ReverseName.ipv4("4.3.2.100.example.com")).isEqualTo(-1);
    }

    @Test
    void ipv6NameReadsTheNibblesInReverse() {
        long[] out = new long[2];

        boolean ok = ReverseName.ipv6(StubFixture.reverse6("fd00:2021:1111:8000::1:2"), out);

        assertThat(ok).isTrue();
        assertThat(out[0]).isEqualTo(0xfd00_2021_1111_8000L);
        assertThat(out[1]).isEqualTo(0x0001_0002L);
    }

    @Test
    void partialOrMalformedIpv6NamesAreNotAddresses() {
        long[] out = new long[2];
        String full = StubFixture.reverse6("fd00::1");

        assertThat(ReverseName.ipv6(full.substring(2), out)).isFalse();
        assertThat(ReverseName.ipv6("g" + full.substring(1), out)).isFalse();
        assertThat(ReverseName.ipv6("A" + full.substring(1), out)).isFalse();
        assertThat(ReverseName.ipv6(full.replace(".ip6.arpa", ".ip6.arpb"), out)).isFalse();
    }
}
