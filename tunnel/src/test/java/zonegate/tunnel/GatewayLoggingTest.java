package zonegate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.tunnel.GatewayHarness.Client;

/**
 * Per-packet work logs at TRACE only: a burst of allowed, denied and spoofed packets adds no line above
 * DEBUG, and the denials add one DEBUG line per (client, resource, protocol, port), not one per packet.
 * Reads the file tinylog-test.properties points the test logs at.
 */
class GatewayLoggingTest {
    private static final Path LOG = Path.of("target", "tunnel-test.log");

    @Test
    void nothingIsLoggedAboveDebugPerPacketAndDenialsOncePerPort() throws IOException {
        GatewayHarness h = new GatewayHarness(4);
        Client alice = h.connectClient("alice");
        h.gateway.replaceAuthorizations(alice.spec.id(), List.of(GatewayDataPathTest.OFFICE_ICMP_AND_HTTPS), h.nowNs);
        alice.send(Packets.echoRequest(alice.ipv4, "10.20.0.5", 7, 0));
        long before = size();

        for (int i = 1; i <= 50; i++) {
            alice.send(Packets.echoRequest(alice.ipv4, "10.20.0.5", 7, i));
            alice.send(Packets.tcpSyn(alice.ipv4, 40000 + i, "10.20.0.5", 22));
            alice.send(Packets.echoRequest(alice.ipv4, "192.168.1.1", 7, i));
            alice.send(Packets.echoRequest("100.64.0.99", "10.20.0.5", 7, i));
            h.fromResource(Packets.echoRequest("10.20.0.5", "100.64.0.200", 1, i));
        }

        List<String> lines = linesSince(before);
        assertThat(alice.received).hasSize(151);
        assertThat(lines).isNotEmpty().noneMatch(l -> l.startsWith("INFO") || l.startsWith("WARN")
                || l.startsWith("ERROR"));
        assertThat(lines.stream().filter(l -> l.startsWith("DEBUG"))).hasSize(2)
                .anyMatch(l -> l.contains("TCP port 22"))
                .anyMatch(l -> l.contains("no resource for 192.168.1.1"));
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
