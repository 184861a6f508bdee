package zonegate.node;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/** The node's TURN allocations, one per relay, shared by every connection. */
final class Relays {
    private final Outbox outbox;

    Relays(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Whether {@code from} is the address of a relay we hold an allocation on. */
    boolean isRelay(InetSocketAddress from) {
        return false;
    }

    /** Whether {@code from} is one of the last relays we stopped using. */
    boolean isDiscarded(InetSocketAddress from) {
        return false;
    }

    NodeAction handleInput(InetSocketAddress from, ByteBuffer datagram, long nowNs, Inbound inbound, ByteBuffer out,
            NodeResult r) {
        return r.set(NodeAction.DONE, 0, null, null, null, null);
    }

    /** Sends through the allocation owning the relayed address {@code local}; false if none does. */
    boolean sendRelayed(InetSocketAddress local, InetSocketAddress remote, ByteBuffer payload, long nowNs) {
        return false;
    }

    /** Whether every allocation has reported its addresses or failed (local gathering is over). */
    boolean gatheringComplete() {
        return true;
    }

    long nextDeadlineNs() {
        return Long.MAX_VALUE;
    }

    void handleTimeout(long nowNs) {
    }
}
