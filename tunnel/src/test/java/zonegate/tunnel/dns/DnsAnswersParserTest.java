package zonegate.tunnel.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.dns.DnsResponses.response;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DnsAnswersParserTest {
    private static final String NAME = "www.example.com";

    private static DnsAnswersResult parse(byte[] bytes, int id, String name, int type) {
        return DnsAnswersParser.parse(ByteBuffer.wrap(bytes), 0, bytes.length, id, name, type);
    }

    private static DnsAnswers answers(byte[] bytes) {
        DnsAnswersResult result = parse(bytes, 1, NAME, DnsQuery.TYPE_A);
        assertThat(result).isInstanceOf(DnsAnswersResult.Answers.class);
        return ((DnsAnswersResult.Answers) result).answers();
    }

    private static DnsResponseRejection rejection(byte[] bytes, int id, String name, int type) {
        DnsAnswersResult result = parse(bytes, id, name, type);
        assertThat(result).isInstanceOf(DnsAnswersResult.Rejected.class);
        return ((DnsAnswersResult.Rejected) result).reason();
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void extractsAddressesOfBothFamiliesInAnswerOrder() {
        byte[] m = response(1).question(NAME, DnsQuery.TYPE_A)
                .a(NAME, "192.0.2.1", 300).aaaa(NAME, "2001:db8::1", 300).a(NAME, "192.0.2.2", 300).bytes();

        DnsAnswers a = answers(m);

        assertThat(a.addresses()).containsExactly(ip("192.0.2.1"), ip("2001:db8::1"), ip("192.0.2.2"));
        assertThat(a.noError()).isTrue();
        assertThat(a.truncated()).isFalse();
        assertThat(a.id()).isEqualTo(1);
    }

    @Test
    void followsACnameChainToTheTargetsAddresses() {
        byte[] m = response(1).question(NAME, DnsQuery.TYPE_A)
                .cname(NAME, "edge.cdn.net", 600).cname("edge.cdn.net", "pop1.cdn.net", 120)
                .a("pop1.cdn.net", "198.51.100.7", 30).bytes();

        DnsAnswers a = answers(m);

        assertThat(a.addresses()).containsExactly(ip("198.51.100.7"));
        assertThat(a.minTtlSeconds()).isEqualTo(30);
    }

    @Test
    void cnameRecordsInAnyOrderStillFormTheChain() {
        byte[] m = response(1).question(NAME, DnsQuery.TYPE_A)
                .a("pop1.cdn.net", "198.51.100.7", 300).cname("edge.cdn.net", "pop1.cdn.net", 20)
                .cname(NAME, "edge.cdn.net", 600).bytes();

        DnsAnswers a = answers(m);

        assertThat(a.addresses()).containsExactly(ip("198.51.100.7"));
        assertThat(a.minTtlSeconds()).isEqualTo(20);
    }

    @Test
    void addressesOfNamesOffTheChainAreIgnored() {
        byte[] m = response(1).question(NAME, DnsQuery.TYPE_A)
                .a("evil.example.org", "203.0.113.66", 300).a(NAME, "192.0.2.1", 300).bytes();

        assertThat(answers(m).addresses()).containsExactly(ip("192.0.2.1"));
    }

    @Test
    void aCnameLoopEndsTheChainWithoutAddresses() {
        byte[] m = response(1).question(NAME, DnsQuery.TYPE_A)
                .cname(NAME, "b.example.com", 60).cname("b.example.com", NAME, 60).bytes();

        DnsAnswers a = answers(m);

        assertThat(a.addresses()).isEmpty();
        assertThat(a.minTtlSeconds()).isZero();
    }

    @Test
    void chainsLongerThanTheHopLimitAreCut() {
        DnsResponses r = response(1).question(NAME, DnsQuery.TYPE_A).cname(NAME, "h1.example", 60);
        for (int i = 1; i <= DnsAnswersParser.MAX_CNAME_HOPS; i++) {
            r.cname("h" + i + ".example", "h" + (i + 1) + ".example", 60);
            r.a("h" + i + ".example", "192.0.2." + i, 60);
        }
        r.a("h9.example", "192.0.2.9", 60);

        DnsAnswers a = answers(r.bytes());

        assertThat(a.addresses()).hasSize(DnsAnswersParser.MAX_CNAME_HOPS)
                .doesNotContain(ip("192.0.2.9"));
    }

    @Test
    void theQuestionMatchesCaseInsensitivelyAndSoDoOwners() {
        byte[] m = response(1).question("WWW.Example.COM", DnsQuery.TYPE_A).a("www.EXAMPLE.com", "192.0.2.1", 5)
                .bytes();

        assertThat(answers(m).addresses()).containsExactly(ip("192.0.2.1"));
        assertThat(parse(m, 1, "www.example.com.", DnsQuery.TYPE_A)).isInstanceOf(DnsAnswersResult.Answers.class);
    }

    @Test
    void ttlsWithTheTopBitSetCountAsZero() {
        byte[] m = response(1).question(NAME, DnsQuery.TYPE_A).a(NAME, "192.0.2.1", 0x8000_0000L)
                .a(NAME, "192.0.2.2", 300).bytes();

        assertThat(answers(m).minTtlSeconds()).isZero();
    }

    @Test
    void nxDomainIsReportedWithItsRcode() {
        byte[] m = response(1).flags(0x8183).question(NAME, DnsQuery.TYPE_A).bytes();

        DnsAnswers a = answers(m);

        assertThat(a.nxDomain()).isTrue();
        assertThat(a.rcode()).isEqualTo(3);
        assertThat(a.addresses()).isEmpty();
    }

    @Test
    void compressedOwnersAndCnameTargetsAreFollowed() {
        byte[] m = response(1).question(NAME, DnsQuery.TYPE_A)
                // www.example.com CNAME cdn.<pointer to example.com at 16>
                .rawAnswer(0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 'c', 'd', 'n', 0xC0, 16)
                // cdn.example.com (pointer to the CNAME's target at 45) A 192.0.2.9
                .rawAnswer(0xC0, 45, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 9).bytes();

        assertThat(answers(m).addresses()).containsExactly(ip("192.0.2.9"));
    }

    @Test
    void otherTypesAndClassesAreSkipped() {
        byte[] m = response(1).question(NAME, DnsQuery.TYPE_A)
                .record(NAME, 16, DnsQuery.CLASS_IN, 60, new byte[] {3, 'a', 'b', 'c'})
                .record(NAME, DnsQuery.TYPE_A, 3, 60, new byte[] {10, 0, 0, 1})
                .a(NAME, "192.0.2.1", 60).bytes();

        assertThat(answers(m).addresses()).containsExactly(ip("192.0.2.1"));
    }

    @Test
    void anIpv4MappedAaaaStaysAnIpv6Address() {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1, (byte) 192, 0, 2, 1};
        byte[] m = response(1).question(NAME, DnsQuery.TYPE_A)
                .record(NAME, DnsQuery.TYPE_AAAA, DnsQuery.CLASS_IN, 60, mapped).bytes();

        assertThat(answers(m).addresses()).singleElement().isInstanceOf(Inet6Address.class);
    }

    @Test
    void addressesAreCappedAtTheLimit() {
        DnsResponses r = response(1).question(NAME, DnsQuery.TYPE_A);
        for (int i = 0; i < DnsAnswersParser.MAX_ADDRESSES + 10; i++) {
            r.a(NAME, "10.0." + i / 256 + "." + i % 256, 60);
        }

        assertThat(answers(r.bytes()).addresses()).hasSize(DnsAnswersParser.MAX_ADDRESSES);
    }

    @Test
    void withTcSetTheRecordsBeforeTheCutAreKept() {
        byte[] whole = response(1).flags(0x8380).question(NAME, DnsQuery.TYPE_A)
                .a(NAME, "192.0.2.1", 60).a(NAME, "192.0.2.2", 60).bytes();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);

        DnsAnswers a = answers(cut);

        assertThat(a.truncated()).isTrue();
        assertThat(a.addresses()).containsExactly(ip("192.0.2.1"));
    }

    @Test
    void withoutTcACutRecordIsRejected() {
        byte[] whole = response(1).question(NAME, DnsQuery.TYPE_A).a(NAME, "192.0.2.1", 60).bytes();
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 1);

        assertThat(rejection(cut, 1, NAME, DnsQuery.TYPE_A)).isEqualTo(DnsResponseRejection.TRUNCATED);
    }

    @Test
    void responsesToAnotherQueryAreRejected() {
        byte[] m = response(1).question(NAME, DnsQuery.TYPE_A).a(NAME, "192.0.2.1", 60).bytes();

        assertThat(rejection(m, 2, NAME, DnsQuery.TYPE_A)).isEqualTo(DnsResponseRejection.ID_MISMATCH);
        assertThat(rejection(m, 1, "other.example.com", DnsQuery.TYPE_A))
                .isEqualTo(DnsResponseRejection.QUESTION_MISMATCH);
        assertThat(rejection(m, 1, NAME, DnsQuery.TYPE_AAAA)).isEqualTo(DnsResponseRejection.QUESTION_MISMATCH);
        assertThat(rejection(response(1).bytes(), 1, NAME, DnsQuery.TYPE_A))
                .isEqualTo(DnsResponseRejection.QUESTION_MISMATCH);
    }

    @Test
    void queriesAndOtherOpcodesAreNotResponses() {
        byte[] query = response(1).flags(0x0100).question(NAME, DnsQuery.TYPE_A).bytes();
        byte[] notify = response(1).flags(0x8000 | 4 << 11).question(NAME, DnsQuery.TYPE_A).bytes();

        assertThat(rejection(query, 1, NAME, DnsQuery.TYPE_A)).isEqualTo(DnsResponseRejection.NOT_A_RESPONSE);
        assertThat(rejection(notify, 1, NAME, DnsQuery.TYPE_A)).isEqualTo(DnsResponseRejection.UNEXPECTED_OPCODE);
        assertThat(rejection(new byte[5], 0, NAME, DnsQuery.TYPE_A)).isEqualTo(DnsResponseRejection.TOO_SHORT);
    }

    @Test
    void malformedRecordDataIsRejected() {
        byte[] shortA = response(1).question(NAME, DnsQuery.TYPE_A)
                .record(NAME, DnsQuery.TYPE_A, DnsQuery.CLASS_IN, 60, new byte[] {1, 2, 3}).bytes();
        byte[] overrunningCname = response(1).question(NAME, DnsQuery.TYPE_A)
                .record(NAME, DnsAnswersParser.TYPE_CNAME, DnsQuery.CLASS_IN, 60, new byte[] {3, 'a', 'b', 'c', 0, 9})
                .bytes();
        byte[] loopingOwner = response(1).question(NAME, DnsQuery.TYPE_A)
                .rawAnswer(0xC0, 33, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4).bytes();

        assertThat(rejection(shortA, 1, NAME, DnsQuery.TYPE_A)).isEqualTo(DnsResponseRejection.BAD_RDATA);
        assertThat(rejection(overrunningCname, 1, NAME, DnsQuery.TYPE_A)).isEqualTo(DnsResponseRejection.BAD_RDATA);
        assertThat(rejection(loopingOwner, 1, NAME, DnsQuery.TYPE_A)).isEqualTo(DnsResponseRejection.POINTER_LOOP);
    }

    @Test
    void outOfRangeArgumentsAreATruncationNotAnException() {
        byte[] m = response(1).question(NAME, DnsQuery.TYPE_A).bytes();

        assertThat(DnsAnswersParser.parse(ByteBuffer.wrap(m), 5, m.length, 1, NAME, 1))
                .isEqualTo(new DnsAnswersResult.Rejected(DnsResponseRejection.TRUNCATED));
    }

    @Test
    void randomMutationsOfAValidResponseNeverThrow() {
        byte[] base = response(0x4242).question(NAME, DnsQuery.TYPE_A).cname(NAME, "x.cdn.net", 60)
                .a("x.cdn.net", "192.0.2.1", 60).aaaa("x.cdn.net", "2001:db8::1", 60).bytes();
        SplittableRandom random = new SplittableRandom(20_240_601);
        for (int i = 0; i < 20_000; i++) {
            byte[] m = java.util.Arrays.copyOf(base, 1 + random.nextInt(base.length + 8));
            for (int flips = random.nextInt(1, 4); flips > 0; flips--) {
                m[random.nextInt(m.length)] = (byte) random.nextInt(256);
            }
            DnsAnswersResult result = parse(m, 0x4242, NAME, DnsQuery.TYPE_A);
            assertThat(result).isNotNull();
        }
    }
}
