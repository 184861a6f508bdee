package zonegate.turn.server.internal;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import zonegate.turn.server.AllocationStats;

/**
 * One allocation (RFC 8656 section 2.2): the client's 5-tuple, its relayed transport address, its
 * permissions (by peer IP) and channel bindings (both directions), with expiry deadlines in ns.
 */
public final class Allocation {
    /** A channel binding: number, peer transport address, expiry. */
    public static final class Channel {
        final int number;
        final InetSocketAddress peer;
        long expiresAtNs;

        Channel(int number, InetSocketAddress peer, long expiresAtNs) {
            this.number = number;
            this.peer = peer;
            this.expiresAtNs = expiresAtNs;
        }

        /** The channel number, 0x4000-0x7FFF. */
        public int number() {
            return number;
        }

        /** The peer this channel carries to. */
        public InetSocketAddress peer() {
            return peer;
        }
    }

    final InetSocketAddress client;
    final String username;
    final String account;
    final byte[] key;
    final int family;
    final InetSocketAddress relayed;
    long expiresAtNs;
    // The deadline this allocation is queued for in its table's heap: never later than its earliest.
    long scheduledAtNs = Long.MAX_VALUE;
    final Map<InetAddress, Long> permissions = new HashMap<>();
    final Map<Integer, Channel> channelsByNumber = new HashMap<>();
    final Map<InetSocketAddress, Channel> channelsByPeer = new HashMap<>();
    final RecentRequests recentRequests = new RecentRequests();
    // The ALLOCATE that created this allocation, to answer its retransmissions (RFC 8656 section 7.2).
    final int createTxHigh;
    final long createTxLow;
    byte[] createResponse;
    long messagesToPeers;
    long bytesToPeers;
    long messagesToClient;
    long bytesToClient;

    Allocation(InetSocketAddress client, String username, String account, byte[] key, int family,
            InetSocketAddress relayed, long expiresAtNs, int createTxHigh, long createTxLow) {
        this.client = client;
        this.username = username;
        this.account = account;
        this.key = key;
        this.family = family;
        this.relayed = relayed;
        this.expiresAtNs = expiresAtNs;
        this.createTxHigh = createTxHigh;
        this.createTxLow = createTxLow;
    }

    /** Whether a permission for {@code peer}'s IP is installed and unexpired at {@code nowNs}. */
    boolean permits(InetAddress peer, long nowNs) {
        Long expiry = permissions.get(peer);
        return expiry != null && expiry > nowNs;
    }

    /** Installs or refreshes the permission for {@code peer} until {@code expiresAtNs}. */
    void permit(InetAddress peer, long expiresAtNs) {
        permissions.merge(peer, expiresAtNs, Math::max);
    }

    /** Removes permissions and channels expired at {@code nowNs}; returns the earliest remaining deadline. */
    long sweep(long nowNs) {
        long next = expiresAtNs;
        for (Iterator<Long> it = permissions.values().iterator(); it.hasNext(); ) {
            long expiry = it.next();
            if (expiry <= nowNs) {
                it.remove();
            } else {
                next = Math.min(next, expiry);
            }
        }
        for (Iterator<Channel> it = channelsByNumber.values().iterator(); it.hasNext(); ) {
            Channel channel = it.next();
            if (channel.expiresAtNs <= nowNs) {
                it.remove();
                channelsByPeer.remove(channel.peer);
            } else {
                next = Math.min(next, channel.expiresAtNs);
            }
        }
        return next;
    }

    AllocationStats stats() {
        return new AllocationStats(username, client, relayed, permissions.size(), channelsByNumber.size(),
                messagesToPeers, bytesToPeers, messagesToClient, bytesToClient);
    }
}
