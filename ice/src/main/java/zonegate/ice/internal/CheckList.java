package zonegate.ice.internal;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import zonegate.ice.Candidate;
import zonegate.ice.IceRole;

/**
 * The checklist (RFC 8445 section 6.1.2): pairs in decreasing priority, at most {@code maxPairs}, and
 * the triggered-check queue (section 6.1.4.1), which is served first.
 */
final class CheckList {
    private final int maxPairs;
    private final List<Pair> pairs = new ArrayList<>();
    private final ArrayDeque<Pair> triggered = new ArrayDeque<>();
    private long pruned;

    CheckList(int maxPairs) {
        this.maxPairs = maxPairs;
    }

    List<Pair> pairs() {
        return Collections.unmodifiableList(pairs);
    }

    long pruned() {
        return pruned;
    }

    /** The pair of local base {@code local} and remote address {@code remote}, or {@code null}. */
    Pair find(InetSocketAddress local, InetSocketAddress remote) {
        for (Pair p : pairs) {
            if (p.local.address().equals(local) && p.remote.address().equals(remote)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Adds the pair of {@code local} and {@code remote} unless it exists (RFC 8445 6.1.2.4: one pair per
     * base and remote address). Beyond the bound the lowest-priority pair that is not in progress or
     * valid is dropped and counted (6.1.2.5): possibly the new one.
     *
     * @return the pair, or {@code null} when it was the one dropped
     */
    Pair add(Candidate local, Candidate remote, IceRole role) {
        Pair existing = find(local.address(), remote.address());
        if (existing != null) {
            return existing;
        }
        Pair pair = new Pair(local, remote, role);
        pairs.add(pair);
        sort();
        if (pairs.size() > maxPairs) {
            for (int i = pairs.size() - 1; i >= 0; i--) {
                Pair victim = pairs.get(i);
                if (victim.state == Pair.State.WAITING || victim.state == Pair.State.FAILED) {
                    pairs.remove(i);
                    triggered.remove(victim);
                    pruned++;
                    return victim == pair ? null : pair;
                }
            }
            pairs.remove(pair);
            pruned++;
            return null;
        }
        return pair;
    }

    /** Recomputes every pair priority for {@code role} (after a role switch) and re-sorts. */
    void reprioritize(IceRole role) {
        for (Pair p : pairs) {
            p.updatePriority(role);
        }
        sort();
    }

    void sort() {
        pairs.sort((a, b) -> Long.compareUnsigned(b.priority, a.priority));
    }

    /** Queues a triggered check of {@code pair} (once), making it Waiting. */
    void trigger(Pair pair) {
        pair.state = Pair.State.WAITING;
        if (!pair.triggered) {
            pair.triggered = true;
            triggered.addLast(pair);
        }
    }

    /** Whether a check waits to be sent (a Waiting pair, triggered or not). */
    boolean hasWork() {
        for (Pair p : pairs) {
            if (p.state == Pair.State.WAITING) {
                return true;
            }
        }
        return false;
    }

    /** The next pair to check: the oldest triggered Waiting pair, else the best Waiting pair; or {@code null}. */
    Pair next() {
        for (Pair p = triggered.pollFirst(); p != null; p = triggered.pollFirst()) {
            p.triggered = false;
            if (p.state == Pair.State.WAITING) {
                return p;
            }
        }
        for (Pair candidate : pairs) {
            if (candidate.state == Pair.State.WAITING) {
                return candidate;
            }
        }
        return null;
    }

    /** The valid pair with the highest valid-pair priority, or {@code null}. */
    Pair bestValid() {
        Pair best = null;
        for (Pair p : pairs) {
            if (p.valid() && (best == null || Long.compareUnsigned(p.validPriority, best.validPriority) > 0)) {
                best = p;
            }
        }
        return best;
    }

    /** Whether a pair of higher priority than {@code than} could still succeed (Waiting or In-Progress). */
    boolean betterPending(Pair than) {
        for (Pair p : pairs) {
            if (Long.compareUnsigned(p.priority, than.priority) > 0
                    && (p.state == Pair.State.WAITING || p.state == Pair.State.IN_PROGRESS)) {
                return true;
            }
        }
        return false;
    }

    /** Whether every pair failed (true for an empty list). */
    boolean allFailed() {
        for (Pair p : pairs) {
            if (p.state != Pair.State.FAILED) {
                return false;
            }
        }
        return true;
    }

    /** After nomination: nothing more to check (RFC 8445 8.1.2 removes Waiting pairs). */
    void stopChecking() {
        triggered.clear();
        for (Pair p : pairs) {
            p.triggered = false;
            if (p.state == Pair.State.WAITING) {
                p.state = Pair.State.FAILED;
            }
        }
    }
}
