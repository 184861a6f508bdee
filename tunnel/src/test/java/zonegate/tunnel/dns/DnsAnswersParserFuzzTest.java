package zonegate.tunnel.dns;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Arbitrary bytes never make the upstream response parser throw. The expected id is taken from the
 * input's first two bytes so the fuzzer gets past the id check. In regression mode (the default) this
 * replays the seed corpus under
 * {@code src/test/resources/zonegate/tunnel/dns/DnsAnswersParserFuzzTestInputs/parsesArbitraryResponsesWithoutThrowing/};
 * run with {@code JAZZER_FUZZ=1} to fuzz.
 */
class DnsAnswersParserFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void parsesArbitraryResponsesWithoutThrowing(byte[] data) {
        int id = data.length >= 2 ? (data[0] & 0xFF) << 8 | data[1] & 0xFF : 0;
        ByteBuffer buffer = ByteBuffer.wrap(data);
        for (int type : new int[] {DnsQuery.TYPE_A, DnsQuery.TYPE_AAAA}) {
            switch (DnsAnswersParser.parse(buffer, 0, data.length, id, "www.example.com", type)) {
                case DnsAnswersResult.Answers(DnsAnswers answers) -> {
                    if (answers.addresses().size() > DnsAnswersParser.MAX_ADDRESSES || answers.minTtlSeconds() < 0) {
                        throw new IllegalStateException("bounds broken: " + answers);
                    }
                }
                case DnsAnswersResult.Rejected rejected -> rejected.reason();
            }
        }
    }
}
