package zonegate.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IpTextTest {

    @Test
    void ipv6FollowsRfc5952() {
        assertThat(text("2001:0db8:0000:0000:0000:0000:0000:0001")).isEqualTo("2001:db8::1");
        assertThat(text("2001:db8:0:0:1:0:0:1")).as("the first of equal runs").isEqualTo("2001:db8::1:0:0:1");
        assertThat(text("2001:db8:0:1:1:1:1:1")).as("one zero group stays").isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(text("2001:0:0:1:0:0:0:1")).as("the longest run").isEqualTo("2001:0:0:1::1");
        assertThat(text("::")).isEqualTo("::");
        assertThat(text("::1")).isEqualTo("::1");
        assertThat(text("fd00:2021:1111:8000::")).isEqualTo("fd00:2021:1111:8000::");
        assertThat(text("2001:DB8::ABCD")).isEqualTo("2001:db8::abcd");
    }

    @Test
    void ipv4IsADottedQuad() {
        assertThat(text("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(IpText.formatV4(0xFFFF_FFFF)).isEqualTo("255.255.255.255");
    }

    @Test
    void theTextParsesBackAndIsNeverLongerThanJavasOwn() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[16];
            for (int w = 0; w < 8; w++) {
                int word = random.nextInt(4) == 0 ? random.nextInt(65_536) : 0;
                bytes[2 * w] = (byte) (word >>> 8);
                bytes[2 * w + 1] = (byte) word;
            }
            InetAddress a = address(bytes);
            String t = IpText.format(a);
            assertThat(InetAddress.ofLiteral(t)).isEqualTo(a);
            assertThat(t.length()).isLessThanOrEqualTo(a.getHostAddress().length());
        }
    }

    private static String text(String literal) {
        return IpText.format(InetAddress.ofLiteral(literal));
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
