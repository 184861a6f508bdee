package zonegate.tunnel.internal.client;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.tinylog.Logger;
import zonegate.tunnel.dns.DnsQuery;
import zonegate.tunnel.dns.DnsRcode;
import zonegate.tunnel.dns.DnsResponseRelay;

/**
 * Queries the resolver does not answer itself: handed to an upstream with a fresh query id, at most
 * {@code maxInFlight} at once (beyond: SERVFAIL at once), each forgotten after {@code timeoutNs}. The
 * upstream's response is relayed to the client byte for byte when it is a response to the query (same DNS
 * id, every record within the message) and fits the client's UDP limit; too large, it is cut to a truncated
 * response; unusable or missing, the client gets SERVFAIL.
 */
final class Forwarder {
    private final int maxInFlight;
    private final long timeoutNs;
    private final Replies replies;
    private final InFlightQueries inFlight = new InFlightQueries();
    private long nextQueryId = 1;

    Forwarder(int maxInFlight, long timeoutNs, Replies replies) {
        this.maxInFlight = maxInFlight;
        this.timeoutNs = timeoutNs;
        this.replies = replies;
    }

    StubResult forward(DnsQuery query, ReplyPath reply, InetSocketAddress upstream, ByteBuffer packet, int dnsOffset,
                       int dnsBytes, long nowNs) {
        if (inFlight.size() >= maxInFlight) {
            Logger.trace("{} forwarded queries in flight: SERVFAIL for {}", maxInFlight, query.name());
            return replies.empty(query, DnsRcode.SERVFAIL, reply, StubCounter.IN_FLIGHT_FULL);
        }
        long queryId = nextQueryId++;
        inFlight.add(new InFlightQueries.Pending(queryId, upstream, query, reply, nowNs + timeoutNs));
        byte[] message = new byte[dnsBytes];
        packet.get(dnsOffset, message);
        replies.count(StubCounter.FORWARDED, 1);
        Logger.trace("query {} type {} forwarded to {} as {}", query.name(), query.type(), upstream, queryId);
        return new StubResult.Forward(queryId, upstream, message);
    }

    StubResult onResponse(long queryId, ByteBuffer dnsMessage) {
        InFlightQueries.Pending pending = inFlight.remove(queryId);
        if (pending == null) {
            return replies.drop(StubCounter.UNKNOWN_QUERY_ID);
        }
        DnsQuery query = pending.query();
        if (dnsMessage == null) {
            Logger.trace("upstream {} gave no answer for {}: SERVFAIL", pending.upstream(), query.name());
            return replies.empty(query, DnsRcode.SERVFAIL, pending.reply(), StubCounter.UPSTREAM_FAILED);
        }
        int offset = dnsMessage.position();
        int length = dnsMessage.remaining();
        int questionEnd = DnsResponseRelay.check(dnsMessage, offset, length, query.id());
        if (questionEnd < 0) {
            Logger.trace("upstream {} answered {} unusably ({}): SERVFAIL", pending.upstream(), query.name(),
                    DnsResponseRelay.rejection(questionEnd));
            return replies.empty(query, DnsRcode.SERVFAIL, pending.reply(), StubCounter.UPSTREAM_MALFORMED);
        }
        int limit = query.udpResponseLimitBytes();
        if (length > limit) {
            int n = DnsResponseRelay.truncate(dnsMessage, offset, questionEnd, query.edns(), limit, replies.dns(), 0);
            return replies.answered(pending.reply(), n, StubCounter.TRUNCATED);
        }
        return replies.answered(pending.reply(), dnsMessage, offset, length, StubCounter.RELAYED);
    }

    void expire(long nowNs) {
        replies.count(StubCounter.TIMED_OUT, inFlight.expire(nowNs));
    }

    long nextDeadlineNs() {
        return inFlight.nextDeadlineNs();
    }

    /** Forgets the queries to upstreams that no longer have a sentinel; returns how many. */
    int dropUnlisted(Sentinels sentinels) {
        int dropped = inFlight.removeIf(p -> !sentinels.contains(p.upstream()));
        replies.count(StubCounter.UPSTREAM_REMOVED, dropped);
        return dropped;
    }

    void reset() {
        replies.count(StubCounter.RESET, inFlight.removeIf(p -> true));
    }

    int size() {
        return inFlight.size();
    }
}
