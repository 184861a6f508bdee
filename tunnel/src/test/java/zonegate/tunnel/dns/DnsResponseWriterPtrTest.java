package zonegate.tunnel.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DnsResponseWriterPtrTest {
    private static DnsQuery ptrQuery(int udpSize) {
        byte[] q = DnsMessages.query(0x0102, "1.0.96.100.in-addr.arpa", DnsQuery.TYPE_PTR, udpSize);
        return ((DnsParseResult.Query) DnsParser.parse(ByteBuffer.wrap(q), 0, q.length)).query();
    }

    @Test
    void ptrAnswerNamesTheTargetAfterAPointerToTheQuestion() {
        ByteBuffer out = ByteBuffer.allocate(512);

        int n = DnsResponseWriter.writePtr(ptrQuery(0), "app.example.com", 1, 512, out, 0);

        int question = 12 + 25 + 4;
        assertThat(out.getShort(6)).isEqualTo((short) 1);
        assertThat(out.getShort(question) & 0xFFFF).isEqualTo(0xC00C);
        assertThat(out.getShort(question + 2)).isEqualTo((short) DnsQuery.TYPE_PTR);
        assertThat(out.getInt(question + 6)).isEqualTo(1);
        assertThat(out.getShort(question + 10)).isEqualTo((short) 17);
        assertThat(out.get(question + 12)).isEqualTo((byte) 3);
        assertThat(n).isEqualTo(question + 12 + 17);
        assertThat(DnsResponseRelay.check(out, 0, n, 0x0102)).isEqualTo(question);
    }

    @Test
    void ptrAnswerCarriesAnOptRecordWhenTheQueryHadOne() {
        ByteBuffer out = ByteBuffer.allocate(512);

        int n = DnsResponseWriter.writePtr(ptrQuery(1232), "app.example.com.", 1, 1232, out, 0);

        assertThat(out.getShort(10)).isEqualTo((short) 1);
        assertThat(DnsResponseRelay.check(out, 0, n, 0x0102)).isPositive();
    }

    @Test
    void invalidTargetThrows() {
        ByteBuffer out = ByteBuffer.allocate(512);

        assertThatThrownBy(() -> DnsResponseWriter.writePtr(ptrQuery(0), "a..b", 1, 512, out, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DnsResponseWriter.writePtr(ptrQuery(0), "a".repeat(64), 1, 512, out, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
