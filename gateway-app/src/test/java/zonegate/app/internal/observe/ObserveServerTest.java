package zonegate.app.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObserveServerTest {
    @Test
    void servesMetricsAndReadinessOverHttpOnLoopback() throws IOException {
        Readiness readiness = new Readiness(List.of("policy"));
        ObserveEndpoints endpoints = new ObserveEndpoints(List.of(out -> out.gauge("zonegate_up", "Up.", 1)),
                List.of(), readiness.probes());
        try (ObserveServer server = ObserveServer.start(new InetSocketAddress("127.0.0.1", 0), endpoints)) {
            String base = "http://127.0.0.1:" + server.address().getPort();

            HttpURLConnection metrics = open(base + "/metrics");
            HttpURLConnection ready = open(base + "/readyz");

            assertThat(metrics.getResponseCode()).isEqualTo(200);
            assertThat(metrics.getContentType()).startsWith("text/plain; version=0.0.4");
            assertThat(body(metrics.getInputStream())).isEqualTo("# HELP zonegate_up Up.\n# TYPE zonegate_up gauge\nzonegate_up 1\n");
            assertThat(ready.getResponseCode()).isEqualTo(503);
            assertThat(body(ready.getErrorStream())).contains("\"policy\":{\"ok\":false");
        }
    }

    @Test
    void parsesIpv4AndBracketedIpv6AddressesAndRefusesHostNames() {
        assertThat(MetricsAddress.parse("127.0.0.1:9464")).isEqualTo(new InetSocketAddress("127.0.0.1", 9464));
        assertThat(MetricsAddress.parse("[::1]:9464").getAddress().isLoopbackAddress()).isTrue();
        assertThat(MetricsAddress.parse("localhost:9464")).isNull();
        assertThat(MetricsAddress.parse("::1:9464")).isNull();
        assertThat(MetricsAddress.parse("127.0.0.1:70000")).isNull();
        assertThat(MetricsAddress.parse("127.0.0.1")).isNull();
    }

    private static HttpURLConnection open(String url) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(5_000);
        return connection;
    }

    private static String body(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
