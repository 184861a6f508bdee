package zonegate.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.turn.server.RelayHarness.*;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.turn.client.Allocation;
import zonegate.turn.client.AllocationConfig;
import zonegate.turn.client.AllocationEvent;
import zonegate.turn.client.Transmit;

/**
 * Our client {@link Allocation} against our {@link RelayServer} on one manual clock for two hours: with
 * 60 s nonces every refresh and channel re-binding meets a stale nonce, renews it through 438 and goes
 * on; the allocation is never invalidated and data keeps flowing through the channel both ways.
 */
class OwnClientAgainstRelayTest {
    private static final InetSocketAddress LISTEN = new InetSocketAddress(RELAY_V4, 3478);

    private long nowNs = 1_000 * SEC;
    private final RelayServer relay = new RelayServer(RelayConfig.of(REALM, RELAY_V4, null, 50000, 50009)
            .withStaticUsers(Map.of("alice", "wonderland")), () -> Instant.ofEpochSecond(1_700_000_000L),
            new SplittableRandom(3), nowNs);
    private final Allocation client = new Allocation(AllocationConfig.of(LISTEN, "alice", "wonderland"),
            new SplittableRandom(4), nowNs);
    private final List<AllocationEvent> events = new ArrayList<>();
    private final List<byte[]> toPeer = new ArrayList<>();

    @Test
    void clientRenewsStaleNoncesAndKeepsItsAllocationAndChannelForTwoHours() {
        pump();
        client.bindChannel(PEER, nowNs);
        pump();
        for (int minute = 1; minute <= 120; minute++) {
            advanceTo(nowNs + 60 * SEC);
            sendToPeer(new byte[] {(byte) minute});
            relay.handlePeerDatagram(boundPort(), PEER, ByteBuffer.wrap(new byte[] {(byte) -minute}), nowNs);
            pump();
        }

        assertThat(events).noneMatch(e -> e instanceof AllocationEvent.Invalidated);
        assertThat(toPeer).hasSize(120);
        assertThat(events.stream().filter(e -> e instanceof AllocationEvent.PeerData).count()).isEqualTo(120);
        assertThat(relay.count(RelayCounter.STALE_NONCE)).isGreaterThanOrEqualTo(20);
        assertThat(relay.allocations()).hasSize(1);
    }

    private int boundPort() {
        return client.relayedAddresses().getFirst().getPort();
    }

    private void sendToPeer(byte[] payload) {
        Transmit t = client.encapsulate(PEER, ByteBuffer.wrap(payload), nowNs);
        assertThat(t).as("a channel is bound at minute %s", payload[0]).isNotNull();
        relay.handleClientDatagram(CLIENT, t.payload(), nowNs);
        pump();
    }

    /** Runs both machines' deadlines up to {@code targetNs}, in order. */
    private void advanceTo(long targetNs) {
        while (true) {
            long next = Math.min(client.pollTimeout().deadlineNs(), relay.pollTimeout());
            if (next > targetNs) {
                break;
            }
            nowNs = Math.max(nowNs, next);
            client.handleTimeout(nowNs);
            relay.handleTimeout(nowNs);
            pump();
        }
        nowNs = targetNs;
    }

    /** Carries datagrams between client and relay until both are quiet. */
    private void pump() {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Transmit t; (t = client.pollTransmit()) != null; moved = true) {
                relay.handleClientDatagram(CLIENT, t.payload(), nowNs);
            }
            for (RelayTransmit t; (t = relay.pollTransmit()) != null; moved = true) {
                if (t.fromListenSocket()) {
                    client.handleInput(LISTEN, ByteBuffer.wrap(t.bytes()), nowNs);
                } else {
                    toPeer.add(t.bytes());
                }
            }
        }
        for (AllocationEvent e; (e = client.pollEvent()) != null; ) {
            events.add(e);
        }
        while (relay.pollEvent() != null) {
            // allocation events are not under test here
        }
    }
}
