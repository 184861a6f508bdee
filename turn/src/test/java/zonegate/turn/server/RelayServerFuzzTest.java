package zonegate.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.turn.server.RelayHarness.*;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * Arbitrary datagrams from clients and peers never make the relay throw, and its state stays within
 * its bounds. Replays {@code RelayServerFuzzTestInputs/<method>/} by default; {@code JAZZER_FUZZ=1} fuzzes.
 */
class RelayServerFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void arbitraryDatagramsNeverEscapeAndStateStaysBounded(FuzzedDataProvider data) {
        RelayConfig config = RelayConfig.of(REALM, RELAY_V4, null, 50000, 50003)
                .withStaticUsers(Map.of("alice", "wonderland")).withQuotas(3, 2, 4, 4);
        RelayHarness h = new RelayHarness(config);
        // One real allocation so peer and channel paths are reachable.
        h.allocate(CLIENT);
        h.permit(CLIENT, PEER);
        h.bind(CLIENT, 0x4000, PEER);
        h.bind(CLIENT, 0x7ADD, new InetSocketAddress(PEER.getAddress(), PEER.getPort() + 1));
        while (data.remainingBytes() > 0) {
            int action = data.consumeInt(0, 3);
            byte[] bytes = data.consumeBytes(data.consumeInt(0, 600));
            switch (action) {
                case 0 -> h.fromClient(CLIENT, bytes);
                case 1 -> h.fromClient(new InetSocketAddress(CLIENT.getAddress(), data.consumeInt(1, 4)), bytes);
                case 2 -> h.fromPeer(50000 + data.consumeInt(0, 4), PEER, bytes);
                default -> h.advance(data.consumeInt(0, 400));
            }
            h.relay.handleTimeout(h.nowNs);
            assertThat(h.relay.allocations().size()).isLessThanOrEqualTo(3);
            for (AllocationStats stats : h.relay.allocations()) {
                assertThat(stats.permissions()).isLessThanOrEqualTo(4);
                assertThat(stats.channels()).isLessThanOrEqualTo(4);
            }
            while (h.relay.pollTransmit() != null) {
                // drained
            }
            while (h.relay.pollEvent() != null) {
                // drained
            }
        }
        ByteBuffer empty = ByteBuffer.allocate(0);
        h.relay.handleClientDatagram(CLIENT, empty, h.nowNs);
        h.relay.handlePeerDatagram(50000, PEER, empty, h.nowNs);
    }
}
