package zonegate.tunnel.dns;

/** What {@link DnsParser#parse} made of some bytes. Switch over it exhaustively. */
public sealed interface DnsParseResult {
    /** A query the server can answer. */
    record Query(DnsQuery query) implements DnsParseResult {
    }

    /**
     * Refused bytes.
     *
     * @param reason why
     * @param id the message id when the header was readable (answer FORMERR / NOTIMP with it), or -1
     */
    record Rejected(DnsRejection reason, int id) implements DnsParseResult {
        /** Whether an error response should be sent (a readable header that is not a response). */
        public boolean answerable() {
            return id >= 0 && reason != DnsRejection.NOT_A_QUERY;
        }
    }
}
