package zonegate.turn.client;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** An allocation wired to a {@link FakeRelay} with a manual clock. */
final class Harness {
    static final long S = 1_000_000_000L;

    final FakeRelay relay = new FakeRelay();
    final Allocation allocation;
    final List<AllocationEvent> events = new ArrayList<>();
    final List<Transmit> channelData = new ArrayList<>();
    long nowNs;

    Harness(long seed) {
        allocation = new Allocation(AllocationConfig.of(FakeRelay.ADDRESS, FakeRelay.USER, FakeRelay.PASSWORD),
                new SplittableRandom(seed), 0);
        pump();
    }

    /** Delivers every transmit to the relay and its answers back, until quiet. */
    void pump() {
        for (Transmit t = allocation.pollTransmit(); t != null; t = allocation.pollTransmit()) {
            for (ByteBuffer answer : relay.handle(t.payload(), nowNs)) {
                allocation.handleInput(FakeRelay.ADDRESS, answer, nowNs);
            }
        }
        for (AllocationEvent e = allocation.pollEvent(); e != null; e = allocation.pollEvent()) {
            events.add(e);
        }
    }

    /** Runs every deadline up to {@code targetNs}, in order, then sets the clock there. */
    void advanceTo(long targetNs) {
        for (AllocationTimeout t = allocation.pollTimeout(); t.deadlineNs() <= targetNs; t = allocation.pollTimeout()) {
            nowNs = Math.max(nowNs, t.deadlineNs());
            allocation.handleTimeout(nowNs);
            pump();
        }
        nowNs = targetNs;
    }

    Transmit send(java.net.InetSocketAddress peer, byte[] payload) {
        Transmit t = allocation.encapsulate(peer, ByteBuffer.wrap(payload), nowNs);
        pump();
        return t;
    }

    <T extends AllocationEvent> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }
}
