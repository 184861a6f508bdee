package zonegate.tunnel.internal.client;

/** What {@link StubResolver} counts ({@link StubResolver#count}). Every query and response lands in at least one. */
public enum StubCounter {
    /** An IP packet that is not a complete, unfragmented UDP datagram to port 53: dropped. */
    NOT_A_DNS_PACKET,
    /** A query to an address that is not a sentinel with an upstream: dropped. */
    UNKNOWN_SENTINEL,
    /** A DNS message whose header is unreadable, or a response sent to a sentinel: dropped. */
    MALFORMED_DROPPED,
    /** A DNS message with a readable header that is not a usable query: answered FORMERR (NOTIMP for an opcode). */
    MALFORMED_ANSWERED,
    /** A query answered by the resolver itself (resource A/AAAA/HTTPS, PTR of a proxy, the DoH canary). */
    ANSWERED_LOCALLY,
    /** A resource query answered SERVFAIL because no proxy address was left. */
    PROXIES_EXHAUSTED,
    /** A query handed to an upstream server. */
    FORWARDED,
    /** A query answered SERVFAIL at once because {@code maxInFlight} queries were already forwarded. */
    IN_FLIGHT_FULL,
    /** An upstream's answer relayed to the client as it came. */
    RELAYED,
    /** An upstream's answer too large for the client, relayed with TC set and no records. */
    TRUNCATED,
    /** A forwarded query the shell could not get answered (no response given): SERVFAIL. */
    UPSTREAM_FAILED,
    /** An upstream response with the wrong id, or that does not parse: SERVFAIL. */
    UPSTREAM_MALFORMED,
    /** An upstream response for a query id not in flight (timed out, reset, or never sent): dropped. */
    UNKNOWN_QUERY_ID,
    /** A forwarded query that got no response in time: forgotten, no answer. */
    TIMED_OUT,
    /** A forwarded query whose upstream is no longer listed: forgotten, no answer. */
    UPSTREAM_REMOVED,
    /** A forwarded query forgotten by {@link StubResolver#reset()}. */
    RESET,
    /** An answered domain dropped from the full {@link StubResolver#pollAnsweredDomain()} queue (oldest first). */
    ANSWERED_DOMAIN_DROPPED,
    /** A seeded record ignored: bad name, not 4 + 4 proxy addresses in the ranges, or clashing with another. */
    SEED_REJECTED,
    /** Upstream servers beyond the {@value StubResolver#MAX_UPSTREAMS} that get a sentinel. */
    UPSTREAMS_IGNORED
}
