package zonegate.stun;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Arbitrary bytes never make the ChannelData decoder or the classifier throw, and what parses lies
 * inside the bytes given. Replays {@code src/test/resources/zonegate/stun/ChannelDataFuzzTestInputs/<method>/}
 * by default; run with {@code JAZZER_FUZZ=1} to fuzz.
 */
class ChannelDataFuzzTest {
    private final ChannelDataView view = new ChannelDataView();

    @FuzzTest(maxDuration = "10s")
    void decodesArbitraryBytesWithoutThrowing(byte[] data) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        DatagramKind kind = DatagramKind.classify(buffer, 0, data.length);
        if (view.parse(buffer, 0, data.length) instanceof ChannelDataResult.Parsed(ChannelDataView m)) {
            if (kind != DatagramKind.CHANNEL_DATA || !ChannelDataView.isRfc5766Channel(m.channelNumber())
                    || m.dataOffset() + m.dataLengthBytes() > data.length) {
                throw new AssertionError("parsed ChannelData out of its bounds or misclassified");
            }
        }
    }
}
