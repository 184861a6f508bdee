package zonegate.tunnel.dns;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Arbitrary bytes never make the DNS parser or the response writer throw. In regression mode (the
 * default) this replays the seed corpus under
 * {@code src/test/resources/zonegate/tunnel/dns/DnsParserFuzzTestInputs/parsesArbitraryBytesWithoutThrowing/};
 * run with {@code JAZZER_FUZZ=1} to fuzz.
 */
class DnsParserFuzzTest {
    private final ByteBuffer out = ByteBuffer.allocate(65_536);

    @FuzzTest(maxDuration = "30s")
    void parsesArbitraryBytesWithoutThrowing(byte[] data) {
        switch (DnsParser.parse(ByteBuffer.wrap(data), 0, data.length)) {
            case DnsParseResult.Query(DnsQuery query) -> {
                query.domain();
                DnsResponseWriter.writeAnswer(query, java.util.List.of(java.net.InetAddress.ofLiteral("100.96.0.1"),
                        java.net.InetAddress.ofLiteral("fd00:2021:1111:8000::1")), 1, query.udpResponseLimitBytes(),
                        out, 0);
                DnsResponseWriter.writeEmpty(query, DnsRcode.REFUSED, query.udpResponseLimitBytes(), out, 0);
            }
            case DnsParseResult.Rejected rejected -> {
                if (rejected.answerable()) {
                    DnsResponseWriter.writeHeaderOnly(rejected.id(), DnsRcode.FORMERR, out, 0);
                }
            }
        }
    }
}
