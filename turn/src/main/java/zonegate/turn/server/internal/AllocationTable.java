package zonegate.turn.server.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.turn.server.AllocationStats;
import zonegate.turn.server.RelayConfig;
import zonegate.turn.server.RelayCounter;
import zonegate.turn.server.RelayEvent;

/**
 * The allocations, indexed by client transport address and by relay port, with per-account counts,
 * relay port choice and expiry. Bounded by {@link RelayConfig#maxAllocations()}.
 *
 * <p>Expiry runs from a min-heap of (deadline, allocation), so a timeout costs O(log n) per allocation
 * that is due rather than a scan of them all. An allocation is queued for a lower bound of its earliest
 * deadline ({@code scheduledAtNs}): a new earlier deadline (a permission, a channel) queues it again,
 * a later one (a refresh) changes nothing, and when its entry comes due the allocation is swept and
 * queued for what remains. Entries left behind by a re-queue or a deletion are skipped when they
 * surface. The heap holds at most {@code 4 * maxAllocations + 64} entries; past that it is rebuilt from
 * the live allocations, one entry each.
 */
public final class AllocationTable {
    private record Scheduled(long atNs, Allocation allocation) {
    }

    private final RelayConfig config;
    private final RandomGenerator random;
    private final Outbox outbox;
    private final Map<InetSocketAddress, Allocation> byClient = new HashMap<>();
    private final Map<Integer, Allocation> byPort = new HashMap<>();
    private final Map<String, Integer> perAccount = new HashMap<>();
    private final PriorityQueue<Scheduled> deadlines = new PriorityQueue<>(Comparator.comparingLong(Scheduled::atNs));
    private final int maxScheduled;

    /** An empty table. */
    public AllocationTable(RelayConfig config, RandomGenerator random, Outbox outbox) {
        this.config = config;
        this.random = random;
        this.outbox = outbox;
        this.maxScheduled = 4 * config.maxAllocations() + 64;
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
        deadline(allocation, allocation.expiresAtNs);
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

    /** Notes that {@code allocation} has a deadline at {@code deadlineNs}. */
    void deadline(Allocation allocation, long deadlineNs) {
        if (deadlineNs >= allocation.scheduledAtNs) {
            return;
        }
        allocation.scheduledAtNs = deadlineNs;
        deadlines.add(new Scheduled(deadlineNs, allocation));
        if (deadlines.size() > maxScheduled) {
            rebuild();
        }
    }

    /** Expires allocations, permissions and channels due at {@code nowNs}. */
    public void handleTimeout(long nowNs) {
        for (Scheduled due = deadlines.peek(); due != null && due.atNs() <= nowNs; due = deadlines.peek()) {
            deadlines.poll();
            Allocation allocation = due.allocation();
            if (!isLive(due)) {
                continue;
            }
            if (allocation.expiresAtNs <= nowNs) {
                remove(allocation, RelayEvent.EndReason.EXPIRED);
                continue;
            }
            allocation.scheduledAtNs = allocation.sweep(nowNs);
            deadlines.add(new Scheduled(allocation.scheduledAtNs, allocation));
        }
        while (!deadlines.isEmpty() && !isLive(deadlines.peek())) {
            deadlines.poll();
        }
    }

    /** The earliest deadline (possibly early), or {@link Long#MAX_VALUE}. */
    public long nextDeadlineNs() {
        Scheduled next = deadlines.peek();
        return next == null ? Long.MAX_VALUE : next.atNs();
    }

    /** Entries in the deadline heap, live or left behind, for bound checks in tests. */
    public int scheduledDeadlines() {
        return deadlines.size();
    }

    private boolean isLive(Scheduled entry) {
        Allocation allocation = entry.allocation();
        return entry.atNs() == allocation.scheduledAtNs && byClient.get(allocation.client) == allocation;
    }

    private void rebuild() {
        deadlines.clear();
        for (Allocation allocation : byClient.values()) {
            deadlines.add(new Scheduled(allocation.scheduledAtNs, allocation));
        }
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
