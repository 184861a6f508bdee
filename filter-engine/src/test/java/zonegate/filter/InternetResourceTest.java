package zonegate.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.filter.Fixtures.TCP;
import static zonegate.filter.Fixtures.allow;
import static zonegate.filter.Fixtures.cidr;
import static zonegate.filter.Fixtures.internet;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class InternetResourceTest {
    private final Fixtures f = new Fixtures();

    static Stream<Cidr> excludedRanges() {
        return Stream.concat(InternetExclusions.IPV4.stream(), InternetExclusions.IPV6.stream());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("excludedRanges")
    void neverReachesTheFirstOrLastAddressOfAnExcludedRange(Cidr excluded) {
        f.set(allow(internet("internet")));

        assertThat(f.send(first(excluded), TCP, 443).verdict()).isEqualTo(Verdict.NO_RESOURCE);
        assertThat(f.send(last(excluded), TCP, 443).verdict()).isEqualTo(Verdict.NO_RESOURCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
            "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0", "223.255.255.255", "126.255.255.255",
            "2606:4700::1111", "2001:4860:4860::8888", "::2", "64:ff9b::808:808", "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            "fe00::1"})
    void reachesPublicAddresses(String address) {
        f.set(allow(internet("internet")));

        Decision decision = f.send(address, TCP, 443);

        assertThat(decision.verdict()).isEqualTo(Verdict.ALLOWED);
        assertThat(decision.resourceId()).isEqualTo(ResourceId.of("internet"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"100.64.0.1", "100.96.0.1", "100.100.111.1", "255.255.255.255", "0.0.0.0",
            "fd00:2021:1111::1", "fd00:2021:1111:8000::1", "::ffff:8.8.8.8", "::1", "::"})
    void neverReachesTunnelProxyMappedOrSpecialAddresses(String address) {
        f.set(allow(internet("internet")));

        assertThat(f.send(address, TCP, 443).verdict()).isEqualTo(Verdict.NO_RESOURCE);
    }

    @Test
    void aCidrResourceStillReachesAPrivateRangeBesideTheInternet() {
        f.set(allow(internet("internet")), allow(cidr("office", "10.0.0.0/8")));

        assertThat(f.send("10.1.1.1", TCP, 22).resourceId()).isEqualTo(ResourceId.of("office"));
        assertThat(f.send("192.168.1.1", TCP, 22).verdict()).isEqualTo(Verdict.NO_RESOURCE);
    }

    private static String first(Cidr c) {
        return c.version() == 4 ? address4(c.low()) : Cidr.v6(c.high(), c.low(), 128).toString().replace("/128", "");
    }

    private static String last(Cidr c) {
        return c.version() == 4 ? address4(c.lastLow())
                : Cidr.v6(c.lastHigh(), c.lastLow(), 128).toString().replace("/128", "");
    }

    private static String address4(long a) {
        return Cidr.v4((int) a, 32).toString().replace("/32", "");
    }
}
