package zonegate.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.turn.server.RelayHarness.CLIENT;
import static zonegate.turn.server.RelayHarness.PEER;
import static zonegate.turn.server.RelayHarness.REALM;
import static zonegate.turn.server.RelayHarness.RELAY_V4;
import static zonegate.turn.server.RelayHarness.SEC;

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
import zonegate.turn.client.InvalidationReason;
import zonegate.turn.client.Transmit;

/**
 * Our client {@link Allocation} when the relay loses track of it or keeps one the client gave up on (found
 * by DataPlaneModelFuzzTest): a relay that restarted answers CHANNEL-BIND with 437, and the client then
 * allocates again at once instead of trying channel number after channel number on an allocation that is
 * gone (and likewise when a REFRESH is answered 437); a relay that still holds an allocation on the client's 5-tuple answers ALLOCATE with 437, and the
 * client deletes that allocation and allocates again instead of backing off until it expires.
 */
class RelayRestartTest {
    private static final InetSocketAddress LISTEN = new InetSocketAddress(RELAY_V4, 3478);
    private static final InetSocketAddress OTHER_PEER = new InetSocketAddress(RelayHarness.address("203.0.113.6"), 6000);

    private long nowNs = 1_000 * SEC;
    private RelayServer relay = relay(3);
    private final Allocation client = new Allocation(AllocationConfig.of(LISTEN, "alice", "wonderland"),
            new SplittableRandom(4), nowNs);
    private final List<AllocationEvent> events = new ArrayList<>();
    /** While set, the relay's answers are lost once it holds an allocation (the ALLOCATE success first). */
    private boolean relayAnswersLost;

    private RelayServer relay(long seed) {
        return new RelayServer(RelayConfig.of(REALM, RELAY_V4, null, 50000, 50009)
                .withStaticUsers(Map.of("alice", "wonderland")), () -> Instant.ofEpochSecond(1_700_000_000L),
                new SplittableRandom(seed), nowNs);
    }

    @Test
    void aChannelBindAnswered437AfterARelayRestartAllocatesAgainAndBindsTheChannelThere() {
        pump();
        client.bindChannel(PEER, nowNs);
        pump();
        relay = relay(5);

        client.bindChannel(OTHER_PEER, nowNs);
        pump();

        assertThat(events).anyMatch(e -> e instanceof AllocationEvent.Invalidated(var reason, var withdrawn)
                && reason == InvalidationReason.ALLOCATION_MISMATCH);
        assertThat(events.getLast()).isInstanceOf(AllocationEvent.ChannelBound.class);
        assertThat(relay.allocations()).as("allocated again on the restarted relay").hasSize(1);
        Transmit t = client.encapsulate(OTHER_PEER, ByteBuffer.wrap(new byte[] {1}), nowNs);
        assertThat(t).as("the channel to the other peer is bound").isNotNull();
    }

    @Test
    void aRefreshAnswered437AfterARelayRestartAllocatesAgainAtOnce() {
        pump();
        long allocatedNs = nowNs;
        relay = relay(6);

        advanceTo(allocatedNs + 301 * SEC); // the refresh is due at half the 600 s lifetime

        assertThat(events).anyMatch(e -> e instanceof AllocationEvent.Invalidated(var reason, var withdrawn)
                && reason == InvalidationReason.ALLOCATION_MISMATCH);
        assertThat(events.getLast()).as("allocated again without backing off").isInstanceOf(AllocationEvent.RelayAllocated.class);
        assertThat(relay.allocations()).hasSize(1);
    }

    @Test
    void anAllocateAnswered437DeletesTheStaleAllocationAndAllocatesAgain() {
        relayAnswersLost = true;
        pump();
        advanceTo(nowNs + 30 * SEC);
        assertThat(relay.allocations()).as("the relay allocated; the client never heard").hasSize(1);
        relayAnswersLost = false;

        advanceTo(nowNs + 120 * SEC);

        assertThat(client.relayedAddresses()).as("allocated well before the stale allocation expired").isNotEmpty();
        assertThat(relay.allocations()).hasSize(1);
        long mismatches = events.stream().filter(e -> e instanceof AllocationEvent.Invalidated(var reason, var w)
                && reason == InvalidationReason.ALLOCATION_MISMATCH).count();
        assertThat(mismatches).isZero();
    }

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

    private void pump() {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Transmit t; (t = client.pollTransmit()) != null; moved = true) {
                relay.handleClientDatagram(CLIENT, t.payload(), nowNs);
            }
            for (RelayTransmit t; (t = relay.pollTransmit()) != null; moved = true) {
                if (t.fromListenSocket() && !(relayAnswersLost && !relay.allocations().isEmpty())) {
                    client.handleInput(LISTEN, ByteBuffer.wrap(t.bytes()), nowNs);
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
