package zonegate.turn.client;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What an {@link Allocation} tells its host, from {@link Allocation#pollEvent()}. Switch over it
 * exhaustively; the ICE agent turns the address events into candidates.
 */
public sealed interface AllocationEvent {

    /**
     * The relay reported our server-reflexive address (XOR-MAPPED-ADDRESS), first or changed.
     *
     * @param previous the address before, or {@code null} when first learned (or after an invalidation)
     * @param current the address now
     */
    record ServerReflexiveAddress(InetSocketAddress previous, InetSocketAddress current) implements AllocationEvent {
    }

    /**
     * The relay allocated relayed addresses (one per family), valid until an {@link Invalidated}.
     *
     * @param relayed one or two addresses (IPv4, then IPv6 when asked for and granted)
     * @param lifetimeSeconds the lifetime granted; the allocation refreshes at half of it
     */
    record RelayAllocated(List<InetSocketAddress> relayed, long lifetimeSeconds) implements AllocationEvent {
        /** Copies {@code relayed}. */
        public RelayAllocated {
            relayed = List.copyOf(relayed);
        }
    }

    /**
     * The allocation failed or was lost: withdraw the candidates listed. Channels are gone with it and
     * are bound again on demand once a new allocation exists.
     *
     * @param reason why
     * @param withdrawn addresses no longer valid (may be empty when nothing had been learned)
     */
    record Invalidated(InvalidationReason reason, List<InetSocketAddress> withdrawn) implements AllocationEvent {
        /** Copies {@code withdrawn}. */
        public Invalidated {
            withdrawn = List.copyOf(withdrawn);
        }
    }

    /**
     * A channel to {@code peer} is bound: {@link Allocation#encapsulate} now frames ChannelData.
     *
     * @param peer the peer's address
     * @param channel 0x4000-0x4FFF
     */
    record ChannelBound(InetSocketAddress peer, int channel) implements AllocationEvent {
    }

    /**
     * A peer sent data through the relay (ChannelData or a Data indication).
     *
     * @param peer the peer's address
     * @param payload a copy of the data
     */
    record PeerData(InetSocketAddress peer, byte[] payload) implements AllocationEvent {
    }
}
