package zonegate.turn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.turn.client.Harness.S;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.stun.StunMethod;

/** {@link Allocation#close}: REFRESH with LIFETIME 0 (RFC 8656 section 8), then silence. */
class AllocationCloseTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("203.0.113.10", 51820);

    @Test
    void closeDeletesTheAllocationWithASignedRefreshOfLifetimeZero() {
        Harness h = new Harness(21);
        h.send(PEER, new byte[] {1});
        h.relay.received.clear();

        h.allocation.close(h.nowNs);
        h.pump();

        assertThat(h.relay.received).singleElement().satisfies(r -> {
            assertThat(r.method()).isEqualTo(StunMethod.REFRESH);
            assertThat(r.lifetimeSeconds()).isZero();
            assertThat(r.signed()).isTrue();
        });
        assertThat(h.eventsOf(AllocationEvent.Invalidated.class)).containsExactly(new AllocationEvent.Invalidated(
                InvalidationReason.CLOSED, List.of(FakeRelay.RELAYED, FakeRelay.MAPPED)));
        assertThat(h.allocation.relayedAddresses()).isEmpty();
        assertThat(h.allocation.serverReflexiveAddress()).isNull();
    }

    @Test
    void afterCloseNothingIsSentAndNoDeadlineRemains() {
        Harness h = new Harness(22);
        h.send(PEER, new byte[] {1});
        h.allocation.close(h.nowNs);
        h.pump();
        h.relay.received.clear();
        long droppedBefore = h.allocation.dropped();

        Transmit t = h.send(PEER, new byte[] {2});
        h.allocation.bindChannel(new InetSocketAddress("203.0.113.11", 1), h.nowNs);
        boolean consumed = h.allocation.handleInput(FakeRelay.ADDRESS, FakeRelay.channelData(0x4000, new byte[] {9}),
                h.nowNs);
        h.allocation.close(h.nowNs);
        h.advanceTo(3_600 * S);

        assertThat(t).isNull();
        assertThat(consumed).isTrue();
        assertThat(h.allocation.dropped()).isEqualTo(droppedBefore + 2);
        assertThat(h.relay.received).isEmpty();
        assertThat(h.eventsOf(AllocationEvent.Invalidated.class)).hasSize(1);
        assertThat(h.eventsOf(AllocationEvent.PeerData.class)).isEmpty();
        assertThat(h.allocation.pollTimeout().deadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void deletingRefreshRetriesAStaleNonceThenStops() {
        Harness h = new Harness(23);
        h.relay.staleNonces = 1;
        h.relay.received.clear();

        h.allocation.close(h.nowNs);
        h.pump();
        h.advanceTo(60 * S);

        assertThat(h.relay.received).extracting(FakeRelay.Received::method)
                .containsExactly(StunMethod.REFRESH, StunMethod.REFRESH);
        assertThat(h.relay.received).extracting(FakeRelay.Received::nonce).doesNotHaveDuplicates();
    }

    @Test
    void unansweredDeletingRefreshIsGivenUpAfterEightSecondsWithoutReallocating() {
        Harness h = new Harness(24);
        h.relay.silent = true;
        h.relay.received.clear();

        h.allocation.close(h.nowNs);
        h.pump();
        h.advanceTo(600 * S);

        assertThat(h.relay.timesOf(StunMethod.REFRESH)).containsExactly(0L, 1 * S, 2_500_000_000L, 4_750_000_000L);
        assertThat(h.relay.received).allMatch(r -> r.method() == StunMethod.REFRESH);
        assertThat(h.eventsOf(AllocationEvent.Invalidated.class)).hasSize(1);
    }

    @Test
    void allocateGrantedAfterCloseIsDeletedAtOnce() {
        FakeRelay relay = new FakeRelay();
        Allocation allocation = new Allocation(AllocationConfig.of(FakeRelay.ADDRESS, FakeRelay.USER,
                FakeRelay.PASSWORD), new SplittableRandom(25), 0);
        deliver(relay, allocation, allocation.pollTransmit());
        deliver(relay, allocation, allocation.pollTransmit());
        Transmit signedAllocate = allocation.pollTransmit();

        allocation.close(0);
        deliver(relay, allocation, signedAllocate);
        Transmit refresh = allocation.pollTransmit();
        deliver(relay, allocation, refresh);

        assertThat(relay.received).extracting(FakeRelay.Received::method).containsExactly(StunMethod.BINDING,
                StunMethod.ALLOCATE, StunMethod.ALLOCATE, StunMethod.REFRESH);
        assertThat(relay.received.getLast().lifetimeSeconds()).isZero();
        assertThat(allocation.pollTransmit()).isNull();
        assertThat(allocation.relayedAddresses()).isEmpty();
    }

    private static void deliver(FakeRelay relay, Allocation allocation, Transmit transmit) {
        for (ByteBuffer answer : relay.handle(transmit.payload(), 0)) {
            allocation.handleInput(FakeRelay.ADDRESS, answer, 0);
        }
    }
}
