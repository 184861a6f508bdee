package zonegate.stun;

/**
 * What {@link StunParser#parse} made of some bytes: a {@link Parsed} message or a {@link Rejected}
 * reason. Switch over it exhaustively:
 *
 * <pre>{@code
 * switch (parser.parse(buffer, offset, length)) {
 *     case StunParseResult.Parsed(StunMessageView message) -> onStun(message);
 *     case StunParseResult.Rejected(StunRejection reason) -> dropped[reason.ordinal()]++;
 * }
 * }</pre>
 *
 * <p>No result is allocated per message: each parser owns one {@code Parsed} (wrapping its reusable
 * view) and there is one shared {@code Rejected} per {@link StunRejection}.
 */
public sealed interface StunParseResult {

    /** The message parsed; {@code message} is the parser's reusable view, valid until its next parse. */
    record Parsed(StunMessageView message) implements StunParseResult {
    }

    /** The bytes were refused, for {@code reason}. */
    record Rejected(StunRejection reason) implements StunParseResult {
        private static final Rejected[] BY_REASON = new Rejected[StunRejection.values().length];

        static {
            for (StunRejection reason : StunRejection.values()) {
                BY_REASON[reason.ordinal()] = new Rejected(reason);
            }
        }

        /** The shared instance for {@code reason}. */
        public static Rejected of(StunRejection reason) {
            return BY_REASON[reason.ordinal()];
        }
    }
}
