package zonegate.turn.server.internal;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import zonegate.turn.server.RelayCounter;
import zonegate.turn.server.RelayEvent;
import zonegate.turn.server.RelayTransmit;

/** The relay's bounded output queues and its counters; what overflows is dropped and counted. */
public final class Outbox {
    private final ArrayDeque<RelayTransmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<RelayEvent> events = new ArrayDeque<>();
    private final long[] counters = new long[RelayCounter.values().length];
    private final int transmitCapacity;
    private final int eventCapacity;

    /** Queues holding at most {@code transmitCapacity} datagrams and {@code eventCapacity} events. */
    public Outbox(int transmitCapacity, int eventCapacity) {
        this.transmitCapacity = transmitCapacity;
        this.eventCapacity = eventCapacity;
    }

    /** Queues {@code bytes} for {@code destination} from {@code relayPort}; false if the queue was full. */
    public boolean transmit(int relayPort, InetSocketAddress destination, byte[] bytes) {
        if (transmits.size() >= transmitCapacity) {
            count(RelayCounter.TRANSMIT_QUEUE_FULL);
            return false;
        }
        transmits.add(new RelayTransmit(relayPort, destination, bytes));
        return true;
    }

    /** Queues {@code event}, dropping and counting it when the queue is full. */
    public void event(RelayEvent event) {
        if (events.size() >= eventCapacity) {
            count(RelayCounter.EVENT_QUEUE_FULL);
            return;
        }
        events.add(event);
    }

    /** Adds one to {@code counter}. */
    public void count(RelayCounter counter) {
        counters[counter.ordinal()]++;
    }

    /** The value of {@code counter}. */
    public long get(RelayCounter counter) {
        return counters[counter.ordinal()];
    }

    /** The next datagram, or null. */
    public RelayTransmit pollTransmit() {
        return transmits.poll();
    }

    /** The next event, or null. */
    public RelayEvent pollEvent() {
        return events.poll();
    }

    /** Datagrams waiting. */
    public int queuedTransmits() {
        return transmits.size();
    }
}
