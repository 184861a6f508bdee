package zonegate.tunnel.dns;

/** What {@link DnsAnswersParser#parse} made of an upstream response. Switch over it exhaustively. */
public sealed interface DnsAnswersResult {
    /** A response to our query. */
    record Answers(DnsAnswers answers) implements DnsAnswersResult {
    }

    /** Bytes that are not a usable response to our query. */
    record Rejected(DnsResponseRejection reason) implements DnsAnswersResult {
    }
}
