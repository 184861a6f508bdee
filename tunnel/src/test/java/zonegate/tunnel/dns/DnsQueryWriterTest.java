package zonegate.tunnel.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DnsQueryWriterTest {
    private final ByteBuffer out = ByteBuffer.allocate(600);

    private DnsQuery writeAndParse(int id, String name, int type, boolean edns) {
        int length = DnsQueryWriter.write(id, name, type, edns, out, 100);
        assertThat(length).isPositive().isLessThanOrEqualTo(DnsQueryWriter.MAX_QUERY_BYTES);
        return ((DnsParseResult.Query) DnsParser.parse(out, 100, length)).query();
    }

    @Test
    void writesARecursiveQueryTheParserReadsBack() {
        DnsQuery q = writeAndParse(0xBEEF, "App.Example.com", DnsQuery.TYPE_AAAA, false);

        assertThat(q).isEqualTo(new DnsQuery(0xBEEF, 0x0100, "App.Example.com", DnsQuery.TYPE_AAAA,
                DnsQuery.CLASS_IN, false, 0));
        assertThat(q.recursionDesired()).isTrue();
    }

    @Test
    void ednsQueriesAdvertise1232Bytes() {
        DnsQuery q = writeAndParse(7, "example.com", DnsQuery.TYPE_A, true);

        assertThat(q.edns()).isTrue();
        assertThat(q.ednsUdpPayloadBytes()).isEqualTo(DnsQueryWriter.EDNS_UDP_PAYLOAD_BYTES);
    }

    @Test
    void aTrailingDotIsIgnoredAndTheRootIsEmpty() {
        assertThat(writeAndParse(1, "example.com.", 1, false).name()).isEqualTo("example.com");
        assertThat(writeAndParse(1, ".", 1, false).name()).isEmpty();
        assertThat(writeAndParse(1, "", 1, false).name()).isEmpty();
    }

    @Test
    void onlyTheLow16BitsOfTheIdAreWritten() {
        assertThat(writeAndParse(0x1_2345, "a.b", 1, false).id()).isEqualTo(0x2345);
    }

    @Test
    void namesTheWireCannotCarryAreRefused() {
        assertThat(DnsQueryWriter.write(1, "a..b", 1, false, out, 0)).isEqualTo(-1);
        assertThat(DnsQueryWriter.write(1, "x".repeat(64) + ".com", 1, false, out, 0)).isEqualTo(-1);
        assertThat(DnsQueryWriter.write(1, ("x".repeat(63) + ".").repeat(4) + "com", 1, false, out, 0))
                .isEqualTo(-1);
        assertThat(DnsQueryWriter.write(1, "caf\u20ac.com", 1, false, out, 0)).isEqualTo(-1);
    }

    @Test
    void theLongestNameFits() {
        String name = ("x".repeat(63) + ".").repeat(3) + "x".repeat(61);

        assertThat(writeAndParse(1, name, 1, true).name()).isEqualTo(name);
    }
}
