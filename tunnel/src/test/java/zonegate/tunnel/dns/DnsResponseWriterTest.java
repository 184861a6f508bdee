package zonegate.tunnel.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsResponseWriterTest {
    private final ByteBuffer out = ByteBuffer.allocate(4096);

    private static DnsQuery query(String name, int type, int udpSize) {
        byte[] q = DnsMessages.query(0xBEEF, name, type, udpSize);
        return ((DnsParseResult.Query) DnsParser.parse(ByteBuffer.wrap(q), 0, q.length)).query();
    }

    private static List<InetAddress> addresses(String... text) {
        return java.util.Arrays.stream(text).map(InetAddress::ofLiteral).toList();
    }

    @Test
    void answersAWithTheIpv4AddressesOnlyAndEchoesTheQuestion() {
        DnsQuery q = query("App.Example.com", DnsQuery.TYPE_A, 0);

        int n = DnsResponseWriter.writeAnswer(q, addresses("100.96.0.1", "fd00:2021:1111:8000::1", "100.96.0.2"),
                1, q.udpResponseLimitBytes(), out, 0);

        assertThat(out.getShort(0) & 0xFFFF).isEqualTo(0xBEEF);
        assertThat(out.getShort(2) & 0xFFFF).isEqualTo(0x8180);
        assertThat(out.getShort(6)).isEqualTo((short) 2);
        int question = 12 + 17 + 4;
        assertThat(n).isEqualTo(question + 2 * 16);
        assertThat(out.get(13)).isEqualTo((byte) 'A');
        assertThat(out.getShort(question) & 0xFFFF).isEqualTo(0xC00C);
        assertThat(out.getInt(question + 6)).isEqualTo(1);
        assertThat(out.get(question + 12)).isEqualTo((byte) 100);
    }

    @Test
    void aaaaForANameWithOnlyIpv4IsNoData() {
        DnsQuery q = query("a.com", DnsQuery.TYPE_AAAA, 0);

        DnsResponseWriter.writeAnswer(q, addresses("10.0.0.1"), 1, 512, out, 0);

        assertThat(out.getShort(2) & 0x000F).isZero();
        assertThat(out.getShort(6)).isZero();
    }

    @Test
    void errorResponsesCarryTheirRcodeAndAnOptRecordWhenTheQueryHadOne() {
        DnsQuery q = query("a.com", DnsQuery.TYPE_A, 1232);

        int n = DnsResponseWriter.writeEmpty(q, DnsRcode.NXDOMAIN, q.udpResponseLimitBytes(), out, 0);

        assertThat(out.getShort(2) & 0x000F).isEqualTo(3);
        assertThat(out.getShort(10)).isEqualTo((short) 1);
        assertThat(out.getShort(n - 10) & 0xFFFF).isEqualTo(DnsQuery.TYPE_OPT);
        for (DnsRcode rcode : List.of(DnsRcode.REFUSED, DnsRcode.SERVFAIL, DnsRcode.FORMERR)) {
            DnsResponseWriter.writeEmpty(q, rcode, 512, out, 0);
            assertThat(out.getShort(2) & 0x000F).isEqualTo(rcode.code());
        }
        assertThat(DnsResponseWriter.writeHeaderOnly(7, DnsRcode.FORMERR, out, 0)).isEqualTo(12);
        assertThat(out.getShort(4)).isZero();
    }

    @Test
    void aResponseOver1212BytesIsTruncatedWithTcAndWholeAnswersOnly() {
        DnsQuery q = query("big.example.com", DnsQuery.TYPE_AAAA, 4096);
        List<InetAddress> many = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            many.add(InetAddress.ofLiteral("2001:db8::" + Integer.toHexString(i)));
        }

        int n = DnsResponseWriter.writeAnswer(q, many, 1, q.udpResponseLimitBytes(), out, 0);

        assertThat(n).isLessThanOrEqualTo(1212);
        assertThat(out.getShort(2) & 0x0200).isNotZero();
        int answers = out.getShort(6);
        assertThat(answers).isLessThan(60).isPositive();
        assertThat(n).isEqualTo(12 + 17 + 4 + answers * 28 + 11);
    }

    @Test
    void withoutEdnsAResponseIsLimitedTo512Bytes() {
        DnsQuery q = query("big.example.com", DnsQuery.TYPE_AAAA, 0);
        List<InetAddress> many = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            many.add(InetAddress.ofLiteral("2001:db8::" + Integer.toHexString(i)));
        }

        int n = DnsResponseWriter.writeAnswer(q, many, 1, q.udpResponseLimitBytes(), out, 0);

        assertThat(n).isLessThanOrEqualTo(512);
        assertThat(out.getShort(2) & 0x0200).isNotZero();
    }

    @Test
    void aResponseParsesBackAsTheSameQuestionWhenItsQrBitIsCleared() {
        DnsQuery q = query("round.trip.org", DnsQuery.TYPE_A, 1232);
        int n = DnsResponseWriter.writeAnswer(q, addresses("192.0.2.1"), 1, 1212, out, 0);
        byte[] bytes = new byte[n];
        out.get(0, bytes);
        bytes[2] &= 0x7F;
        bytes[7] = 0;
        byte[] withoutAnswer = new byte[n - 16];
        System.arraycopy(bytes, 0, withoutAnswer, 0, 12 + 16 + 4);
        System.arraycopy(bytes, 12 + 16 + 4 + 16, withoutAnswer, 12 + 16 + 4, 11);

        DnsParseResult back = DnsParser.parse(ByteBuffer.wrap(withoutAnswer), 0, withoutAnswer.length);

        assertThat(back).isInstanceOf(DnsParseResult.Query.class);
        assertThat(((DnsParseResult.Query) back).query().name()).isEqualTo("round.trip.org");
        assertThat(((DnsParseResult.Query) back).query().edns()).isTrue();
    }
}
