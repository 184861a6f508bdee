package zonegate.filter.internal;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import zonegate.filter.Authorization;
import zonegate.filter.CommandResult;
import zonegate.filter.Filter;
import zonegate.filter.ResourceId;

/**
 * One client's authorisations, keyed by resource id, with their expiry converted once into the
 * monotonic {@code nowNs} domain, and the compiled {@link Snapshot} rebuilt after every change.
 */
public final class AuthorizationSet {
    private record Held(Authorization authorization, long expiresAtNs) {
    }

    private final int maxResources;
    private final InstantSource wallClock;
    private final TreeMap<ResourceId, Held> held = new TreeMap<>();
    private int generation;
    private Snapshot snapshot;

    public AuthorizationSet(int maxResources, InstantSource wallClock) {
        this.maxResources = maxResources;
        this.wallClock = wallClock;
        rebuild();
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public int size() {
        return held.size();
    }

    public List<Authorization> authorizations() {
        return held.values().stream().map(Held::authorization).toList();
    }

    public CommandResult replaceAll(List<Authorization> authorizations, long nowNs) {
        if (authorizations.size() > maxResources) {
            return CommandResult.TOO_MANY_RESOURCES;
        }
        Set<ResourceId> seen = new HashSet<>();
        for (Authorization authorization : authorizations) {
            if (!seen.add(authorization.resourceId())) {
                return CommandResult.DUPLICATE_RESOURCE;
            }
        }
        long wallNowNs = epochNanos(wallClock);
        held.clear();
        for (Authorization authorization : authorizations) {
            held.put(authorization.resourceId(), new Held(authorization, toNowNs(authorization, nowNs, wallNowNs)));
        }
        rebuild();
        return CommandResult.APPLIED;
    }

    /** Adds an authorisation, or replaces the one for the same resource (filters and expiry). */
    public CommandResult add(Authorization authorization, long nowNs) {
        if (!held.containsKey(authorization.resourceId()) && held.size() >= maxResources) {
            return CommandResult.TOO_MANY_RESOURCES;
        }
        held.put(authorization.resourceId(),
                new Held(authorization, toNowNs(authorization, nowNs, epochNanos(wallClock))));
        rebuild();
        return CommandResult.APPLIED;
    }

    public CommandResult remove(ResourceId id) {
        if (held.remove(id) == null) {
            return CommandResult.UNKNOWN_RESOURCE;
        }
        rebuild();
        return CommandResult.APPLIED;
    }

    /** New filters for a held resource; its expiry stays as it was. */
    public CommandResult changeFilters(ResourceId id, List<Filter> filters) {
        Held current = held.get(id);
        if (current == null) {
            return CommandResult.UNKNOWN_RESOURCE;
        }
        held.put(id, new Held(current.authorization.withFilters(filters), current.expiresAtNs));
        rebuild();
        return CommandResult.APPLIED;
    }

    /** The earliest expiry instant in ns, or {@link Long#MAX_VALUE}. */
    public long nextExpiryNs() {
        long next = Long.MAX_VALUE;
        for (Held h : held.values()) {
            next = Math.min(next, h.expiresAtNs);
        }
        return next;
    }

    /** Removes what expired at or before {@code nowNs}; returns the removed ids in id order. */
    public List<ResourceId> removeExpired(long nowNs) {
        List<ResourceId> expired = new ArrayList<>();
        for (Map.Entry<ResourceId, Held> e : held.entrySet()) {
            if (e.getValue().expiresAtNs <= nowNs) {
                expired.add(e.getKey());
            }
        }
        if (!expired.isEmpty()) {
            expired.forEach(held::remove);
            rebuild();
        }
        return expired;
    }

    private void rebuild() {
        List<Authorization> sorted = new ArrayList<>(held.size());
        long[] expiries = new long[held.size()];
        int i = 0;
        for (Held h : held.values()) {
            sorted.add(h.authorization);
            expiries[i++] = h.expiresAtNs;
        }
        snapshot = Snapshot.build(++generation, sorted, expiries);
    }

    /**
     * The expiry in the {@code nowNs} domain: now plus the time left on the wall clock, saturated, so
     * the per-packet check compares monotonic nanoseconds only.
     */
    private static long epochNanos(InstantSource wallClock) {
        Instant now = wallClock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }

    static long toNowNs(Authorization authorization, long nowNs, long wallNowNs) {
        long seconds = authorization.expiresAtUnixSeconds();
        if (seconds == Authorization.NEVER || seconds >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (seconds <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        long leftNs;
        try {
            leftNs = Math.subtractExact(seconds * 1_000_000_000L, wallNowNs);
        } catch (ArithmeticException overflow) {
            leftNs = wallNowNs < 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        try {
            return Math.addExact(nowNs, leftNs);
        } catch (ArithmeticException overflow) {
            return leftNs > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
    }
}
