package zonegate.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8,            10.0.0.0/8",
            "10.1.2.3/8,            10.0.0.0/8",
            "192.168.1.1,           192.168.1.1/32",
            "0.0.0.0/0,             0.0.0.0/0",
            "2001:db8::1/32,        2001:db8::/32",
            "::ffff:0:0/96,         ::ffff:0:0/96",
            "fd00:2021:1111::/107,  fd00:2021:1111::/107",
            "::/0,                  ::/0",
            "::1,                   ::1/128"
    })
    void parsesAndClearsHostBits(String text, String expected) {
        assertThat(Cidr.parse(text)).hasToString(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "::/129", "10.0.0/8", "example.com", "10.0.0.0/", "10.0.0.0/-1",
            "10.0.0.0/8x", "1:2:3/64"})
    void rejectsWhatIsNotARange(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(text);
    }

    @Test
    void containsItsFirstAndLastAddressOnly() {
        Cidr range = Cidr.parse("10.0.0.0/24");
        assertThat(range.containsV4(Fixtures.v4("10.0.0.0"))).isTrue();
        assertThat(range.containsV4(Fixtures.v4("10.0.0.255"))).isTrue();
        assertThat(range.containsV4(Fixtures.v4("10.0.1.0"))).isFalse();
        assertThat(range.containsV4(Fixtures.v4("9.255.255.255"))).isFalse();
        Cidr v6 = Cidr.parse("2001:db8::/127");
        Cidr last = Fixtures.v6("2001:db8::1");
        assertThat(v6.containsV6(last.high(), last.low())).isTrue();
        assertThat(v6.containsV6(last.high(), last.low() + 1)).isFalse();
    }
}
