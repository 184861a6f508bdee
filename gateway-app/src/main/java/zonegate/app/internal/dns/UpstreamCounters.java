package zonegate.app.internal.dns;

import java.util.concurrent.atomic.LongAdder;

/** What {@link UpstreamResolver} sent and what went wrong, readable from any thread. Counters only grow. */
public final class UpstreamCounters {
    final LongAdder udpQueries = new LongAdder();
    final LongAdder tcpQueries = new LongAdder();
    final LongAdder truncatedAnswers = new LongAdder();
    final LongAdder timeouts = new LongAdder();
    final LongAdder ioErrors = new LongAdder();
    final LongAdder ignoredDatagrams = new LongAdder();
    final LongAdder errorRcodes = new LongAdder();
    final LongAdder busy = new LongAdder();

    /** Queries sent over UDP (each try counts). */
    public long udpQueries() {
        return udpQueries.sum();
    }

    /** Queries sent over TCP (after a truncated UDP answer). */
    public long tcpQueries() {
        return tcpQueries.sum();
    }

    /** UDP answers with TC set. */
    public long truncatedAnswers() {
        return truncatedAnswers.sum();
    }

    /** Tries that ended without an answer. */
    public long timeouts() {
        return timeouts.sum();
    }

    /** Tries that ended with a socket error. */
    public long ioErrors() {
        return ioErrors.sum();
    }

    /** Datagrams that did not answer our query (wrong id or question: stale or spoofed), ignored. */
    public long ignoredDatagrams() {
        return ignoredDatagrams.sum();
    }

    /** Answers with SERVFAIL, REFUSED, FORMERR or NOTIMP (the next server is tried). */
    public long errorRcodes() {
        return errorRcodes.sum();
    }

    /** Lookups and forwards refused at once because {@link UpstreamConfig#maxInFlight()} were in flight. */
    public long busy() {
        return busy.sum();
    }
}
