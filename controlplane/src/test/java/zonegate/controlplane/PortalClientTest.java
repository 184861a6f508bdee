package zonegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PortalClient} against {@link TinyWebSocketServer} over loopback: real sockets, short timings. */
class PortalClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final LinkedBlockingQueue<PortalEvent> events = new LinkedBlockingQueue<>();
    private TinyWebSocketServer server;
    private PortalClient client;

    @AfterEach
    void tearDown() throws IOException {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theUpgradeCarriesTheBearerTokenAndTheEncodedQuery() throws Exception {
        server = new TinyWebSocketServer();
        client = start(config("ws", Map.of("public_key", List.of("ab+/cd=="))));

        TinyWebSocketServer.Conn conn = server.nextConnection(WAIT);

        assertThat(conn.requestTarget).isEqualTo("/gateway/websocket?public_key=ab%2B%2Fcd%3D%3D");
        assertThat(conn.headers).containsEntry("X-Authorization", "Bearer secret-token");
    }

    @Test
    void itJoinsThenForwardsThePortalsMessagesAndHeartbeats() throws Exception {
        server = new TinyWebSocketServer();
        client = start(config("ws", Map.of()));
        TinyWebSocketServer.Conn conn = joined();
        Frame revoke = new Frame("gateway", null, new PortalMessage.RejectAccess("c1", "r1"));

        conn.sendText(PortalCodec.encode(revoke));
        assertThat(nextEvent()).isEqualTo(new PortalEvent.Message(revoke));
        Frame heartbeat = frame(conn.readText());
        conn.sendText(reply(heartbeat.ref(), true, null));
        client.send(new PortalMessage.NoRelays());

        assertThat(heartbeat).isEqualTo(new Frame("phoenix", "2", new PortalMessage.Heartbeat()));
        assertThat(nextNonHeartbeat(conn).message()).isEqualTo(new PortalMessage.NoRelays());
    }

    @Test
    void itReconnectsAfterTheServerDropsTheSocket() throws Exception {
        server = new TinyWebSocketServer();
        client = start(config("ws", Map.of()));
        joined().drop();

        assertThat(nextEvent()).isInstanceOf(PortalEvent.Disconnected.class);
        TinyWebSocketServer.Conn again = server.nextConnection(WAIT);
        assertThat(frame(again.readText())).isEqualTo(new Frame("gateway", "1", new PortalMessage.Join()));
        assertThat(client.counters().disconnects()).isEqualTo(1);
    }

    @Test
    void aRefusedTokenIsReportedOnceAndNeverRetried() throws Exception {
        server = new TinyWebSocketServer();
        client = start(config("ws", Map.of()));
        TinyWebSocketServer.Conn conn = server.nextConnection(WAIT);
        conn.readText();

        conn.sendText(reply(null, false, "invalid_token"));
        conn.sendClose(4001);

        assertThat(nextEvent()).isEqualTo(new PortalEvent.Refused("invalid_token"));
        assertThat(server.nextConnection(Duration.ofMillis(600))).isNull();
        assertThat(events).isEmpty();
        assertThat(client.counters().refused()).isEqualTo(1);
    }

    @Test
    void aLargeFragmentedMessageIsAssembled() throws Exception {
        server = new TinyWebSocketServer();
        client = start(config("ws", Map.of()));
        TinyWebSocketServer.Conn conn = joined();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            ids.add("relay-" + i);
        }
        Frame big = new Frame("gateway", null, new PortalMessage.RelaysPresence(ids, List.of()));
        String text = PortalCodec.encode(big);

        conn.sendFragmented(text, 16_384);

        assertThat(text.length()).isGreaterThan(300_000);
        assertThat(nextEvent()).isEqualTo(new PortalEvent.Message(big));
    }

    @Test
    void aMessageOverTheLimitDropsTheConnection() throws Exception {
        server = new TinyWebSocketServer();
        client = start(config("ws", Map.of()));
        TinyWebSocketServer.Conn conn = joined();

        conn.sendFragmented("x".repeat(PortalCodec.MAX_TEXT_CHARS + 1), 65_536);

        assertThat(nextEvent()).isInstanceOf(PortalEvent.Disconnected.class);
        assertThat(client.counters().framesDropped()).isEqualTo(1);
        assertThat(server.nextConnection(WAIT)).isNotNull();
    }

    @Test
    void closingSendsANormalClosure() throws Exception {
        server = new TinyWebSocketServer();
        client = start(config("ws", Map.of()));
        TinyWebSocketServer.Conn conn = joined();

        client.close();

        TinyWebSocketServer.Message close = nextNonHeartbeatMessage(conn);
        assertThat(close.opcode()).isEqualTo(0x8);
        assertThat(close.closeCode()).isEqualTo(1000);
    }

    @Test
    void wssWorksWithTheExtraCaPem(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("portal.p12");
        Path pem = dir.resolve("portal-ca.pem");
        assumeTrue(selfSigned(keystore), "keytool is not available");
        assertThat(run("keytool", "-exportcert", "-rfc", "-alias", "portal", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", pem.toString())).isTrue();
        server = new TinyWebSocketServer(tlsContext(keystore).getServerSocketFactory().createServerSocket());
        client = start(config("wss", Map.of()).withExtraCaPem(pem));

        joined();

        assertThat(client.uri().getScheme()).isEqualTo("wss");
    }

    @Test
    void wssWithoutTheExtraCaPemDoesNotTrustASelfSignedPortal(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("portal.p12");
        assumeTrue(selfSigned(keystore), "keytool is not available");
        server = new TinyWebSocketServer(tlsContext(keystore).getServerSocketFactory().createServerSocket());
        client = start(config("wss", Map.of()));

        assertThat(nextEvent()).isInstanceOf(PortalEvent.Disconnected.class);
        assertThat(client.counters().connects()).isZero();
    }

    @Test
    void anUpgradeAnsweredWithAnotherStatusFailsNamingIt() throws Exception {
        server = new TinyWebSocketServer();
        server.answerWith("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
        client = start(config("ws", Map.of()));

        PortalEvent event = nextEvent();

        assertThat(event).isInstanceOf(PortalEvent.Disconnected.class);
        assertThat(((PortalEvent.Disconnected) event).reason()).contains("upgrade refused: HTTP 401");
        assertThat(client.counters().connects()).isZero();
    }

    @Test
    void aServerWithAWrongAcceptIsRefused() throws Exception {
        server = new TinyWebSocketServer();
        server.answerWith("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
        client = start(config("ws", Map.of()));

        PortalEvent event = nextEvent();

        assertThat(event).isInstanceOf(PortalEvent.Disconnected.class);
        assertThat(((PortalEvent.Disconnected) event).reason()).contains("a wrong Sec-WebSocket-Accept");
        assertThat(client.counters().connects()).isZero();
    }

    @Test
    void wssRefusesACertificateForAnotherNameEvenWithTheExtraCaPem(@TempDir Path dir) throws Exception {
        Path keystore = dir.resolve("portal.p12");
        Path pem = dir.resolve("portal-ca.pem");
        assumeTrue(selfSigned(keystore, "dns:portal.example.com"), "keytool is not available");
        assertThat(run("keytool", "-exportcert", "-rfc", "-alias", "portal", "-keystore", keystore.toString(),
                "-storepass", "changeit", "-file", pem.toString())).isTrue();
        server = new TinyWebSocketServer(tlsContext(keystore).getServerSocketFactory().createServerSocket());
        client = start(config("wss", Map.of()).withExtraCaPem(pem));

        PortalEvent event = nextEvent();

        assertThat(event).isInstanceOf(PortalEvent.Disconnected.class);
        assertThat(((PortalEvent.Disconnected) event).reason()).contains("SSLHandshakeException");
        assertThat(client.counters().connects()).isZero();
    }

    // ---- helpers

    private static boolean selfSigned(Path keystore) throws InterruptedException {
        return selfSigned(keystore, "ip:127.0.0.1,dns:localhost");
    }

    private static boolean selfSigned(Path keystore, String names) throws InterruptedException {
        return run("keytool", "-genkeypair", "-alias", "portal", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=portal", "-ext", "SAN=" + names, "-validity", "2",
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit");
    }

    private PortalClientConfig config(String scheme, Map<String, List<String>> query) {
        return PortalClientConfig.of(URI.create(scheme + "://127.0.0.1:" + server.port()), "gateway",
                "secret-token", query).withTimings(Duration.ofMillis(300), Duration.ofMillis(50),
                Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    private PortalClient start(PortalClientConfig config) {
        return PortalClient.start(config, events::add, new SplittableRandom(3));
    }

    /** Accepts the next connection, answers its join, and waits for Connected. */
    private TinyWebSocketServer.Conn joined() throws Exception {
        TinyWebSocketServer.Conn conn = server.nextConnection(WAIT);
        assertThat(conn).as("a connection").isNotNull();
        Frame join = frame(conn.readText());
        assertThat(join).isEqualTo(new Frame("gateway", "1", new PortalMessage.Join()));
        conn.sendText(reply("1", true, null));
        assertThat(nextEvent()).isEqualTo(new PortalEvent.Connected());
        return conn;
    }

    private PortalEvent nextEvent() throws InterruptedException {
        PortalEvent e = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(e).as("an event within " + WAIT).isNotNull();
        return e;
    }

    private static Frame nextNonHeartbeat(TinyWebSocketServer.Conn conn) throws IOException {
        while (true) {
            Frame f = frame(conn.readText());
            if (!(f.message() instanceof PortalMessage.Heartbeat)) {
                return f;
            }
        }
    }

    private static TinyWebSocketServer.Message nextNonHeartbeatMessage(TinyWebSocketServer.Conn conn)
            throws IOException {
        while (true) {
            TinyWebSocketServer.Message m = conn.read();
            if (m == null || m.opcode() != 0x1 || !m.text().contains("\"heartbeat\"")) {
                return m;
            }
        }
    }

    private static Frame frame(String text) {
        return ((DecodeResult.Decoded) PortalCodec.decode(text, Direction.FROM_GATEWAY)).frame();
    }

    private static String reply(String ref, boolean ok, String reason) {
        return PortalCodec.encode(new Frame("gateway", ref, new PortalMessage.Reply(ok, reason)));
    }

    private static SSLContext tlsContext(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static boolean run(String... command) throws InterruptedException {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(
                    ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
