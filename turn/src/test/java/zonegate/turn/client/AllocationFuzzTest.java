package zonegate.turn.client;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Arbitrary datagrams from the relay never make an allocation throw, whatever state it is in.
 * Replays {@code src/test/resources/zonegate/turn/client/AllocationFuzzTestInputs/<method>/}; run with
 * {@code JAZZER_FUZZ=1} to fuzz.
 */
class AllocationFuzzTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("203.0.113.10", 51820);

    @FuzzTest(maxDuration = "10s")
    void arbitraryDatagramsNeverEscape(byte[] data) {
        Harness h = new Harness(data.length);
        h.allocation.bindChannel(PEER, 0);
        h.pump();
        h.allocation.handleInput(FakeRelay.ADDRESS, ByteBuffer.wrap(data), 1);
        h.pump();
        h.advanceTo(700 * Harness.S);
        h.allocation.handleInput(FakeRelay.ADDRESS, ByteBuffer.wrap(data), h.nowNs);
        h.send(PEER, data);
    }
}
