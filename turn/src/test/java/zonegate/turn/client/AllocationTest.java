package zonegate.turn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.turn.client.Harness.S;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import zonegate.stun.StunMethod;

class AllocationTest {
    private static final InetSocketAddress PEER_A = new InetSocketAddress("203.0.113.10", 51820);
    private static final InetSocketAddress PEER_B = new InetSocketAddress("203.0.113.11", 51820);
    private static final InetSocketAddress PEER_C = new InetSocketAddress("203.0.113.12", 51820);

    @Test
    void allocatesWithCredentialsAfter401() {
        Harness h = new Harness(1);

        assertThat(h.relay.received).filteredOn(r -> r.method() == StunMethod.ALLOCATE)
                .extracting(FakeRelay.Received::signed).containsExactly(false, true);
        assertThat(h.eventsOf(AllocationEvent.ServerReflexiveAddress.class))
                .containsExactly(new AllocationEvent.ServerReflexiveAddress(null, FakeRelay.MAPPED));
        assertThat(h.eventsOf(AllocationEvent.RelayAllocated.class))
                .containsExactly(new AllocationEvent.RelayAllocated(java.util.List.of(FakeRelay.RELAYED), 600));
    }

    @Test
    void retriesWithTheNewNonceOn438() {
        Harness h = new Harness(2);
        h.relay.staleNonces = 1;

        h.advanceTo(300 * S);

        assertThat(h.relay.received).filteredOn(r -> r.method() == StunMethod.REFRESH)
                .extracting(FakeRelay.Received::nonce).hasSize(2).doesNotHaveDuplicates();
        assertThat(h.eventsOf(AllocationEvent.Invalidated.class)).isEmpty();
    }

    @Test
    void refreshesAtExactlyHalfTheLifetime() {
        Harness h = new Harness(3);

        h.advanceTo(300 * S - 1);
        assertThat(h.relay.timesOf(StunMethod.REFRESH)).isEmpty();
        h.advanceTo(300 * S);

        assertThat(h.relay.timesOf(StunMethod.REFRESH)).containsExactly(300 * S);
    }

    @Test
    void keepaliveEvery25sPostponedByTraffic() {
        Harness h = new Harness(4);
        h.advanceTo(60 * S);
        assertThat(h.relay.timesOf(StunMethod.BINDING)).containsExactly(0L, 25 * S, 50 * S);

        h.allocation.bindChannel(PEER_A, h.nowNs);
        h.pump();
        h.advanceTo(70 * S);
        assertThat(h.send(PEER_A, new byte[] {1})).isNotNull();
        h.advanceTo(95 * S - 1);

        assertThat(h.relay.timesOf(StunMethod.BINDING)).containsExactly(0L, 25 * S, 50 * S);
        assertThat(h.allocation.pollTimeout()).isEqualTo(new AllocationTimeout(95 * S, TimeoutReason.KEEPALIVE));
    }

    @Test
    void bindsAChannelOnFirstSendAndFramesChannelDataBothWays() {
        Harness h = new Harness(5);

        assertThat(h.send(PEER_A, new byte[] {1, 2, 3})).isNull();
        assertThat(h.eventsOf(AllocationEvent.ChannelBound.class))
                .containsExactly(new AllocationEvent.ChannelBound(PEER_A, 0x4000));
        Transmit t = h.send(PEER_A, new byte[] {1, 2, 3});
        boolean consumed = h.allocation.handleInput(FakeRelay.ADDRESS, FakeRelay.channelData(0x4000, new byte[] {9}),
                h.nowNs);
        h.pump();

        assertThat(t.destination()).isEqualTo(FakeRelay.ADDRESS);
        assertThat(bytes(t.payload())).containsExactly(0x40, 0x00, 0x00, 0x03, 1, 2, 3);
        assertThat(consumed).isTrue();
        assertThat(h.eventsOf(AllocationEvent.PeerData.class)).singleElement()
                .satisfies(d -> assertThat(d.peer()).isEqualTo(PEER_A))
                .satisfies(d -> assertThat(d.payload()).containsExactly(9));
    }

