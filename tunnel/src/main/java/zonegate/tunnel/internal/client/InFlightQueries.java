package zonegate.tunnel.internal.client;

import java.net.InetSocketAddress;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import zonegate.tunnel.dns.DnsQuery;

/**
 * Queries forwarded to an upstream and not yet answered, by query id, in the order they were sent. Every
 * query gets the same timeout and time never goes backwards, so that order is also deadline order: the
 * first entry is always the next to expire. Bounded by the caller ({@link #size()} against its maximum).
 */
final class InFlightQueries {
    /** One forwarded query: what the answer needs (the parsed query for SERVFAIL and truncation, the path). */
    record Pending(long queryId, InetSocketAddress upstream, DnsQuery query, ReplyPath reply, long deadlineNs) {
    }

    private final Map<Long, Pending> byId = new LinkedHashMap<>();

    void add(Pending p) {
        byId.put(p.queryId(), p);
    }

    /** Removes and returns the query, or null when it is not in flight. */
    Pending remove(long queryId) {
        return byId.remove(queryId);
    }

    /** Removes every query whose deadline is at or before {@code nowNs}; returns how many. */
    int expire(long nowNs) {
        int expired = 0;
        Iterator<Pending> it = byId.values().iterator();
        while (it.hasNext()) {
            if (it.next().deadlineNs() > nowNs) {
                break;
            }
            it.remove();
            expired++;
        }
        return expired;
    }

    /** Removes every query {@code doomed} accepts; returns how many. */
    int removeIf(Predicate<Pending> doomed) {
        int before = byId.size();
        byId.values().removeIf(doomed);
        return before - byId.size();
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when nothing is in flight. */
    long nextDeadlineNs() {
        return byId.isEmpty() ? Long.MAX_VALUE : byId.values().iterator().next().deadlineNs();
    }

    int size() {
        return byId.size();
    }
}
