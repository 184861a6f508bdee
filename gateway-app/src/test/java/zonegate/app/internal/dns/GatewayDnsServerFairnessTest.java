package zonegate.app.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.app.internal.dns.DnsTestClient.parse;
import static zonegate.app.internal.dns.FakeUpstream.Behaviour.answer;
import static zonegate.app.internal.dns.FakeUpstream.Behaviour.silence;

import java.io.DataInputStream;
import java.io.Closeable;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zonegate.tunnel.DnsAssignment;

/**
 * One client cannot starve another, and a stranger gets nothing: FakeBackend knows 127.0.0.1 as client a
 * and 127.0.0.2 as client b; 127.0.0.3 is nobody.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GatewayDnsServerFairnessTest {
    private static final InetAddress A = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress B = InetAddress.ofLiteral("127.0.0.2");
    private static final InetAddress STRANGER = InetAddress.ofLiteral("127.0.0.3");

    private final FakeBackend backend = new FakeBackend().resource("app.corp").resource("silent.corp");
    private final List<Closeable> open = new ArrayList<>();
    private FakeUpstream upstream;
    private GatewayDnsServer server;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = new FakeUpstream().on("app.corp", answer("10.0.0.5")).on("silent.corp", silence())
                .on("www.example.org", answer("93.184.215.14"));
    }

    @AfterEach
    void stop() throws IOException {
        for (Closeable c : open) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
        upstream.close();
    }

    private void start(DnsServerConfig config, int upstreamInFlight) throws IOException {
        server = GatewayDnsServer.start(config, backend, new UpstreamResolver(
                new UpstreamConfig(List.of(upstream.address()), Duration.ofSeconds(5), 2, upstreamInFlight)));
    }

    private static DnsServerConfig config() {
        return DnsServerConfig.of(List.of(A)).withPort(0);
    }

    private InetSocketAddress udp() {
        return server.udpAddresses().getFirst();
    }

    private InetSocketAddress tcp() {
        return server.tcpAddresses().getFirst();
    }

    /** Sends queries from {@code source} without waiting for answers; the socket stays open until the end. */
    private void fire(InetAddress source, String name, int count) throws IOException {
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(source, 0));
        open.add(socket);
        for (int i = 0; i < count; i++) {
            byte[] q = TestDns.query(100 + i, name, TestDns.A, 0);
            socket.send(new DatagramPacket(q, q.length, udp()));
        }
    }

    @Test
    void aTcpConnectionFromANonClientSourceIsClosedAtAccept() throws IOException {
        start(config(), 256);

        try (Socket socket = DnsTestClient.connectFrom(STRANGER, tcp())) {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(server.counters().tcpNonClientsRefused()).isOne();
    }

    @Test
    void udpQueriesFromANonClientSourceAreDroppedBeforeAnyWork() throws IOException {
        start(config(), 256);

        fire(STRANGER, "app.corp", 3);
        DnsTestClient.await(() -> server.counters().nonClientQueries(), 3);

        assertThat(server.counters().nonClientQueries()).isEqualTo(3);
        assertThat(server.counters().resourcePlans()).isZero();
        assertThat(upstream.received()).isEmpty();
    }

    @Test
    void oneClientHoldingItsTcpConnectionsCannotTakeTheOthersSlots() throws IOException {
        start(config().withSharedBounds(16, 4, Duration.ofSeconds(2)).withPerClientBounds(32, 2, 16), 256);
        for (int i = 0; i < 4; i++) {
            open.add(DnsTestClient.connectFrom(A, tcp()));
        }
        DnsTestClient.await(() -> server.counters().tcpClientConnectionsRefused(), 2);

        List<byte[]> answers = DnsTestClient.tcpFrom(B, tcp(), TestDns.query(1, "app.corp", TestDns.A, 0));

        assertThat(parse(answers.getFirst()).addresses()).hasSize(4);
        assertThat(server.counters().tcpClientConnectionsRefused()).isEqualTo(2);
        assertThat(server.counters().tcpConnectionsRefused()).isZero();
    }

    @Test
    void oneClientsSlowQueriesCannotTakeTheSharedInFlightBound() throws IOException {
        start(config().withSharedBounds(4, 16, Duration.ofSeconds(2)).withPerClientBounds(2, 8, 16), 256);
        fire(A, "silent.corp", 4);
        DnsTestClient.await(() -> server.counters().clientQueryLimited(), 2);

        TestDns.Response r = parse(DnsTestClient.udpFrom(B, udp(), TestDns.query(7, "app.corp", TestDns.A, 0)));

        assertThat(r.rcode()).isZero();
        assertThat(r.addresses()).hasSize(4);
        assertThat(server.counters().clientQueryLimited()).isEqualTo(2);
    }

    @Test
    void overTcpAQueryBeyondTheClientsInFlightBoundGetsServFail() throws IOException {
        start(config().withPerClientBounds(1, 8, 16), 256);
        fire(A, "silent.corp", 1);
        DnsTestClient.await(() -> upstream.receivedFor("silent.corp"), 1);

        TestDns.Response r = parse(DnsTestClient.tcpFrom(A, tcp(), TestDns.query(8, "app.corp", TestDns.A, 0))
                .getFirst());

        assertThat(r.rcode()).isEqualTo(2);
        assertThat(server.counters().clientQueryLimited()).isOne();
    }

    @Test
    void oneClientsUpstreamLookupsCannotTakeTheSharedUpstreamBound() throws IOException {
        start(config().withPerClientBounds(32, 8, 2), 4);
        fire(A, "silent.corp", 2);
        DnsTestClient.await(() -> server.counters().clientUpstreamLimited(), 1);

        TestDns.Response r = parse(DnsTestClient.udpFrom(B, udp(), TestDns.query(9, "app.corp", TestDns.A, 0)));

        assertThat(r.rcode()).isZero();
        assertThat(server.counters().clientUpstreamLimited()).isOne();
        assertThat(server.upstreamCounters().busy()).isZero();
    }

    @Test
    void aConnectionThatTricklesAQueryIsClosedAtItsIdleTimeout() throws IOException {
        start(config().withTcpTimeouts(Duration.ofMillis(300), Duration.ofSeconds(20)), 256);
        byte[] query = TestDns.query(10, "app.corp", TestDns.A, 0);

        try (Socket socket = DnsTestClient.connectFrom(A, tcp())) {
            long startNs = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    out.write(new byte[] {0, (byte) query.length});
                    for (byte b : query) {
                        out.write(b);
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server closed the connection, which is what the test waits for
                }
            });

            assertThat(readUntilClosed(socket.getInputStream())).isZero();
            assertThat(System.nanoTime() - startNs).isGreaterThanOrEqualTo(Duration.ofMillis(250).toNanos());
            trickle.interrupt();
        }
        assertThat(server.counters().tcpIdleCloses()).isOne();
    }

    @Test
    void aBusyConnectionIsClosedAtItsMaximumLifetime() throws IOException {
        start(config().withTcpTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500)), 256);
        byte[] query = TestDns.query(11, "app.corp", TestDns.A, 0);
        int answered = 0;
        long startNs = System.nanoTime();

        try (Socket socket = DnsTestClient.connectFrom(A, tcp())) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            try {
                while (System.nanoTime() - startNs < TimeUnit.SECONDS.toNanos(5)) {
                    out.writeShort(query.length);
                    out.write(query);
                    in.readFully(new byte[in.readUnsignedShort()]);
                    answered++;
                }
            } catch (IOException closed) {
                // EOF or reset: the server ended the connection
            }
        }

        long elapsedNs = System.nanoTime() - startNs;
        assertThat(answered).isPositive();
        assertThat(elapsedNs).isBetween(Duration.ofMillis(450).toNanos(), Duration.ofSeconds(4).toNanos());
        assertThat(server.counters().tcpLifetimeCloses()).isOne();
    }

    @Test
    void aForbiddenAnswerGetsServFail() throws IOException {
        backend.assignment = new DnsAssignment.Refused(DnsAssignment.Reason.FORBIDDEN_TARGET);
        start(config(), 256);

        TestDns.Response r = parse(DnsTestClient.udp(udp(), TestDns.query(12, "app.corp", TestDns.A, 0)));

        assertThat(r.rcode()).isEqualTo(2);
        assertThat(server.counters().forbiddenTargets()).isOne();
    }

    /** Reads until EOF or reset; returns the bytes that came before it, or -1 if the read timed out instead. */
    private static int readUntilClosed(InputStream in) {
        int bytes = 0;
        try {
            while (in.read() >= 0) {
                bytes++;
            }
        } catch (SocketTimeoutException stillOpen) {
            return -1;
        } catch (IOException reset) {
            // a reset is a close too
        }
        return bytes;
    }
}
