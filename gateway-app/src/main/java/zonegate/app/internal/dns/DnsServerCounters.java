package zonegate.app.internal.dns;

import java.util.concurrent.atomic.LongAdder;

/** What {@link GatewayDnsServer} answered and refused, readable from any thread. Counters only grow. */
public final class DnsServerCounters {
    final LongAdder queries = new LongAdder();
    final LongAdder tcpQueries = new LongAdder();
    final LongAdder resourcePlans = new LongAdder();
    final LongAdder forwardPlans = new LongAdder();
    final LongAdder refusePlans = new LongAdder();
    final LongAdder unknownClientPlans = new LongAdder();
    final LongAdder upstreamFailures = new LongAdder();
    final LongAdder backendFailures = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder serverFailures = new LongAdder();
    final LongAdder nxDomains = new LongAdder();
    final LongAdder malformed = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder truncated = new LongAdder();
    final LongAdder tcpConnectionsRefused = new LongAdder();
    final LongAdder ioErrors = new LongAdder();
    final LongAdder forbiddenTargets = new LongAdder();
    final LongAdder nonClientQueries = new LongAdder();
    final LongAdder clientQueryLimited = new LongAdder();
    final LongAdder clientUpstreamLimited = new LongAdder();
    final LongAdder tcpNonClientsRefused = new LongAdder();
    final LongAdder tcpClientConnectionsRefused = new LongAdder();
    final LongAdder tcpIdleCloses = new LongAdder();
    final LongAdder tcpLifetimeCloses = new LongAdder();

    /** Messages received, UDP and TCP, well-formed or not. */
    public long queries() {
        return queries.sum();
    }

    /** Of {@link #queries()}, those over TCP. */
    public long tcpQueries() {
        return tcpQueries.sum();
    }

    /** Queries for a DNS resource's name (answered with proxy addresses). */
    public long resourcePlans() {
        return resourcePlans.sum();
    }

    /** Queries relayed to the upstream resolvers. */
    public long forwardPlans() {
        return forwardPlans.sum();
    }

    /** Queries the client's policy does not allow. */
    public long refusePlans() {
        return refusePlans.sum();
    }

    /** Queries from an address that is no client's. */
    public long unknownClientPlans() {
        return unknownClientPlans.sum();
    }

    /** Queries answered SERVFAIL because the upstream failed (timeouts, errors, too many in flight). */
    public long upstreamFailures() {
        return upstreamFailures.sum();
    }

    /** Queries answered SERVFAIL because the state thread did not answer in time or failed. */
    public long backendFailures() {
        return backendFailures.sum();
    }

    /** Responses with REFUSED. */
    public long refused() {
        return refused.sum();
    }

    /** Responses with SERVFAIL. */
    public long serverFailures() {
        return serverFailures.sum();
    }

    /** Responses with NXDOMAIN. */
    public long nxDomains() {
        return nxDomains.sum();
    }

    /** Messages that did not parse as a query (answered FORMERR/NOTIMP when the header allowed it). */
    public long malformed() {
        return malformed.sum();
    }

    /** Messages not answered: unanswerable garbage, or UDP queries beyond the in-flight bound. */
    public long dropped() {
        return dropped.sum();
    }

    /** Responses sent with TC set because they did not fit the client's UDP size. */
    public long truncated() {
        return truncated.sum();
    }

    /** TCP connections closed at once because the shared connection bound was reached. */
    public long tcpConnectionsRefused() {
        return tcpConnectionsRefused.sum();
    }

    /** Socket errors while receiving, sending or accepting. */
    public long ioErrors() {
        return ioErrors.sum();
    }

    /** Resource queries answered SERVFAIL because the upstream answer named a forbidden translation target. */
    public long forbiddenTargets() {
        return forbiddenTargets.sum();
    }

    /** UDP datagrams dropped unread because their source is no client's tunnel address. */
    public long nonClientQueries() {
        return nonClientQueries.sum();
    }

    /** Queries beyond their client's in-flight bound (UDP: dropped; TCP: SERVFAIL). */
    public long clientQueryLimited() {
        return clientQueryLimited.sum();
    }

    /** Queries answered SERVFAIL because their client held its share of upstream exchanges. */
    public long clientUpstreamLimited() {
        return clientUpstreamLimited.sum();
    }

    /** TCP connections closed at accept because their source is no client's tunnel address. */
    public long tcpNonClientsRefused() {
        return tcpNonClientsRefused.sum();
    }

    /** TCP connections closed at accept because their client had its bound of connections open. */
    public long tcpClientConnectionsRefused() {
        return tcpClientConnectionsRefused.sum();
    }

    /** TCP connections closed because the next whole query did not arrive within the idle timeout. */
    public long tcpIdleCloses() {
        return tcpIdleCloses.sum();
    }

    /** TCP connections closed at their maximum lifetime. */
    public long tcpLifetimeCloses() {
        return tcpLifetimeCloses.sum();
    }
}
