package zonegate.turn.server.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.turn.server.AllocationStats;
import zonegate.turn.server.RelayConfig;
import zonegate.turn.server.RelayCounter;
import zonegate.turn.server.RelayEvent;

/**
 * The allocations, indexed by client transport address and by relay port, with per-account counts,
 * relay port choice and expiry. Bounded by {@link RelayConfig#maxAllocations()}.
 */
public final class AllocationTable {
    private final RelayConfig config;
    private final RandomGenerator random;
    private final Outbox outbox;
    private final Map<InetSocketAddress, Allocation> byClient = new HashMap<>();
    private final Map<Integer, Allocation> byPort = new HashMap<>();
    private final Map<String, Integer> perAccount = new HashMap<>();
    // A lower bound on the earliest deadline: mutations only lower it, a sweep makes it exact.
    private long nextDeadlineNs = Long.MAX_VALUE;

    /** An empty table. */
    public AllocationTable(RelayConfig config, RandomGenerator random, Outbox outbox) {
        this.config = config;
        this.random = random;
        this.outbox = outbox;
    }

    Allocation byClient(InetSocketAddress client) {
        return byClient.get(client);
    }

    /** The allocation on relay port {@code port}, or null. */
    public Allocation byPort(int port) {
        return byPort.get(port);
    }

    int size() {
        return byClient.size();
    }

    int countFor(String account) {
        return perAccount.getOrDefault(account, 0);
    }

    /**
     * A free relay port in the configured range, chosen at random (RFC 8656 section 7.2 asks for
     * unpredictable ports), even when {@code even}; -1 when none is free.
     */
    int freePort(boolean even) {
        int size = config.relayPortHigh() - config.relayPortLow() + 1;
        int start = random.nextInt(size);
        for (int i = 0; i < size; i++) {
            int port = config.relayPortLow() + (start + i) % size;
            if ((!even || port % 2 == 0) && !byPort.containsKey(port)) {
                return port;
            }
        }
        return -1;
    }

    void add(Allocation allocation, long lifetimeSeconds) {
        byClient.put(allocation.client, allocation);
        byPort.put(allocation.relayed.getPort(), allocation);
        perAccount.merge(allocation.account, 1, Integer::sum);
        deadline(allocation.expiresAtNs);
        outbox.count(RelayCounter.ALLOCATIONS_CREATED);
        Logger.info("turn allocation created user={} cid={} relay={} lifetime={}s", allocation.username,
                allocation.client, allocation.relayed, lifetimeSeconds);
        outbox.event(new RelayEvent.AllocationCreated(allocation.username, allocation.client, allocation.relayed,
                lifetimeSeconds));
    }

    void remove(Allocation allocation, RelayEvent.EndReason reason) {
        if (byClient.remove(allocation.client) == null) {
            return;
        }
        byPort.remove(allocation.relayed.getPort());
        perAccount.computeIfPresent(allocation.account, (account, n) -> n == 1 ? null : n - 1);
        switch (reason) {
            case EXPIRED -> {
                outbox.count(RelayCounter.ALLOCATIONS_EXPIRED);
                Logger.info("turn allocation expired user={} cid={} relay={}", allocation.username,
                        allocation.client, allocation.relayed);
            }
            case DELETED -> {
                outbox.count(RelayCounter.ALLOCATIONS_DELETED);
                Logger.info("turn allocation deleted user={} cid={} relay={}", allocation.username,
                        allocation.client, allocation.relayed);
            }
        }
        outbox.event(new RelayEvent.AllocationEnded(allocation.username, allocation.client, allocation.relayed,
                reason, allocation.stats()));
    }

    /** Notes a new deadline at {@code deadlineNs}. */
    void deadline(long deadlineNs) {
        nextDeadlineNs = Math.min(nextDeadlineNs, deadlineNs);
    }

    /** Expires allocations, permissions and channels due at {@code nowNs}. */
    public void handleTimeout(long nowNs) {
        if (nowNs < nextDeadlineNs) {
            return;
        }
        long next = Long.MAX_VALUE;
        List<Allocation> expired = new ArrayList<>();
        for (Iterator<Allocation> it = byClient.values().iterator(); it.hasNext(); ) {
            Allocation allocation = it.next();
            if (allocation.expiresAtNs <= nowNs) {
                expired.add(allocation);
            } else {
                next = Math.min(next, allocation.sweep(nowNs));
            }
        }
        for (Allocation allocation : expired) {
            remove(allocation, RelayEvent.EndReason.EXPIRED);
        }
        nextDeadlineNs = next;
    }

    /** The earliest deadline (possibly early), or {@link Long#MAX_VALUE}. */
    public long nextDeadlineNs() {
        return nextDeadlineNs;
    }

    /** Snapshots of every allocation. */
    public List<AllocationStats> stats() {
        List<AllocationStats> out = new ArrayList<>(byClient.size());
        for (Allocation allocation : byClient.values()) {
            out.add(allocation.stats());
        }
        return out;
    }

    /** Total permissions and channels, for bound checks in tests. */
    public long entries() {
        long n = 0;
        for (Allocation allocation : byClient.values()) {
            n += allocation.permissions.size() + allocation.channelsByNumber.size()
                    + allocation.channelsByPeer.size();
        }
        return n;
    }
}
