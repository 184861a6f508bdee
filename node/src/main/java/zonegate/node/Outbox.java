package zonegate.node;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/** The node's bounded output queues and its counters. */
final class Outbox {
    private final ArrayDeque<NodeTransmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<NodeEvent> events = new ArrayDeque<>();
    private final long[] counters = new long[NodeCounter.values().length];
    private final int maxTransmits;
    private final int maxEvents;

    Outbox(NodeConfig config) {
        this.maxTransmits = config.maxTransmits();
        this.maxEvents = config.maxEvents();
    }

    /** Queues a copy of {@code payload}'s remaining bytes (not changed). */
    void transmit(InetSocketAddress source, InetSocketAddress destination, ByteBuffer payload) {
        if (transmits.size() >= maxTransmits) {
            count(NodeCounter.TRANSMIT_QUEUE_FULL);
            return;
        }
        ByteBuffer copy = ByteBuffer.allocate(payload.remaining());
        copy.put(payload.duplicate()).flip();
        transmits.add(new NodeTransmit(source, destination, copy.asReadOnlyBuffer()));
    }

    void event(NodeEvent event) {
        if (events.size() >= maxEvents) {
            count(NodeCounter.EVENT_QUEUE_FULL);
            return;
        }
        events.add(event);
    }

    NodeTransmit pollTransmit() {
        return transmits.poll();
    }

    NodeEvent pollEvent() {
        return events.poll();
    }

    boolean hasOutput() {
        return !transmits.isEmpty() || !events.isEmpty();
    }

    void count(NodeCounter counter) {
        counters[counter.ordinal()]++;
    }

    void count(NodeCounter counter, int n) {
        counters[counter.ordinal()] += n;
    }

    long get(NodeCounter counter) {
        return counters[counter.ordinal()];
    }
}
