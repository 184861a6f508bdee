package zonegate.controlplane.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link WsMessages}: assembly, bounds and the message-level protocol errors, on hand-made headers. */
class WsMessagesTest {
    private final WsMessages messages = new WsMessages(10);

    @Test
    void aSingleFrameTextIsDecoded() {
        assertThat(feed(true, WsFrames.TEXT, utf8("h\u00e9llo"))).isEqualTo(new WsMessages.Text("h\u00e9llo"));
    }

    @Test
    void fragmentsAreAssembledEvenWhenTheySplitACharacter() {
        byte[] e = utf8("\u00e9");

        assertThat(feed(false, WsFrames.TEXT, new byte[] {'a', e[0]})).isEqualTo(new WsMessages.Nothing());
        assertThat(feed(true, WsFrames.CONTINUATION, new byte[] {e[1], 'b'})).isEqualTo(new WsMessages.Text("a\u00e9b"));
        assertThat(feed(true, WsFrames.TEXT, utf8("next"))).isEqualTo(new WsMessages.Text("next"));
    }

    @Test
    void aPingBetweenFragmentsIsAnsweredAndTheTextGoesOn() {
        feed(false, WsFrames.TEXT, utf8("Hel"));

        assertThat(feed(true, WsFrames.PING, utf8("p"))).isInstanceOf(WsMessages.Ping.class);
        assertThat(feed(true, WsFrames.CONTINUATION, utf8("lo"))).isEqualTo(new WsMessages.Text("Hello"));
    }

    @Test
    void invalidUtf8Is1007() {
        assertThat(feed(true, WsFrames.TEXT, new byte[] {(byte) 0xc3, 0x28}))
                .isEqualTo(new WsMessages.Violation(1007, "a text message that is not UTF-8"));
        assertThat(feed(false, WsFrames.TEXT, new byte[] {'a', (byte) 0xe2}))
                .isEqualTo(new WsMessages.Nothing());
        assertThat(feed(true, WsFrames.CONTINUATION, new byte[] {'b'})).isInstanceOf(WsMessages.Violation.class);
    }

    @Test
    void theBoundCountsCharactersAcrossFragments() {
        feed(false, WsFrames.TEXT, utf8("12345"));
        feed(false, WsFrames.CONTINUATION, utf8("\u00e9\u00e9\u00e9\u00e9"));

        assertThat(feed(true, WsFrames.CONTINUATION, utf8("\ud83d\ude00"))).isEqualTo(new WsMessages.Oversized());
    }

    @Test
    void aTextOfExactlyTheBoundPasses() {
        assertThat(feed(true, WsFrames.TEXT, utf8("\u20ac".repeat(10)))).isEqualTo(new WsMessages.Text("\u20ac".repeat(10)));
    }

    @Test
    void aFrameLongerThanThreeBytesPerCharacterOfTheBoundIsRefusedFromItsHeader() {
        assertThat(messages.admit(header(true, WsFrames.TEXT, 31))).isEqualTo(new WsMessages.Oversized());
        assertThat(messages.admit(header(true, WsFrames.BINARY, 1L << 40))).isEqualTo(new WsMessages.Oversized());
        assertThat(messages.admit(header(true, WsFrames.TEXT, 30))).isNull();
    }

    @Test
    void continuationsOutOfPlaceAreProtocolErrors() {
        assertThat(messages.admit(header(true, WsFrames.CONTINUATION, 1))).isEqualTo(new WsMessages.Violation(1002,
                "a continuation frame outside a fragmented message"));
        feed(false, WsFrames.TEXT, utf8("a"));
        assertThat(messages.admit(header(true, WsFrames.TEXT, 1))).isEqualTo(new WsMessages.Violation(1002,
                "a new message inside a fragmented one"));
    }

    @Test
    void binaryMessagesAndPongsAreIgnored() {
        assertThat(feed(false, WsFrames.BINARY, new byte[] {1, 2})).isEqualTo(new WsMessages.Nothing());
        assertThat(feed(true, WsFrames.PONG, new byte[0])).isEqualTo(new WsMessages.Nothing());
        assertThat(feed(true, WsFrames.CONTINUATION, new byte[] {(byte) 0xff})).isEqualTo(new WsMessages.Nothing());
        assertThat(feed(true, WsFrames.TEXT, utf8("t"))).isEqualTo(new WsMessages.Text("t"));
    }

    @Test
    void aCloseCarriesItsCodeAndReason() {
        byte[] payload = WsFrames.closePayload(4001, "invalid_token");

        assertThat(feed(true, WsFrames.CLOSE, payload)).isEqualTo(new WsMessages.Close(4001, "invalid_token"));
        assertThat(feed(true, WsFrames.CLOSE, new byte[0])).isEqualTo(new WsMessages.Close(1005, ""));
    }

    private WsMessages.Result feed(boolean fin, int opcode, byte[] payload) {
        WsFrames.Header header = header(fin, opcode, payload.length);
        WsMessages.Result refused = messages.admit(header);
        return refused != null ? refused : messages.onFrame(header, payload);
    }

    private static WsFrames.Header header(boolean fin, int opcode, long length) {
        return new WsFrames.Header(fin, 0, opcode, false, length, 0, 2);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
