package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Arbitrary packets through the control codec: nothing throws, and whatever parses writes back to a
 * packet that parses to the same message. Replays
 * {@code src/test/resources/zonegate/node/P2pControlFuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class P2pControlFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void parsesArbitraryPacketsWithoutThrowing(byte[] data) {
        // The corpus holds bodies; the first byte picks the type and the header is made valid, so the fuzzer
        // spends its time in the body parser.
        byte[] packet = new byte[48 + Math.max(0, data.length - 1)];
        ByteBuffer p = ByteBuffer.wrap(packet);
        p.putInt(0x6000_0000).putShort((short) (packet.length - 40)).put((byte) 0xFF);
        packet[40] = data.length == 0 ? 0 : (byte) (data[0] & 3);
        if (data.length > 1) {
            System.arraycopy(data, 1, packet, 48, data.length - 1);
        }
        for (byte[] candidate : new byte[][] {packet, data}) {
            P2pParseResult result = P2pControl.parse(ByteBuffer.wrap(candidate), 0, candidate.length);
            if (result instanceof P2pParseResult.Parsed(P2pMessage m)) {
                ByteBuffer out = ByteBuffer.allocate(4096);
                int length = P2pControl.write(m, out);
                assertThat(P2pControl.parse(out.flip(), 0, length)).isEqualTo(result);
            }
        }
    }
}
