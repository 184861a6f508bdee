package zonegate.tunnel.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DnsParserTest {
    private static DnsParseResult parse(byte[] bytes) {
        return DnsParser.parse(ByteBuffer.wrap(bytes), 0, bytes.length);
    }

    @Test
    void parsesAQueryWithItsQuestionCasePreserved() {
        DnsParseResult result = parse(DnsMessages.query(0x1234, "App.Example.com", DnsQuery.TYPE_AAAA, 0));

        assertThat(result).isEqualTo(new DnsParseResult.Query(
                new DnsQuery(0x1234, 0x0100, "App.Example.com", DnsQuery.TYPE_AAAA, 1, false, 0)));
        DnsQuery q = ((DnsParseResult.Query) result).query();
        assertThat(q.domain()).isEqualTo("app.example.com");
        assertThat(q.recursionDesired()).isTrue();
        assertThat(q.udpResponseLimitBytes()).isEqualTo(512);
    }

    @Test
    void ednsUdpSizeIsRecognisedAndCappedAt1212() {
        DnsQuery big = ((DnsParseResult.Query) parse(DnsMessages.query(1, "a.com", 1, 4096))).query();
        DnsQuery small = ((DnsParseResult.Query) parse(DnsMessages.query(1, "a.com", 1, 100))).query();

        assertThat(big.edns()).isTrue();
        assertThat(big.ednsUdpPayloadBytes()).isEqualTo(4096);
        assertThat(big.udpResponseLimitBytes()).isEqualTo(1212);
        assertThat(small.udpResponseLimitBytes()).isEqualTo(512);
    }

    @Test
    void followsChainsOfBackwardPointersInOtherRecords() {
        byte[] m = {0, 7, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0,
            1, 'a', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
            3, 'w', 'w', 'w', (byte) 0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 1, 0, 0,
            (byte) 0xC0, 23, 0, 5, 0, 1, 0, 0, 0, 1, 0, 0};

        DnsParseResult result = parse(m);

        assertThat(result).isInstanceOf(DnsParseResult.Query.class);
        assertThat(((DnsParseResult.Query) result).query().name()).isEqualTo("a.com");
    }

    @Test
    void answersAndAuthorityRecordsWithPointersAreSkipped() {
        byte[] m = {0, 9, 1, 0, 0, 1, 0, 1, 0, 0, 0, 0,
            3, 'f', 'o', 'o', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
            (byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 1, 0, 4, 1, 2, 3, 4};

        DnsParseResult result = parse(m);

        assertThat(result).isInstanceOf(DnsParseResult.Query.class);
        assertThat(((DnsParseResult.Query) result).query().name()).isEqualTo("foo.com");
    }

    @Test
    void aPointerToItselfOrForwardIsRejectedAsALoop() {
        byte[] self = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 1, 0, 1};
        byte[] forward = {0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 14, 1, 'a', 0, 0, 1, 0, 1};

        assertThat(parse(self)).isEqualTo(new DnsParseResult.Rejected(DnsRejection.POINTER_LOOP, 1));
        assertThat(parse(forward)).isEqualTo(new DnsParseResult.Rejected(DnsRejection.POINTER_LOOP, 1));
    }

    @Test
    void typedRejectionsForBadHeadersAndNames() {
        assertThat(parse(new byte[5])).isEqualTo(new DnsParseResult.Rejected(DnsRejection.TOO_SHORT, -1));
        byte[] response = DnsMessages.query(3, "a.com", 1, 0);
        response[2] |= (byte) 0x80;
        assertThat(parse(response)).isEqualTo(new DnsParseResult.Rejected(DnsRejection.NOT_A_QUERY, 3));
        byte[] twoQuestions = DnsMessages.query(4, "a.com", 1, 0);
        twoQuestions[5] = 2;
        assertThat(parse(twoQuestions)).isEqualTo(new DnsParseResult.Rejected(DnsRejection.BAD_QUESTION_COUNT, 4));
        byte[] cut = DnsMessages.query(5, "a.com", 1, 0);
        assertThat(parse(java.util.Arrays.copyOf(cut, cut.length - 2)))
                .isEqualTo(new DnsParseResult.Rejected(DnsRejection.TRUNCATED, 5));
        assertThat(parse(DnsMessages.query(6, "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "."
                + "d".repeat(63), 1, 0))).isEqualTo(new DnsParseResult.Rejected(DnsRejection.NAME_TOO_LONG, 6));
    }

    @Test
    void arbitraryBytesNeverThrow() {
        SplittableRandom random = new SplittableRandom(11);
        byte[] seed = DnsMessages.query(1, "www.example.com", 1, 1232);
        for (int i = 0; i < 20_000; i++) {
            byte[] m = random.nextBoolean() ? seed.clone() : new byte[random.nextInt(64)];
            for (int k = random.nextInt(1, 6); k > 0 && m.length > 0; k--) {
                m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            }
            assertThat(parse(m)).isNotNull();
        }
    }
}
