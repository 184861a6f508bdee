package zonegate.nat64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Nat64PrefixTest {
    private static final int IPV4_192_0_2_33 = 0xC0000221;

    /** RFC 6052 section 2.4, the table of IPv4-embedded IPv6 addresses for 192.0.2.33. */
    @ParameterizedTest
    @CsvSource({
            "2001:db8::/32,          2001:db8:c000:221::",
            "2001:db8:100::/40,      2001:db8:1c0:2:21::",
            "2001:db8:122::/48,      2001:db8:122:c000:2:2100::",
            "2001:db8:122:300::/56,  2001:db8:122:3c0:0:221::",
            "2001:db8:122:344::/64,  2001:db8:122:344:c0:2:2100:0",
            "2001:db8:122:344::/96,  2001:db8:122:344::192.0.2.33",
            "64:ff9b::/96,           64:ff9b::192.0.2.33"})
    void embedsAndExtractsTheRfc6052Examples(String prefixText, String expectedText) {
        Nat64Prefix prefix = Nat64Prefix.parse(prefixText);
        Inet6Address expected = (Inet6Address) InetAddress.ofLiteral(expectedText);

        long high = prefix.embedHigh(IPV4_192_0_2_33);
        long low = prefix.embedLow(IPV4_192_0_2_33);

        assertThat(Addresses.toInet6(high, low)).isEqualTo(expected);
        assertThat(prefix.contains(high, low)).isTrue();
        assertThat(prefix.extract(Addresses.high(expected), Addresses.low(expected))).isEqualTo(IPV4_192_0_2_33);
    }

    @Test
    void wellKnownPrefixIs64ff9bSlash96() {
        assertThat(Nat64Prefix.parse("64:ff9b::/96")).isEqualTo(Nat64Prefix.WELL_KNOWN);
    }

    @Test
    void addressOutsideThePrefixIsNotContained() {
        Nat64Prefix prefix = Nat64Prefix.parse("2001:db8:122::/48");

        assertThat(prefix.contains(0x2001_0DB8_0123_0000L, 0)).isFalse();
    }

    @Test
    void rejectsLengthsRfc6052DoesNotDefine() {
        assertThatThrownBy(() -> Nat64Prefix.parse("2001:db8::/33")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsPrefixWithNonZeroUOctet() {
        assertThatThrownBy(() -> Nat64Prefix.parse("2001:db8:122:344:100::/96"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsBitsBeyondTheLength() {
        assertThatThrownBy(() -> Nat64Prefix.parse("2001:db8::1/32")).isInstanceOf(IllegalArgumentException.class);
    }
}
