package zonegate.app.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zonegate.packet.BufferPool;
import zonegate.shell.io.NativeIoException;
import zonegate.shell.io.UdpSocket;
import zonegate.shell.loop.EventLoop;
import zonegate.shell.loop.EventLoopConfig;
import zonegate.shell.loop.LoopCounters;

class ObserveEndpointsTest {
    private static final long SECOND_NS = 1_000_000_000L;

    private final EventLoop eventLoop = unstartedLoop();
    private final LoopCounters loop = eventLoop.counters();
    private final AtomicReference<LoopCounters> running = new AtomicReference<>(loop);
    private final Readiness readiness = new Readiness(List.of("policy", "device"));
    private final AtomicLong datagrams = new AtomicLong();
    private final ObserveEndpoints endpoints = new ObserveEndpoints(
            List.of(out -> out.counter("zonegate_fake_datagrams_total", "Fake.", datagrams.get()),
                    new LoopMetrics(() -> eventLoop, SocketLabels.BY_ADDRESS)),
            List.of(new LoopProbe(running::get, LoopProbe.MAX_AGE_NS)), readiness.probes());

    @AfterEach
    void closeLoop() {
        eventLoop.close();
    }

    @Test
    void metricsMoveWithTheirSource() {
        double before = value(endpoints.respond("GET", "/metrics", 0).body(), "zonegate_fake_datagrams_total");
        datagrams.addAndGet(5);

        double after = value(endpoints.respond("GET", "/metrics", 0).body(), "zonegate_fake_datagrams_total");

        assertThat(after - before).isEqualTo(5.0);
    }

    @Test
    void metricsAnswerInTheTextFormatWithTheLoopCounters() {
        ObserveEndpoints.Response response = endpoints.respond("GET", "/metrics", 0);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(TextFormatParser.parse(response.body())).containsKeys("zonegate_datagrams_received_total",
                "zonegate_datagram_sent_bytes_total", "zonegate_loop_drops_total", "zonegate_loop_parked_seconds_total");
    }

    @Test
    void healthzIs200WhenTheLoopTurnedWithinTwoSeconds() {
        ObserveEndpoints.Response response = endpoints.respond("GET", "/healthz", loop.lastCycleNs() + SECOND_NS);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"ok\":true,\"checks\":{\"event_loop\":{\"ok\":true,");
    }

    @Test
    void healthzIs503WhenTheLoopLastTurnedMoreThanTwoSecondsAgo() {
        ObserveEndpoints.Response response = endpoints.respond("GET", "/healthz", loop.lastCycleNs() + 3 * SECOND_NS);

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).contains("\"event_loop\":{\"ok\":false,\"detail\":\"last cycle 3000 ms ago\"}");
    }

    @Test
    void healthzIs503WhileNoLoopRuns() {
        running.set(null);

        assertThat(endpoints.respond("GET", "/healthz", 0).status()).isEqualTo(503);
    }

    @Test
    void readyzIs503BeforeThePolicyIsLoaded() {
        readiness.set("device", true, "zg0 up");

        ObserveEndpoints.Response response = endpoints.respond("GET", "/readyz", loop.lastCycleNs());

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).contains("\"policy\":{\"ok\":false,\"detail\":\"not yet\"}",
                "\"device\":{\"ok\":true,\"detail\":\"zg0 up\"}");
    }

    @Test
    void readyzIs200OnceEveryCheckPasses() {
        readiness.set("policy", true, "loaded");
        readiness.set("device", true, "zg0 up");

        assertThat(endpoints.respond("GET", "/readyz", loop.lastCycleNs()).status()).isEqualTo(200);
    }

    @Test
    void readyzFailsWhenTheLoopIsStuckEvenIfEverythingElseIsReady() {
        readiness.set("policy", true, "loaded");
        readiness.set("device", true, "zg0 up");

        assertThat(endpoints.respond("GET", "/readyz", loop.lastCycleNs() + 3 * SECOND_NS).status()).isEqualTo(503);
    }

    @Test
    void unknownPathsAre404AndOtherMethods405() {
        assertThat(endpoints.respond("GET", "/", 0).status()).isEqualTo(404);
        assertThat(endpoints.respond("POST", "/metrics", 0).status()).isEqualTo(405);
    }

    @Test
    void aFailingSourceIsLeftOutAndTheOthersStillAnswer() {
        ObserveEndpoints failing = new ObserveEndpoints(List.of(out -> {
            throw new IllegalStateException("boom");
        }, out -> out.gauge("zonegate_ok", "OK.", 1)), List.of(), List.of());

        assertThat(TextFormatParser.parse(failing.respond("GET", "/metrics", 0).body())).containsOnlyKeys("zonegate_ok");
    }

    private static EventLoop unstartedLoop() {
        try {
            UdpSocket socket = UdpSocket.open(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0),
                    UdpSocket.DEFAULT_BUFFER_BYTES);
            return EventLoop.create(EventLoopConfig.defaults(), new LoopMetricsTest.EchoDriver(),
                    new BufferPool(2048, 512, true), null, List.of(socket));
        } catch (NativeIoException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double value(String text, String name) {
        return TextFormatParser.parse(text).get(name).samples().getFirst().value();
    }
}
