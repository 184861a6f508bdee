package zonegate.controlplane.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link WsFrames} on byte arrays; the vectors are RFC 6455 section 5.7's examples. */
class WsFramesTest {
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);
    private static final int RFC_MASK = 0x37fa213d;
    private static final byte[] MASKED_HELLO = bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58);

    @Test
    void anUnmaskedTextHeaderIsParsed() {
        byte[] frame = bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f);

        WsFrames.Header header = WsFrames.parseHeader(frame, 0, frame.length);

        assertThat(header).isEqualTo(new WsFrames.Header(true, 0, WsFrames.TEXT, false, 5, 0, 2));
        assertThat(Arrays.copyOfRange(frame, 2, 7)).isEqualTo(HELLO);
        assertThat(WsFrames.violation(header)).isNull();
    }

    @Test
    void aMaskedTextIsEncodedAsTheRfcShowsIt() {
        assertThat(WsFrames.encode(WsFrames.TEXT, HELLO, RFC_MASK)).isEqualTo(MASKED_HELLO);
    }

    @Test
    void aMaskedPongIsEncodedAsTheRfcShowsIt() {
        byte[] pong = MASKED_HELLO.clone();
        pong[0] = (byte) 0x8a;

        assertThat(WsFrames.encode(WsFrames.PONG, HELLO, RFC_MASK)).isEqualTo(pong);
    }

    @Test
    void aMaskedFrameIsParsedAndUnmasked() {
        WsFrames.Header header = WsFrames.parseHeader(MASKED_HELLO, 0, MASKED_HELLO.length);
        byte[] payload = Arrays.copyOfRange(MASKED_HELLO, header.headerBytes(), MASKED_HELLO.length);

        WsFrames.mask(payload, 0, payload.length, header.maskKey());

        assertThat(header).isEqualTo(new WsFrames.Header(true, 0, WsFrames.TEXT, true, 5, RFC_MASK, 6));
        assertThat(payload).isEqualTo(HELLO);
        assertThat(WsFrames.violation(header)).isEqualTo("a masked server frame");
    }

    @Test
    void theFragmentsOfAnUnmaskedTextAreParsed() {
        byte[] first = bytes(0x01, 0x03, 0x48, 0x65, 0x6c);
        byte[] last = bytes(0x80, 0x02, 0x6c, 0x6f);

        assertThat(WsFrames.parseHeader(first, 0, first.length))
                .isEqualTo(new WsFrames.Header(false, 0, WsFrames.TEXT, false, 3, 0, 2));
        assertThat(WsFrames.parseHeader(last, 0, last.length))
                .isEqualTo(new WsFrames.Header(true, 0, WsFrames.CONTINUATION, false, 2, 0, 2));
    }

    @Test
    void sixteenAndSixtyFourBitLengthsAreParsed() {
        byte[] binary256 = bytes(0x82, 0x7e, 0x01, 0x00);
        byte[] binary64k = bytes(0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00);

        assertThat(WsFrames.parseHeader(binary256, 0, 4))
                .isEqualTo(new WsFrames.Header(true, 0, WsFrames.BINARY, false, 256, 0, 4));
        assertThat(WsFrames.parseHeader(binary64k, 0, 10))
                .isEqualTo(new WsFrames.Header(true, 0, WsFrames.BINARY, false, 65_536, 0, 10));
    }

    @Test
    void anIncompleteHeaderIsNotParsed() {
        byte[] binary64k = bytes(0x82, 0x7f, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00);

        assertThat(WsFrames.parseHeader(binary64k, 0, 1)).isNull();
        assertThat(WsFrames.parseHeader(binary64k, 0, 9)).isNull();
        assertThat(WsFrames.headerBytes(binary64k[1])).isEqualTo(10);
        assertThat(WsFrames.headerBytes(MASKED_HELLO[1])).isEqualTo(6);
    }

    @Test
    void lengthsAreEncodedInTheShortestForm() {
        assertThat(Arrays.copyOf(WsFrames.encode(WsFrames.BINARY, new byte[125], 0), 2)).isEqualTo(bytes(0x82, 0xfd));
        assertThat(Arrays.copyOf(WsFrames.encode(WsFrames.BINARY, new byte[256], 0), 4))
                .isEqualTo(bytes(0x82, 0xfe, 0x01, 0x00));
        assertThat(Arrays.copyOf(WsFrames.encode(WsFrames.BINARY, new byte[65_536], 0), 10))
                .isEqualTo(bytes(0x82, 0xff, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00));
    }

    @Test
    void framesThatBreakTheProtocolAreNamed() {
        assertThat(violation(0xc1, 0x00)).isEqualTo("RSV bits 4 without an extension");
        assertThat(violation(0x83, 0x00)).isEqualTo("unknown opcode 3");
        assertThat(violation(0x8b, 0x00)).isEqualTo("unknown opcode 11");
        assertThat(violation(0x09, 0x00)).isEqualTo("a fragmented control frame");
        assertThat(violation(0x89, 0x7e, 0x00, 0x7e)).isEqualTo("a control frame of 126 bytes");
        assertThat(violation(0x88, 0x01)).isEqualTo("a close frame of 1 byte");
        assertThat(violation(0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0))
                .isEqualTo("a 64-bit length with its most significant bit set");
        assertThat(violation(0x89, 0x7d)).isNull();
    }

    @Test
    void encodedFramesParseBackToTheirPayload() {
        SplittableRandom random = new SplittableRandom(6455);
        for (int i = 0; i < 500; i++) {
            byte[] payload = new byte[random.nextInt(3) == 0 ? random.nextInt(70_000) : random.nextInt(200)];
            random.nextBytes(payload);
            int mask = random.nextInt();

            byte[] frame = WsFrames.encode(WsFrames.BINARY, payload, mask);
            WsFrames.Header header = WsFrames.parseHeader(frame, 0, frame.length);
            WsFrames.mask(frame, header.headerBytes(), payload.length, header.maskKey());

            assertThat(header.payloadLength()).isEqualTo(payload.length);
            assertThat(header.headerBytes() + payload.length).isEqualTo(frame.length);
            assertThat(Arrays.copyOfRange(frame, header.headerBytes(), frame.length)).isEqualTo(payload);
        }
    }

    @Test
    void aCloseReasonIsCutAtACharacterBoundary() {
        byte[] payload = WsFrames.closePayload(1000, "\u00e9".repeat(100));

        assertThat(payload.length).isEqualTo(2 + 122);
        assertThat(WsFrames.closeCode(payload)).isEqualTo(1000);
        assertThat(WsFrames.closeReason(payload)).isEqualTo("\u00e9".repeat(61));
        assertThat(WsFrames.closeCode(new byte[0])).isEqualTo(WsFrames.NO_STATUS);
    }

    @Test
    void onlyTheCodesThatMayBeSentAreEchoed() {
        assertThat(WsFrames.sendable(1000)).isTrue();
        assertThat(WsFrames.sendable(4001)).isTrue();
        assertThat(WsFrames.sendable(1005)).isFalse();
        assertThat(WsFrames.sendable(1006)).isFalse();
        assertThat(WsFrames.sendable(1015)).isFalse();
        assertThat(WsFrames.sendable(999)).isFalse();
        assertThat(WsFrames.sendable(5000)).isFalse();
    }

    private static String violation(int... header) {
        byte[] bytes = bytes(header);
        return WsFrames.violation(WsFrames.parseHeader(bytes, 0, bytes.length));
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
