package zonegate.controlplane.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Arbitrary bytes read as a stream of server frames never make the frame parser or the message assembly
 * throw, and nothing they assemble exceeds the bound. Replays the corpus under
 * {@code src/test/resources/zonegate/controlplane/internal/WsFramesFuzzTestInputs/}; {@code JAZZER_FUZZ=1}
 * fuzzes.
 */
class WsFramesFuzzTest {
    private static final int MAX_CHARS = 64;

    @FuzzTest(maxDuration = "30s")
    void readsArbitraryBytesWithoutThrowing(FuzzedDataProvider data) {
        byte[] stream = data.consumeRemainingAsBytes();
        WsMessages messages = new WsMessages(MAX_CHARS);
        int at = 0;
        while (true) {
            WsFrames.Header header = WsFrames.parseHeader(stream, at, stream.length - at);
            if (header == null) {
                return;
            }
            at += header.headerBytes();
            WsMessages.Result refused = messages.admit(header);
            if (refused != null) {
                assertThat(refused).isInstanceOfAny(WsMessages.Violation.class, WsMessages.Oversized.class);
                return;
            }
            if (header.payloadLength() > stream.length - at) {
                return;
            }
            byte[] payload = Arrays.copyOfRange(stream, at, at + (int) header.payloadLength());
            at += payload.length;
            WsMessages.Result result = messages.onFrame(header, payload);
            if (result instanceof WsMessages.Text(String text)) {
                assertThat(text.length()).isLessThanOrEqualTo(MAX_CHARS);
            }
            if (result instanceof WsMessages.Ping(byte[] ping)) {
                assertThat(ping.length).isLessThanOrEqualTo(WsFrames.MAX_CONTROL_PAYLOAD);
            }
            if (!(result instanceof WsMessages.Nothing || result instanceof WsMessages.Text
                    || result instanceof WsMessages.Ping)) {
                return;
            }
        }
    }
}
