package zonegate.app.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.app.internal.dns.DnsTestClient.parse;
import static zonegate.app.internal.dns.FakeUpstream.Behaviour.answer;
import static zonegate.app.internal.dns.FakeUpstream.Behaviour.rcode;
import static zonegate.app.internal.dns.FakeUpstream.Behaviour.silence;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zonegate.tunnel.DnsPlan;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GatewayDnsServerTest {
    private static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

    private final FakeBackend backend = new FakeBackend().resource("app.corp").resource("gone.corp")
            .resource("silent.corp").plan("refused.example", new DnsPlan.Refuse())
            .plan("stranger.example", new DnsPlan.UnknownClient());
    private FakeUpstream upstream;
    private GatewayDnsServer server;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = new FakeUpstream().on("app.corp", answer("10.0.0.5", "2001:db8::5"))
                .on("gone.corp", rcode(3)).on("silent.corp", silence())
                .on("www.example.org", answer("93.184.215.14"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add("198.51.100." + i);
        }
        upstream.on("big.example.org", answer(many.toArray(String[]::new)));
    }

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        upstream.close();
    }

    private GatewayDnsServer start(DnsServerConfig config, UpstreamConfig upstreamConfig) throws IOException {
        server = GatewayDnsServer.start(config, backend, new UpstreamResolver(upstreamConfig));
        return server;
    }

    private GatewayDnsServer start() throws IOException {
        return start(DnsServerConfig.of(List.of(LOOPBACK)).withPort(0), upstreamConfig(Duration.ofMillis(300), 256));
    }

    private UpstreamConfig upstreamConfig(Duration tryTimeout, int maxInFlight) {
        return new UpstreamConfig(List.of(upstream.address()), tryTimeout, 2, maxInFlight);
    }

    private InetSocketAddress udp() {
        return server.udpAddresses().getFirst();
    }

    private InetSocketAddress tcp() {
        return server.tcpAddresses().getFirst();
    }

    @Test
    void aResourceNameIsAnsweredWithTheClientsIpv4Proxies() throws IOException {
        start();

        TestDns.Response r = parse(DnsTestClient.udp(udp(), TestDns.query(0x1111, "App.Corp", TestDns.A, 0)));

        assertThat(r.id()).isEqualTo(0x1111);
        assertThat(r.rcode()).isZero();
        assertThat(r.addresses()).containsExactlyElementsOf(List.copyOf(FakeBackend.PROXIES.ipv4()));
        assertThat(r.ttls()).containsOnly(1L);
        assertThat(server.counters().resourcePlans()).isEqualTo(1);
    }

    @Test
    void aResourceNameIsAnsweredWithTheClientsIpv6ProxiesForAaaa() throws IOException {
        start();

        TestDns.Response r = parse(DnsTestClient.udp(udp(), TestDns.query(7, "app.corp", TestDns.AAAA, 1232)));

        assertThat(r.rcode()).isZero();
        assertThat(r.addresses()).containsExactlyElementsOf(List.copyOf(FakeBackend.PROXIES.ipv6()));
    }

    @Test
    void assignProxiesGetsBothFamiliesTheUpstreamResolved() throws IOException {
        start();

        DnsTestClient.udp(udp(), TestDns.query(7, "app.corp", TestDns.A, 0));

        assertThat(backend.assignments).containsExactly(new FakeBackend.Assignment(LOOPBACK, "app.corp",
                List.of(InetAddress.ofLiteral("10.0.0.5"), InetAddress.ofLiteral("2001:db8::5"))));
        assertThat(upstream.received()).extracting(FakeUpstream.Received::type)
                .containsExactlyInAnyOrder(TestDns.A, TestDns.AAAA);
    }

    @Test
    void otherTypesForAResourceNameGetNoData() throws IOException {
        start();

        TestDns.Response r = parse(DnsTestClient.udp(udp(), TestDns.query(7, "app.corp", TestDns.TXT, 0)));

        assertThat(r.rcode()).isZero();
        assertThat(r.answerCount()).isZero();
    }

    @Test
    void aForwardedQueryIsRelayedUnchangedWithTheClientsId() throws IOException {
        start();

        byte[] response = DnsTestClient.udp(udp(), TestDns.query(0x4321, "www.example.org", TestDns.A, 0));

        byte[] upstreamSent = upstream.lastSent();
        assertThat(TestDns.u16(response, 0)).isEqualTo(0x4321);
        assertThat(Arrays.copyOfRange(response, 2, response.length))
                .isEqualTo(Arrays.copyOfRange(upstreamSent, 2, upstreamSent.length));
        assertThat(parse(response).addresses()).containsExactly(InetAddress.ofLiteral("93.184.215.14"));
        assertThat(server.counters().forwardPlans()).isEqualTo(1);
    }

    @Test
    void aNameThePolicyDoesNotAllowIsRefused() throws IOException {
        start();

        TestDns.Response r = parse(DnsTestClient.udp(udp(), TestDns.query(7, "refused.example", TestDns.A, 0)));

        assertThat(r.rcode()).isEqualTo(5);
        assertThat(server.counters().refused()).isEqualTo(1);
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void aQueryFromAnUnknownClientIsRefused() throws IOException {
        start();

        TestDns.Response r = parse(DnsTestClient.udp(udp(), TestDns.query(7, "stranger.example", TestDns.A, 0)));

        assertThat(r.rcode()).isEqualTo(5);
        assertThat(server.counters().unknownClientPlans()).isEqualTo(1);
    }

    @Test
    void aMalformedQueryWithAReadableHeaderGetsFormErrAndGarbageNothing() throws IOException {
        start();
        byte[] twoQuestions = TestDns.query(0x0BAD, "app.corp", TestDns.A, 0);
        twoQuestions[5] = 2;

        byte[] first = DnsTestClient.udp(udp(), new byte[] {1, 2, 3}, twoQuestions);

        TestDns.Response r = parse(first);
        assertThat(r.id()).isEqualTo(0x0BAD);
        assertThat(r.rcode()).isEqualTo(1);
        // The garbage datagram is handled on its own virtual thread and may be counted after the answer.
        DnsTestClient.await(() -> server.counters().dropped(), 1);
        DnsTestClient.await(() -> server.counters().malformed(), 2);
        assertThat(server.counters().malformed()).isEqualTo(2);
        assertThat(server.counters().dropped()).isEqualTo(1);
    }

    @Test
    void anUpstreamTimeoutForAResourceGivesServFail() throws IOException {
        start();

        TestDns.Response r = parse(DnsTestClient.udp(udp(), TestDns.query(7, "silent.corp", TestDns.A, 0)));

        assertThat(r.rcode()).isEqualTo(2);
        assertThat(server.counters().upstreamFailures()).isEqualTo(1);
        assertThat(server.upstreamCounters().timeouts()).isEqualTo(4);
        assertThat(backend.assignments).isEmpty();
    }

    @Test
    void anUpstreamNxDomainForAResourceGivesNxDomain() throws IOException {
        start();

        TestDns.Response r = parse(DnsTestClient.udp(udp(), TestDns.query(7, "gone.corp", TestDns.AAAA, 0)));

        assertThat(r.rcode()).isEqualTo(3);
        assertThat(server.counters().nxDomains()).isEqualTo(1);
    }

    @Test
    void aLargeAnswerIsTruncatedOverUdpAndWholeOverTcp() throws IOException {
        start();
        byte[] query = TestDns.query(0x2222, "big.example.org", TestDns.A, 0);

        TestDns.Response overUdp = parse(DnsTestClient.udp(udp(), query));
        TestDns.Response overTcp = parse(DnsTestClient.tcp(tcp(), query).getFirst());

        assertThat(overUdp.truncated()).isTrue();
        assertThat(overUdp.id()).isEqualTo(0x2222);
        assertThat(overTcp.truncated()).isFalse();
        assertThat(overTcp.addresses()).hasSize(100);
        assertThat(server.counters().truncated()).isEqualTo(1);
        assertThat(server.upstreamCounters().tcpQueries()).isEqualTo(2);
    }

    @Test
    void oneTcpConnectionCarriesTwoQueries() throws IOException {
        start();

        List<byte[]> responses = DnsTestClient.tcp(tcp(), TestDns.query(1, "app.corp", TestDns.A, 0),
                TestDns.query(2, "app.corp", TestDns.AAAA, 0));

        assertThat(parse(responses.get(0)).id()).isEqualTo(1);
        assertThat(parse(responses.get(0)).addresses()).containsExactlyElementsOf(List.copyOf(FakeBackend.PROXIES.ipv4()));
        assertThat(parse(responses.get(1)).id()).isEqualTo(2);
        assertThat(parse(responses.get(1)).addresses()).containsExactlyElementsOf(List.copyOf(FakeBackend.PROXIES.ipv6()));
        assertThat(server.counters().tcpQueries()).isEqualTo(2);
    }

    @Test
    void anIdleTcpConnectionIsClosed() throws IOException {
        start(DnsServerConfig.of(List.of(LOOPBACK)).withPort(0).withSharedBounds(16, 4, Duration.ofSeconds(2))
                .withTcpTimeouts(Duration.ofMillis(200), DnsServerConfig.DEFAULT_TCP_MAX_LIFETIME),
                upstreamConfig(Duration.ofMillis(300), 256));

        try (Socket socket = new Socket()) {
            socket.connect(tcp(), DnsTestClient.WAIT_MS);
            socket.setSoTimeout(DnsTestClient.WAIT_MS);

            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void beyondTheUpstreamBoundQueriesGetServFailAndAreCounted() throws Exception {
        start(DnsServerConfig.of(List.of(LOOPBACK)).withPort(0), upstreamConfig(Duration.ofSeconds(5), 2));
        Thread slow = Thread.ofVirtual().start(() -> {
            try {
                DnsTestClient.udp(udp(), TestDns.query(1, "silent.corp", TestDns.A, 0));
            } catch (IOException e) {
                // the server closes before answering; nothing to check here
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (upstream.receivedFor("silent.corp") < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        TestDns.Response r = parse(DnsTestClient.udp(udp(), TestDns.query(2, "app.corp", TestDns.A, 0)));

        assertThat(r.rcode()).isEqualTo(2);
        assertThat(server.upstreamCounters().busy()).isEqualTo(1);
        assertThat(server.counters().upstreamFailures()).isEqualTo(1);
        server.close();
        slow.join(DnsTestClient.WAIT_MS + 1_000);
    }

    @Test
    void aStuckBackendGivesServFail() throws IOException {
        backend.stuck = true;
        start(DnsServerConfig.of(List.of(LOOPBACK)).withPort(0).withSharedBounds(16, 4, Duration.ofMillis(100)),
                upstreamConfig(Duration.ofMillis(300), 256));

        TestDns.Response r = parse(DnsTestClient.udp(udp(), TestDns.query(7, "app.corp", TestDns.A, 0)));

        assertThat(r.rcode()).isEqualTo(2);
        assertThat(server.counters().backendFailures()).isEqualTo(1);
    }

    @Test
    void theServerAnswersOnIpv6TunnelAddressesToo() throws IOException {
        InetAddress ipv6 = InetAddress.ofLiteral("::1");
        start(DnsServerConfig.of(List.of(LOOPBACK, ipv6)).withPort(0), upstreamConfig(Duration.ofMillis(300), 256));

        TestDns.Response r = parse(DnsTestClient.udp(server.udpAddresses().get(1),
                TestDns.query(9, "app.corp", TestDns.AAAA, 0)));

        assertThat(r.addresses()).containsExactlyElementsOf(List.copyOf(FakeBackend.PROXIES.ipv6()));
        assertThat(backend.assignments).extracting(FakeBackend.Assignment::client).containsExactly(ipv6);
    }

    @Test
    void closeStopsServing() throws IOException {
        start();
        InetSocketAddress address = tcp();

        server.close();

        try (Socket socket = new Socket()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> socket.connect(address, DnsTestClient.WAIT_MS))
                    .isInstanceOf(IOException.class);
        }
    }
}
