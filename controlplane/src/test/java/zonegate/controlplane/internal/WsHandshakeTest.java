package zonegate.controlplane.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link WsHandshake}: the request it writes and the answers it accepts. */
class WsHandshakeTest {
    /** RFC 6455 section 1.3's example key and its accept value. */
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    @Test
    void theAcceptValueIsTheRfcs() {
        assertThat(WsHandshake.accept(KEY)).isEqualTo(ACCEPT);
    }

    @Test
    void aKeyIsSixteenRandomBytes() {
        SplittableRandom random = new SplittableRandom(1);

        String key = WsHandshake.key(random);

        assertThat(Base64.getDecoder().decode(key)).hasSize(16);
        assertThat(WsHandshake.key(random)).isNotEqualTo(key);
    }

    @Test
    void theRequestNamesTheTargetHostAndToken() {
        String request = new String(WsHandshake.request(URI.create("wss://portal.example.com:8443/gateway/websocket?a=b%2B"),
                KEY, "tok"), StandardCharsets.UTF_8);

        assertThat(request).isEqualTo("GET /gateway/websocket?a=b%2B HTTP/1.1\r\n"
                + "Host: portal.example.com:8443\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "X-Authorization: Bearer tok\r\n"
                + "\r\n");
    }

    @Test
    void theDefaultPortIsLeftOutOfTheHost() {
        String request = new String(WsHandshake.request(URI.create("wss://portal.example.com:443"), KEY, "t"),
                StandardCharsets.UTF_8);

        assertThat(request).startsWith("GET / HTTP/1.1\r\nHost: portal.example.com\r\n");
    }

    @Test
    void aTokenThatCouldEndTheHeaderIsRefused() {
        assertThatThrownBy(() -> WsHandshake.request(URI.create("ws://p"), KEY, "t\r\nHost: evil"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProperAnswerIsAccepted() {
        assertThat(WsHandshake.refusal("HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\n"
                + "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Accept: " + ACCEPT + "\r\n\r\n", KEY)).isNull();
    }

    @Test
    void otherAnswersAreRefusedWithTheReason() {
        String ok = "Upgrade: websocket\r\nConnection: Upgrade\r\n";

        assertThat(WsHandshake.refusal("HTTP/1.1 401 Unauthorized\r\n\r\n", KEY)).isEqualTo("upgrade refused: HTTP 401");
        assertThat(WsHandshake.refusal("SSH-2.0-OpenSSH\r\n\r\n", KEY)).isEqualTo("upgrade refused: not an HTTP response");
        assertThat(WsHandshake.refusal("HTTP/1.1 101 x\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " + ACCEPT
                + "\r\n\r\n", KEY)).isEqualTo("upgrade refused: no Upgrade: websocket header");
        assertThat(WsHandshake.refusal("HTTP/1.1 101 x\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: " + ACCEPT
                + "\r\n\r\n", KEY)).isEqualTo("upgrade refused: no Connection: Upgrade header");
        assertThat(WsHandshake.refusal("HTTP/1.1 101 x\r\n" + ok + "\r\n", KEY))
                .isEqualTo("upgrade refused: no Sec-WebSocket-Accept");
        assertThat(WsHandshake.refusal("HTTP/1.1 101 x\r\n" + ok + "Sec-WebSocket-Accept: " + WsHandshake.accept("other")
                + "\r\n\r\n", KEY)).isEqualTo("upgrade refused: a wrong Sec-WebSocket-Accept");
        assertThat(WsHandshake.refusal("HTTP/1.1 101 x\r\n" + ok + "Sec-WebSocket-Accept: " + ACCEPT
                + "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n", KEY))
                .startsWith("upgrade refused: the server chose Sec-WebSocket-Extensions");
    }
}
