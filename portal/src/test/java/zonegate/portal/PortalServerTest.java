package zonegate.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zonegate.controlplane.DecodeResult;
import zonegate.controlplane.Direction;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalCodec;
import zonegate.controlplane.PortalMessage;

class PortalServerTest {
    private static final String KEY = "A".repeat(43) + "=";
    private static final String QUERY = "?name=me&public_key=" + URLEncoder.encode(KEY, StandardCharsets.UTF_8);

    private PortalServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static PortalServerConfig plain() {
        return new PortalServerConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), Optional.empty(), false,
                PortalServerConfig.DEFAULT_HEARTBEAT);
    }

    @Test
    void authenticatedGatewayJoinsAndGetsInit() throws Exception {
        server = PortalServer.start(plain(), Harness.policy(List.of()));
        Peer peer = Peer.open(HttpClient.newHttpClient(), "ws://127.0.0.1:" + server.port() + "/gateway/websocket" + QUERY,
                "tok-gw-a");

        peer.send(new Frame("gateway", "1", new PortalMessage.Join()));

        assertThat(peer.next(Direction.TO_GATEWAY)).isEqualTo(new Frame("gateway", "1", new PortalMessage.Reply(true, null)));
        assertThat(peer.next(Direction.TO_GATEWAY).message()).isInstanceOf(PortalMessage.GatewayInit.class);
    }

    @Test
    void heartbeatIsAnswered() throws Exception {
        server = PortalServer.start(plain(), Harness.policy(List.of()));
        Peer peer = Peer.open(HttpClient.newHttpClient(), "ws://127.0.0.1:" + server.port() + "/client/websocket" + QUERY,
                "tok-alice");

        peer.send(new Frame("phoenix", "5", new PortalMessage.Heartbeat()));

        assertThat(peer.next(Direction.TO_CLIENT)).isEqualTo(new Frame("phoenix", "5", new PortalMessage.Reply(true, null)));
    }

    @Test
    void wrongTokenGetsOneErrorFrameAndClose4001() throws Exception {
        server = PortalServer.start(plain(), Harness.policy(List.of()));
        // A client's token on the gateway route is the wrong role.
        Peer peer = Peer.open(HttpClient.newHttpClient(), "ws://127.0.0.1:" + server.port() + "/gateway/websocket" + QUERY,
                "tok-alice");

        assertThat(peer.next(Direction.TO_GATEWAY)).isEqualTo(new Frame("gateway", null,
                new PortalMessage.Reply(false, "invalid_token")));
        assertThat(peer.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(4001);
        assertThat(peer.texts).isEmpty();
        assertThat(server.refusedUpgrades()).isEqualTo(1);
    }

    @Test
    void missingTokenIsRefused() throws Exception {
        server = PortalServer.start(plain(), Harness.policy(List.of()));
        Peer peer = Peer.open(HttpClient.newHttpClient(), "ws://127.0.0.1:" + server.port() + "/relay/websocket?address=1.2.3.4:3478",
                null);

        assertThat(peer.next(Direction.TO_RELAY).message()).isEqualTo(new PortalMessage.Reply(false, "missing_token"));
        assertThat(peer.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(4001);
    }

    @Test
    void badQueryIsRefusedWith4000() throws Exception {
        server = PortalServer.start(plain(), Harness.policy(List.of()));
        Peer peer = Peer.open(HttpClient.newHttpClient(), "ws://127.0.0.1:" + server.port() + "/client/websocket?public_key=short",
                "tok-alice");

        assertThat(peer.next(Direction.TO_CLIENT).message()).isEqualTo(new PortalMessage.Reply(false, "bad_request"));
        assertThat(peer.closeCode.get(5, TimeUnit.SECONDS)).isEqualTo(4000);
    }

    @Test
    void plainWebSocketOnANonLoopbackAddressIsRefusedAtStart() {
        PortalServerConfig open = new PortalServerConfig(new InetSocketAddress("0.0.0.0", 0), Optional.empty(), false,
                PortalServerConfig.DEFAULT_HEARTBEAT);

        assertThatThrownBy(() -> PortalServer.start(open, Harness.policy(List.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowInsecure");
    }

    @Test
    void tlsWithPemFilesServesWss(@TempDir Path dir) throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key.toString(), "-out", cert.toString(), "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor()).isZero();
        server = PortalServer.start(new PortalServerConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                Optional.of(new PortalServerConfig.TlsFiles(cert, key)), false, PortalServerConfig.DEFAULT_HEARTBEAT),
                Harness.policy(List.of()));
        HttpClient https = HttpClient.newBuilder().sslContext(trusting(cert)).build();

        Peer peer = Peer.open(https, "wss://127.0.0.1:" + server.port() + "/relay/websocket?address=203.0.113.9:3478",
                "tok-r1");
        peer.send(new Frame("relay", "1", new PortalMessage.Join()));

        assertThat(peer.next(Direction.TO_RELAY).message()).isEqualTo(new PortalMessage.Reply(true, null));
        assertThat(peer.next(Direction.TO_RELAY).message()).isEqualTo(new PortalMessage.RelayInit());
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            store.setCertificateEntry("portal", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** A java.net.http WebSocket that collects what it receives. */
    static final class Peer implements WebSocket.Listener {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        static Peer open(HttpClient http, String url, String token) throws Exception {
            Peer peer = new Peer();
            WebSocket.Builder builder = http.newWebSocketBuilder();
            if (token != null) {
                builder.header("X-Authorization", "Bearer " + token);
            }
            peer.socket = builder.buildAsync(URI.create(url), peer).get(10, TimeUnit.SECONDS);
            return peer;
        }

        void send(Frame frame) throws Exception {
            socket.sendText(PortalCodec.encode(frame), true).get(5, TimeUnit.SECONDS);
        }

        Frame next(Direction direction) throws InterruptedException {
            String text = texts.poll(10, TimeUnit.SECONDS);
            assertThat(text).as("a frame within 10 s").isNotNull();
            DecodeResult result = PortalCodec.decode(text, direction);
            assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
            return ((DecodeResult.Decoded) result).frame();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                texts.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
