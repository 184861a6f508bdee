package zonegate.tunnel.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DnsResponseRelayTest {
    private static final int SRV = 33;

    private static byte[] twoAnswers() {
        return DnsResponses.response(0x1234).question("www.example.org", DnsQuery.TYPE_A)
                .a("www.example.org", "192.0.2.1", 60).a("www.example.org", "192.0.2.2", 60).bytes();
    }

    private static int check(byte[] response, int id) {
        return DnsResponseRelay.check(ByteBuffer.wrap(response), 0, response.length, id);
    }

    @Test
    void aResponseWithTheIdPassesAndReportsTheEndOfItsQuestion() {
        assertThat(check(twoAnswers(), 0x1234)).isEqualTo(12 + 17 + 4);
    }

    @Test
    void recordsOfAnyTypePass() {
        byte[] srv = DnsResponses.response(7).question("_sip._udp.example.org", SRV)
                .record("_sip._udp.example.org", SRV, DnsQuery.CLASS_IN, 60, new byte[] {0, 1, 0, 2, 0, 3, 0})
                .bytes();

        assertThat(check(srv, 7)).isPositive();
    }

    @Test
    void aResponseWithoutQuestionPasses() {
        assertThat(check(DnsResponses.response(9).flags(0x8182).bytes(), 9)).isEqualTo(12);
    }

    @Test
    void anotherIdIsRejected() {
        assertThat(DnsResponseRelay.rejection(check(twoAnswers(), 0x1235))).isEqualTo(DnsResponseRejection.ID_MISMATCH);
    }

    @Test
    void aQueryIsRejected() {
        byte[] query = DnsMessages.query(5, "a.org", DnsQuery.TYPE_A, 0);

        assertThat(DnsResponseRelay.rejection(check(query, 5))).isEqualTo(DnsResponseRejection.NOT_A_RESPONSE);
    }

    @Test
    void aRecordRunningPastTheEndIsRejected() {
        byte[] cut = Arrays.copyOf(twoAnswers(), twoAnswers().length - 1);

        assertThat(DnsResponseRelay.rejection(check(cut, 0x1234))).isEqualTo(DnsResponseRejection.TRUNCATED);
    }

    @Test
    void aCountPromisingMoreRecordsThanThereAreIsRejected() {
        byte[] response = twoAnswers();
        response[11] = 1;

        assertThat(check(response, 0x1234)).isNegative();
    }

    @Test
    void aPointerLoopIsRejected() {
        byte[] response = DnsResponses.response(1).question("a.org", DnsQuery.TYPE_A)
                .rawAnswer(0xC0, 29, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4).bytes();

        assertThat(DnsResponseRelay.rejection(check(response, 1))).isEqualTo(DnsResponseRejection.POINTER_LOOP);
    }

    @Test
    void shortBytesAreRejected() {
        assertThat(DnsResponseRelay.rejection(check(new byte[5], 0))).isEqualTo(DnsResponseRejection.TOO_SHORT);
        assertThat(DnsResponseRelay.check(ByteBuffer.allocate(4), 2, 10, 0)).isNegative();
    }

    @Test
    void truncateKeepsHeaderAndQuestionSetsTcAndDropsTheRecords() {
        byte[] response = twoAnswers();
        ByteBuffer out = ByteBuffer.allocate(512);

        int n = DnsResponseRelay.truncate(ByteBuffer.wrap(response), 0, check(response, 0x1234), false, 512, out, 0);

        assertThat(n).isEqualTo(33);
        DnsAnswersResult parsed = DnsAnswersParser.parse(out, 0, n, 0x1234, "www.example.org", DnsQuery.TYPE_A);
        DnsAnswers answers = ((DnsAnswersResult.Answers) parsed).answers();
        assertThat(answers.truncated()).isTrue();
        assertThat(answers.addresses()).isEmpty();
        assertThat(out.getShort(10)).isZero();
    }

    @Test
    void truncateAddsAnOptRecordWhenTheQueryHadOne() {
        byte[] response = twoAnswers();
        ByteBuffer out = ByteBuffer.allocate(512);

        int n = DnsResponseRelay.truncate(ByteBuffer.wrap(response), 0, check(response, 0x1234), true, 512, out, 0);

        assertThat(n).isEqualTo(33 + 11);
        assertThat(out.getShort(10)).isEqualTo((short) 1);
        assertThat(out.getShort(33 + 1)).isEqualTo((short) DnsQuery.TYPE_OPT);
        assertThat(out.getShort(33 + 3)).isEqualTo((short) DnsQuery.MAX_UDP_RESPONSE_BYTES);
    }

    @Test
    void truncateLeavesOutAQuestionSectionTooLargeForTheLimit() {
        byte[] response = twoAnswers();
        ByteBuffer out = ByteBuffer.allocate(512);

        int n = DnsResponseRelay.truncate(ByteBuffer.wrap(response), 0, check(response, 0x1234), false, 20, out, 0);

        assertThat(n).isEqualTo(12);
        assertThat(out.getShort(4)).isZero();
        assertThat(out.get(2) & 0x02).isEqualTo(0x02);
    }

    @Test
    void truncateIntoATooSmallBufferThrows() {
        byte[] response = twoAnswers();

        assertThatThrownBy(() -> DnsResponseRelay.truncate(ByteBuffer.wrap(response), 0, 33, false, 512,
                ByteBuffer.allocate(20), 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
