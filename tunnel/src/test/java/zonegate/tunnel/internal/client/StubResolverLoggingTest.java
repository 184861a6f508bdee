package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.internal.client.StubFixture.ask;
import static zonegate.tunnel.internal.client.StubFixture.dns;
import static zonegate.tunnel.internal.client.StubFixture.resolver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zonegate.tunnel.DnsRecords;
import zonegate.tunnel.dns.DnsQuery;

/**
 * Per-query work logs nothing above DEBUG, and proxy exhaustion warns once, however many queries hit it.
 * Reads the file tinylog-test.properties points the test logs at.
 */
class StubResolverLoggingTest {
    private static final Path LOG = Path.of("target", "tunnel-test.log");

    @Test
    void queriesLogNothingAboveDebugAndExhaustionWarnsOnce() throws IOException {
        StubResolver stub = resolver(dns("r1", "**.example.com"));
        stub.seed(new DnsRecords(Map.of("last.example.com", StubResolverProxyTest.slot(ProxyPool.SLOTS - 1))));
        long before = size();

        for (int i = 0; i < 20; i++) {
            ask(stub, i, "n" + i + ".example.com", DnsQuery.TYPE_A);
            ask(stub, i, "last.example.com", DnsQuery.TYPE_AAAA);
            var f = (StubResult.Forward) ask(stub, i, "www.example.org", DnsQuery.TYPE_A);
            stub.handleUpstreamResponse(f.queryId(), ByteBuffer.wrap(new byte[3]), 0);
            StubFixture.send(stub, new byte[] {1, 2, 3}, 0);
        }

        List<String> lines = linesSince(before);
        assertThat(stub.count(StubCounter.PROXIES_EXHAUSTED)).isEqualTo(20);
        assertThat(lines).filteredOn(l -> l.startsWith("WARN")).singleElement().asString()
                .contains("proxy addresses exhausted, reset the client");
        assertThat(lines).noneMatch(l -> l.startsWith("INFO") || l.startsWith("ERROR"));
    }

    private static long size() throws IOException {
        return Files.exists(LOG) ? Files.size(LOG) : 0;
    }

    private static List<String> linesSince(long offset) throws IOException {
        byte[] all = Files.readAllBytes(LOG);
        String text = new String(Arrays.copyOfRange(all, (int) offset, all.length), StandardCharsets.UTF_8);
        return text.lines().filter(l -> !l.isBlank()).toList();
    }
}