    @Test
    void channelDataOnAnRfc5766NumberItNeverBindsIsDropped() {
        Harness h = new Harness(12);
        h.send(PEER_A, new byte[] {1});
        long droppedBefore = h.allocation.dropped();

        boolean consumed = h.allocation.handleInput(FakeRelay.ADDRESS, FakeRelay.channelData(0x5000, new byte[] {9}),
                h.nowNs);
        h.pump();

        assertThat(consumed).isTrue();
        assertThat(h.allocation.dropped()).isEqualTo(droppedBefore + 1);
        assertThat(h.eventsOf(AllocationEvent.PeerData.class)).isEmpty();
    }

    @Test
    void refreshesAUsedChannelAtFiveMinutes() {
        Harness h = new Harness(6);
        h.allocation.bindChannel(PEER_A, 0);
        h.pump();
        h.advanceTo(100 * S);
        h.send(PEER_A, new byte[] {1});

        h.advanceTo(300 * S);

        assertThat(h.relay.received).filteredOn(r -> r.method() == StunMethod.CHANNEL_BIND)
                .extracting(FakeRelay.Received::atNs).containsExactly(0L, 300 * S);
    }

    @Test
    void unusedChannelExpiresAtTenMinutesAndItsNumberCoolsDownFiveMinutes() {
        Harness h = new Harness(7);
        h.allocation.bindChannel(PEER_A, 0);
        h.pump();

        h.advanceTo(601 * S);
        assertThat(h.send(PEER_B, new byte[] {1})).isNull();
        h.advanceTo(901 * S);
        h.send(PEER_C, new byte[] {1});

        assertThat(h.relay.received).filteredOn(r -> r.method() == StunMethod.CHANNEL_BIND)
                .extracting(FakeRelay.Received::channel).containsExactly(0x4000, 0x4001, 0x4000);
    }

    @Test
    void retransmitsAt1sGrowing1point5AndInvalidatesAfter8sThenRecovers() {
        Harness h = new Harness(8);
        h.advanceTo(101 * S);
        h.relay.silent = true;

        h.advanceTo(133 * S - 1);
        assertThat(h.relay.timesOf(StunMethod.BINDING)).endsWith(125 * S, 126 * S, 127_500_000_000L, 129_750_000_000L);
        assertThat(h.eventsOf(AllocationEvent.Invalidated.class)).isEmpty();
        h.advanceTo(133 * S);
        assertThat(h.eventsOf(AllocationEvent.Invalidated.class)).containsExactly(new AllocationEvent.Invalidated(
                InvalidationReason.UNRESPONSIVE, java.util.List.of(FakeRelay.RELAYED)));
        assertThat(h.allocation.serverReflexiveAddress()).as("our NAT's mapping, kept").isEqualTo(FakeRelay.MAPPED);
        long linesWhileDown = h.allocation.logLines();
        h.advanceTo(200 * S);
        assertThat(h.allocation.logLines()).isEqualTo(linesWhileDown);
        assertThat(h.eventsOf(AllocationEvent.Invalidated.class)).hasSize(1);

        h.relay.silent = false;
        h.advanceTo(260 * S);

        assertThat(h.eventsOf(AllocationEvent.RelayAllocated.class)).hasSize(2);
        assertThat(h.allocation.relayedAddresses()).containsExactly(FakeRelay.RELAYED);
    }

