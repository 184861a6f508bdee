package zonegate.ice;

/**
 * What {@link Candidate#parse(String)} made of a line: a {@link Parsed} candidate or a
 * {@link Rejected} reason. Parsing never throws.
 *
 * <pre>{@code
 * switch (Candidate.parse(line)) {
 *     case CandidateParseResult.Parsed(Candidate c) -> agent.addRemoteCandidate(c, nowNs);
 *     case CandidateParseResult.Rejected r -> Logger.debug("bad candidate {}: {}", r.reason(), r.detail());
 * }
 * }</pre>
 */
public sealed interface CandidateParseResult {

    /** The line held a usable candidate. */
    record Parsed(Candidate candidate) implements CandidateParseResult {
    }

    /**
     * The line was refused.
     *
     * @param reason the kind of problem
     * @param detail the offending token or a short explanation, for logs
     */
    record Rejected(Reason reason, String detail) implements CandidateParseResult {
    }

    /** Why a candidate line was refused. */
    enum Reason {
        /** Too few tokens, a missing {@code typ}, an odd extension list, a token of the wrong shape, too long. */
        SYNTAX,
        /** The foundation is not 1-32 ice-chars. */
        BAD_FOUNDATION,
        /** The component is not 1 (zonegate uses one component, RFC 8843 bundling/rtcp-mux style). */
        UNSUPPORTED_COMPONENT,
        /** The transport is not UDP (e.g. TCP candidates of RFC 6544). */
        UNSUPPORTED_TRANSPORT,
        /** The priority is not 1 to 2^32 - 1. */
        BAD_PRIORITY,
        /** The connection address is not an IPv4 or IPv6 literal (FQDN and mDNS names are not resolved). */
        BAD_ADDRESS,
        /** The port is not 1 to 65535. */
        BAD_PORT,
        /** The cand-type is not host, srflx, prflx or relay. */
        UNKNOWN_TYPE,
        /** raddr or rport is malformed, or only one of them is present. */
        BAD_RELATED_ADDRESS
    }
}
