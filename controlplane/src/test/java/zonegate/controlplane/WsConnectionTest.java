package zonegate.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import zonegate.controlplane.internal.WsConnection;

/** {@link WsConnection} against {@link TinyWebSocketServer} over loopback, with hand-made server frames. */
class WsConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX_CHARS = 1000;

    private final LinkedBlockingQueue<String> reported = new LinkedBlockingQueue<>();
    private TinyWebSocketServer server;
    private WsConnection ws;

    @AfterEach
    void tearDown() throws IOException {
        if (ws != null) {
            ws.abort();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPingIsAnsweredWithAPongOfTheSamePayload() throws Exception {
        TinyWebSocketServer.Conn conn = connect(Duration.ofSeconds(1));

        conn.sendPing("are you there".getBytes(StandardCharsets.UTF_8));

        TinyWebSocketServer.Message pong = conn.readFrame();
        assertThat(pong.opcode()).isEqualTo(0xA);
        assertThat(pong.text()).isEqualTo("are you there");
    }

    @Test
    void aFragmentedTextWithAPingBetweenItsFragmentsIsAssembled() throws Exception {
        TinyWebSocketServer.Conn conn = connect(Duration.ofSeconds(1));

        conn.sendRaw(frame(0x01, "Hel".getBytes(StandardCharsets.UTF_8)));
        conn.sendRaw(frame(0x89, new byte[] {7}));
        conn.sendRaw(frame(0x80, "lo".getBytes(StandardCharsets.UTF_8)));

        assertThat(conn.readFrame().opcode()).isEqualTo(0xA);
        assertThat(next()).isEqualTo("text Hello");
    }

    @Test
    void textsAreHandedOverOneAtATime() throws Exception {
        TinyWebSocketServer.Conn conn = connect(Duration.ofSeconds(1));
        reported.clear();

        conn.sendText("one");
        conn.sendText("two");

        assertThat(next()).isEqualTo("text one");
        assertThat(reported.poll(200, TimeUnit.MILLISECONDS)).isNull();
        ws.request();
        assertThat(next()).isEqualTo("text two");
    }

    @Test
    void aMaskedServerFrameIsAProtocolError() throws Exception {
        TinyWebSocketServer.Conn conn = connect(Duration.ofSeconds(1));

        conn.sendRaw(new byte[] {(byte) 0x81, (byte) 0x85, 0x37, (byte) 0xfa, 0x21, 0x3d, 0x7f, (byte) 0x9f, 0x4d,
                0x51, 0x58});

        assertThat(conn.readFrame().closeCode()).isEqualTo(1002);
        assertThat(next()).isEqualTo("failed protocol error: a masked server frame");
    }

    @Test
    void rsvBitsWithoutAnExtensionAreAProtocolError() throws Exception {
        TinyWebSocketServer.Conn conn = connect(Duration.ofSeconds(1));

        conn.sendRaw(frame(0xC1, "x".getBytes(StandardCharsets.UTF_8)));

        assertThat(conn.readFrame().closeCode()).isEqualTo(1002);
        assertThat(next()).startsWith("failed protocol error: RSV bits");
    }

    @Test
    void aTextThatIsNotUtf8IsClosedWith1007() throws Exception {
        TinyWebSocketServer.Conn conn = connect(Duration.ofSeconds(1));

        conn.sendRaw(frame(0x81, new byte[] {'a', (byte) 0xc3, 0x28}));

        assertThat(conn.readFrame().closeCode()).isEqualTo(1007);
        assertThat(next()).startsWith("failed protocol error:");
    }

    @Test
    void aFrameLongerThanTheLimitFailsBeforeItsPayloadIsRead() throws Exception {
        TinyWebSocketServer.Conn conn = connect(Duration.ofSeconds(1));

        conn.sendRaw(new byte[] {(byte) 0x81, 127, 0, 0, 1, 0, 0, 0, 0, 0});

        TinyWebSocketServer.Message close = conn.readFrame();
        assertThat(close.opcode()).isEqualTo(0x8);
        assertThat(close.closeCode()).isEqualTo(1009);
        assertThat(next()).isEqualTo("oversized");
    }

    @Test
    void theServersCloseIsEchoedAndReported() throws Exception {
        TinyWebSocketServer.Conn conn = connect(Duration.ofSeconds(1));

        conn.sendClose(4002);

        TinyWebSocketServer.Message echo = conn.readFrame();
        assertThat(echo.opcode()).isEqualTo(0x8);
        assertThat(echo.closeCode()).isEqualTo(4002);
        assertThat(next()).isEqualTo("closed 4002 ");
        conn.drop();
    }

    @Test
    void ourCloseWaitsForTheServersThenClosesTheSocket() throws Exception {
        TinyWebSocketServer.Conn conn = connect(Duration.ofSeconds(30));

        ws.close(1000, "bye");
        TinyWebSocketServer.Message close = conn.readFrame();
        conn.sendClose(1000);

        assertThat(close.opcode()).isEqualTo(0x8);
        assertThat(close.closeCode()).isEqualTo(1000);
        assertThat(close.text().substring(2)).isEqualTo("bye");
        assertThat(conn.eofWithin(WAIT)).isTrue();
    }

    @Test
    void ourCloseGivesUpOnASilentServerAfterTheGrace() throws Exception {
        TinyWebSocketServer.Conn conn = connect(Duration.ofMillis(200));

        ws.close(1000, "");

        assertThat(conn.readFrame().opcode()).isEqualTo(0x8);
        assertThat(conn.eofWithin(WAIT)).isTrue();
    }

    @Test
    void abortUnblocksTheReader() throws Exception {
        connect(Duration.ofSeconds(1));
        reported.clear();

        ws.abort();

        assertThat(next()).startsWith("failed ");
    }

    // ---- helpers

    /** Opens a connection with {@code closeGrace} and starts its reader; the server side of it. */
    private TinyWebSocketServer.Conn connect(Duration closeGrace) throws Exception {
        server = new TinyWebSocketServer();
        ws = new WsConnection(URI.create("ws://127.0.0.1:" + server.port() + "/x"), "t", null, WAIT, closeGrace,
                MAX_CHARS);
        ws.open();
        Thread.ofVirtual().start(() -> ws.read(new Recorder()));
        TinyWebSocketServer.Conn conn = server.nextConnection(WAIT);
        assertThat(conn).isNotNull();
        return conn;
    }

    private String next() throws InterruptedException {
        String r = reported.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(r).as("a report within " + WAIT).isNotNull();
        return r;
    }

    /** An unmasked server frame: {@code b0} (FIN, RSV, opcode) then a length under 126. */
    private static byte[] frame(int b0, byte[] payload) {
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) b0;
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }

    private final class Recorder implements WsConnection.Listener {
        @Override
        public void onText(String text) {
            reported.add("text " + text);
            if (!text.equals("one")) {
                ws.request();
            }
        }

        @Override
        public void onOversized() {
            reported.add("oversized");
        }

        @Override
        public void onClosed(int code, String reason) {
            reported.add("closed " + code + " " + reason);
        }

        @Override
        public void onFailed(String reason) {
            reported.add("failed " + reason);
        }
    }
}