    @Test
    void aRequestLostInAPartitionThatEndedIsAskedAgainWithoutInvalidatingARelayThatAnswers() {
        Harness h = new Harness(16);
        h.advanceTo(24 * S);
        h.relay.silent = true; // the keepalive BINDING at 25 s and its resends until 29.75 s are lost
        h.advanceTo(30 * S);
        h.relay.silent = false;
        h.allocation.bindChannel(PEER_A, h.nowNs); // answered at 30 s: the relay is reachable again
        h.pump();

        h.advanceTo(34 * S); // the BINDING started at 25 s is given up at 33 s

        assertThat(h.eventsOf(AllocationEvent.Invalidated.class)).isEmpty();
        assertThat(h.allocation.relayedAddresses()).containsExactly(FakeRelay.RELAYED);
        assertThat(h.relay.timesOf(StunMethod.BINDING)).endsWith(33 * S);
    }

    @Test
    void probingAnUnresponsiveRelayAllocatesAgainAtOnceInsteadOfAtTheNextKeepalive() {
        Harness h = new Harness(13);
        h.relay.silent = true;
        h.advanceTo(40 * S); // the keepalive at 25 s goes unanswered: invalidated at 33 s
        assertThat(h.allocation.relayedAddresses()).isEmpty();
        h.relay.silent = false;
        int bindingsBefore = h.relay.timesOf(StunMethod.BINDING).size();

        h.allocation.probe(h.nowNs);
        h.pump();

        assertThat(h.relay.timesOf(StunMethod.BINDING)).hasSize(bindingsBefore + 1).endsWith(40 * S);
        assertThat(h.allocation.relayedAddresses()).containsExactly(FakeRelay.RELAYED);
        assertThat(h.allocation.serverReflexiveAddress()).isEqualTo(FakeRelay.MAPPED);
    }

    @Test
    void probingARelayThatAnswersSendsNothing() {
        Harness h = new Harness(14);
        h.advanceTo(10 * S);
        int received = h.relay.received.size();

        h.allocation.probe(h.nowNs);
        h.pump();

        assertThat(h.relay.received).hasSize(received);
        assertThat(h.allocation.pollTimeout()).isEqualTo(new AllocationTimeout(25 * S, TimeoutReason.KEEPALIVE));
    }

    @Test
    void probingTwiceWhileTheRelayIsStillSilentSendsOneBindingAndLogsNothing() {
        Harness h = new Harness(15);
        h.relay.silent = true;
        h.advanceTo(40 * S);
        int bindings = h.relay.timesOf(StunMethod.BINDING).size();
        long lines = h.allocation.logLines();

        h.allocation.probe(h.nowNs);
        h.pump();
        h.allocation.probe(h.nowNs);
        h.pump();

        assertThat(h.relay.timesOf(StunMethod.BINDING)).hasSize(bindings + 1);
        assertThat(h.allocation.logLines()).isEqualTo(lines);
        assertThat(h.eventsOf(AllocationEvent.Invalidated.class)).hasSize(1);
    }

    @Test
    void insufficientCapacityBacksOffAndReports() {
        Harness h = new Harness(9);
        h.relay.errorCode = 508;
        h.advanceTo(300 * S);

        assertThat(h.eventsOf(AllocationEvent.Invalidated.class)).containsExactly(new AllocationEvent.Invalidated(
                InvalidationReason.INSUFFICIENT_CAPACITY, java.util.List.of(FakeRelay.RELAYED)));
        h.relay.errorCode = 0;
        h.advanceTo(305 * S);
        assertThat(h.allocation.relayedAddresses()).containsExactly(FakeRelay.RELAYED);
    }

    @Test
    void steadyStateLogsNothingPerTick() {
        Harness h = new Harness(10);
        h.send(PEER_A, new byte[] {1});
        long lines = h.allocation.logLines();

        for (long t = 10; t <= 3_600; t += 10) {
            h.advanceTo(t * S);
            h.send(PEER_A, new byte[] {1});
        }

        assertThat(h.allocation.logLines()).isEqualTo(lines);
        assertThat(h.relay.timesOf(StunMethod.REFRESH)).hasSize(12);
    }

    private static int[] bytes(ByteBuffer buffer) {
        int[] out = new int[buffer.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = buffer.get(buffer.position() + i) & 0xFF;
        }
        return out;
    }
}
