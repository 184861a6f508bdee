package zonegate.turn.server;

import java.net.InetSocketAddress;

/**
 * What the shell must act on, from {@link RelayServer#pollEvent()}: open a UDP socket on the relayed
 * port when an allocation is created, close it when the allocation ends.
 */
public sealed interface RelayEvent {

    /**
     * An allocation was created.
     *
     * @param username the USERNAME that authenticated it
     * @param client the client's transport address (the 5-tuple with the listen socket)
     * @param relayed the relayed transport address (public relay address and relay port)
     * @param lifetimeSeconds the granted lifetime
     */
    record AllocationCreated(String username, InetSocketAddress client, InetSocketAddress relayed,
            long lifetimeSeconds) implements RelayEvent {
    }

    /**
     * An allocation ended; its relay port is free again.
     *
     * @param reason whether it timed out or the client deleted it
     * @param stats its traffic counts at the end
     */
    record AllocationEnded(String username, InetSocketAddress client, InetSocketAddress relayed, EndReason reason,
            AllocationStats stats) implements RelayEvent {
    }

    /** Why an allocation ended. */
    enum EndReason {
        /** Its lifetime passed without a refresh. */
        EXPIRED,
        /** The client sent REFRESH with LIFETIME 0. */
        DELETED
    }
}
