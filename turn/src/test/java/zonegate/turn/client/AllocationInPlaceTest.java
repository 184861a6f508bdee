package zonegate.turn.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.turn.client.Harness.S;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import zonegate.stun.StunMethod;

/** The allocation-free ChannelData API: framing in front of a payload in place, unwrapping without a copy. */
class AllocationInPlaceTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("203.0.113.10", 51820);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("203.0.113.99", 3478);

    private static ByteBuffer withPayloadAt(int offset, byte... payload) {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put(offset, (byte) 0x77);
        b.put(offset + Allocation.CHANNEL_HEADER_BYTES, payload);
        b.put(offset + Allocation.CHANNEL_HEADER_BYTES + payload.length, (byte) 0x77);
        return b.position(3).limit(60);
    }

    @Test
    void framingWithoutAChannelWritesNothingCountsTheDropAndBindsOne() {
        Harness h = new Harness(21);
        ByteBuffer b = withPayloadAt(10, (byte) 1, (byte) 2);
        long dropped = h.allocation.dropped();

        int n = h.allocation.frameChannelData(PEER, b, 10, 2, h.nowNs);
        h.pump();

        assertThat(n).isEqualTo(-1);
        assertThat(b.get(10)).isEqualTo((byte) 0x77);
        assertThat(h.allocation.dropped()).isEqualTo(dropped + 1);
        assertThat(h.eventsOf(AllocationEvent.ChannelBound.class))
                .containsExactly(new AllocationEvent.ChannelBound(PEER, 0x4000));
    }

    @Test
    void framingWritesTheHeaderInFrontOfThePayloadInPlaceAsEncapsulateWould() {
        Harness h = new Harness(22);
        h.allocation.bindChannel(PEER, h.nowNs);
        h.pump();
        ByteBuffer b = withPayloadAt(10, (byte) 1, (byte) 2, (byte) 3);

        int n = h.allocation.frameChannelData(PEER, b, 10, 3, h.nowNs);
        Transmit copied = h.allocation.encapsulate(PEER, ByteBuffer.wrap(new byte[] {1, 2, 3}), h.nowNs);

        assertThat(n).isEqualTo(7);
        assertThat(b.slice(10, n)).isEqualTo(copied.payload());
        assertThat(b.get(9)).isZero();
        assertThat(b.get(17)).isEqualTo((byte) 0x77);
        assertThat(b.position()).isEqualTo(3);
        assertThat(b.limit()).isEqualTo(60);
    }

    @Test
    void framingIsTrafficThatRefreshesTheChannelAtFiveMinutes() {
        Harness h = new Harness(23);
        h.allocation.bindChannel(PEER, 0);
        h.pump();
        h.advanceTo(100 * S);
        h.allocation.frameChannelData(PEER, withPayloadAt(0, (byte) 1), 0, 1, h.nowNs);

        h.advanceTo(300 * S);

        assertThat(h.relay.received).filteredOn(r -> r.method() == StunMethod.CHANNEL_BIND)
                .extracting(FakeRelay.Received::atNs).containsExactly(0L, 300 * S);
    }

    @Test
    void unwrappingNarrowsTheDatagramToThePayloadAndNamesThePeerWithoutAnEvent() {
        Harness h = new Harness(24);
        h.allocation.bindChannel(PEER, h.nowNs);
        h.pump();
        int eventsBefore = h.events.size();
        ByteBuffer d = FakeRelay.channelData(0x4000, new byte[] {9, 8, 7});

        InetSocketAddress from = h.allocation.unwrapChannelData(FakeRelay.ADDRESS, d, h.nowNs);
        h.pump();

        assertThat(from).isEqualTo(PEER);
        assertThat(d.position()).isEqualTo(4);
        assertThat(d.remaining()).isEqualTo(3);
        assertThat(d.get(4)).isEqualTo((byte) 9);
        assertThat(h.events).hasSize(eventsBefore);
    }

    @Test
    void channelDataOnAnUnboundChannelIsCountedAndLeftUnchanged() {
        Harness h = new Harness(25);
        ByteBuffer d = FakeRelay.channelData(0x4001, new byte[] {9});
        long dropped = h.allocation.dropped();

        assertThat(h.allocation.unwrapChannelData(FakeRelay.ADDRESS, d, h.nowNs)).isNull();

        assertThat(h.allocation.dropped()).isEqualTo(dropped + 1);
        assertThat(d.position()).isZero();
        assertThat(d.remaining()).isEqualTo(5);
    }

    @Test
    void whatIsNotChannelDataFromTheRelayIsLeftForHandleInputUncounted() {
        Harness h = new Harness(26);
        h.allocation.bindChannel(PEER, h.nowNs);
        h.pump();
        long dropped = h.allocation.dropped();

        assertThat(h.allocation.unwrapChannelData(STRANGER, FakeRelay.channelData(0x4000, new byte[] {9}), h.nowNs))
                .isNull();
        assertThat(h.allocation.unwrapChannelData(FakeRelay.ADDRESS, ByteBuffer.wrap(new byte[20]), h.nowNs))
                .isNull();

        assertThat(h.allocation.dropped()).isEqualTo(dropped);
    }

    @Test
    void afterCloseChannelDataIsDropped() {
        Harness h = new Harness(27);
        h.allocation.bindChannel(PEER, h.nowNs);
        h.pump();
        h.allocation.close(h.nowNs);

        assertThat(h.allocation.unwrapChannelData(FakeRelay.ADDRESS, FakeRelay.channelData(0x4000, new byte[] {9}),
                h.nowNs)).isNull();
        assertThat(h.allocation.frameChannelData(PEER, withPayloadAt(0, (byte) 1), 0, 1, h.nowNs)).isEqualTo(-1);
    }
}
