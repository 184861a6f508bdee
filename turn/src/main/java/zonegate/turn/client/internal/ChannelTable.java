package zonegate.turn.client.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The channels of one allocation (RFC 8656 section 12): numbers 0x4000-0x4FFF, bound for 10 minutes,
 * refreshed 5 minutes after binding only if used since, and a number not reused for 5 minutes after its
 * binding ends (RFC 8656 section 12: the peer/number pair stays reserved that long on the server).
 * Bounded by the 4096 numbers.
 */
public final class ChannelTable {
    /** First channel number. */
    public static final int MIN_CHANNEL = 0x4000;
    /** Last channel number. */
    public static final int MAX_CHANNEL = 0x4FFF;
    /** Lifetime of a binding on the server. */
    public static final long LIFETIME_NS = 600_000_000_000L;
    /** A used binding is refreshed this long after it was (re)bound. */
    public static final long REFRESH_AFTER_NS = 300_000_000_000L;
    /** A number is not reused for this long after its binding ends. */
    public static final long COOLDOWN_NS = 300_000_000_000L;

    private static final int COUNT = MAX_CHANNEL - MIN_CHANNEL + 1;

    /** One channel; {@code bound} once the relay confirmed it. */
    public static final class Channel {
        private final InetSocketAddress peer;
        private final int number;
        private boolean bound;
        private boolean refreshing;
        private boolean usedSinceBound;
        private long boundAtNs;

        Channel(InetSocketAddress peer, int number) {
            this.peer = peer;
            this.number = number;
        }

        /** The peer's address as the relay sees it. */
        public InetSocketAddress peer() {
            return peer;
        }

        /** The channel number. */
        public int number() {
            return number;
        }

        /** Whether the relay confirmed the binding (ChannelData may flow). */
        public boolean bound() {
            return bound;
        }

        long refreshAtNs() {
            return boundAtNs + REFRESH_AFTER_NS;
        }

        long expiresAtNs() {
            return boundAtNs + LIFETIME_NS;
        }
    }

    private final Map<InetSocketAddress, Channel> byPeer = new HashMap<>();
    private final Channel[] byNumber = new Channel[COUNT];
    private final long[] reusableAtNs = new long[COUNT];

    /** The channel of {@code peer} (pending or bound), or {@code null}. */
    public Channel ofPeer(InetSocketAddress peer) {
        return byPeer.get(peer);
    }

    /** The bound channel numbered {@code number}, or {@code null}. */
    public Channel boundOfNumber(int number) {
        if (number < MIN_CHANNEL || number > MAX_CHANNEL) {
            return null;
        }
        Channel channel = byNumber[number - MIN_CHANNEL];
        return channel != null && channel.bound ? channel : null;
    }

    /** Reserves the lowest free number out of its cooldown for {@code peer}; {@code null} if none is free. */
    public Channel reserve(InetSocketAddress peer, long nowNs) {
        for (int i = 0; i < COUNT; i++) {
            if (byNumber[i] == null && nowNs >= reusableAtNs[i]) {
                Channel channel = new Channel(peer, MIN_CHANNEL + i);
                byNumber[i] = channel;
                byPeer.put(peer, channel);
                return channel;
            }
        }
        return null;
    }

    /** The relay confirmed a bind or a refresh of {@code channel}; returns whether it was its first bind. */
    public boolean onBound(Channel channel, long nowNs) {
        boolean first = !channel.bound;
        channel.bound = true;
        channel.refreshing = false;
        channel.usedSinceBound = false;
        channel.boundAtNs = nowNs;
        return first;
    }

    /**
     * Notes traffic on {@code channel} at {@code nowNs}; returns whether it is now due for a refresh
     * (used after its refresh time and no refresh in flight), in which case it is marked refreshing.
     */
    public boolean onUsed(Channel channel, long nowNs) {
        channel.usedSinceBound = true;
        return channel.bound && !channel.refreshing && nowNs >= channel.refreshAtNs() && startRefresh(channel);
    }

    /** The relay refused or never confirmed {@code channel}: frees it, with the cooldown. */
    public void release(Channel channel, long nowNs) {
        int i = channel.number - MIN_CHANNEL;
        if (byNumber[i] == channel) {
            byNumber[i] = null;
            byPeer.remove(channel.peer);
            reusableAtNs[i] = nowNs + COOLDOWN_NS;
        }
    }

    /**
     * Advances to {@code nowNs}: moves used channels due for refresh to {@code refresh} (marked
     * refreshing) and frees expired ones into {@code expired}.
     */
    public void onTimeout(long nowNs, List<Channel> refresh, List<Channel> expired) {
        for (Channel channel : new ArrayList<>(byPeer.values())) {
            if (!channel.bound) {
                continue;
            }
            if (nowNs >= channel.expiresAtNs()) {
                release(channel, channel.expiresAtNs());
                expired.add(channel);
            } else if (!channel.refreshing && channel.usedSinceBound && nowNs >= channel.refreshAtNs()
                    && startRefresh(channel)) {
                refresh.add(channel);
            }
        }
    }

    private static boolean startRefresh(Channel channel) {
        channel.refreshing = true;
        return true;
    }

    /** The next refresh or expiry deadline, or {@link Long#MAX_VALUE}. */
    public long deadlineNs() {
        long deadline = Long.MAX_VALUE;
        for (Channel channel : byPeer.values()) {
            if (channel.bound) {
                boolean refreshDue = channel.usedSinceBound && !channel.refreshing;
                deadline = Math.min(deadline, refreshDue ? channel.refreshAtNs() : channel.expiresAtNs());
            }
        }
        return deadline;
    }

    /** Forgets every channel and cooldown (the allocation is gone; a new one starts afresh). */
    public void clear() {
        byPeer.clear();
        java.util.Arrays.fill(byNumber, null);
        java.util.Arrays.fill(reusableAtNs, 0L);
    }

    /** Channels pending or bound. */
    public int size() {
        return byPeer.size();
    }
}
