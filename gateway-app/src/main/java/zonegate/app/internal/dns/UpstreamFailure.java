package zonegate.app.internal.dns;

/** Why an upstream lookup or forward produced no usable answer. */
public enum UpstreamFailure {
    /** No upstream server is configured. */
    NO_SERVERS,
    /** The name cannot be put in a query (an empty or over-long label). */
    BAD_NAME,
    /** The query to forward is not a query {@code zonegate.tunnel.dns.DnsParser} accepts. */
    BAD_QUERY,
    /** Too many exchanges already in flight: {@link UpstreamConfig#maxInFlight()}. */
    BUSY,
    /** No matching answer before the deadline of every try. */
    TIMEOUT,
    /** A socket error (unreachable server, refused TCP connection). */
    IO_ERROR,
    /** A TCP answer that is not a response to our query (over UDP such datagrams are just ignored). */
    BAD_RESPONSE,
    /** Every server answered with an error rcode (SERVFAIL, REFUSED, FORMERR, NOTIMP). */
    UPSTREAM_ERROR,
    /** The resolver was closed. */
    CLOSED
}
