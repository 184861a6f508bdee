package zonegate.stun;

/**
 * What {@link ChannelDataView#parse} made of some bytes: the {@link Parsed} view or a {@link Rejected}
 * reason. No result is allocated per message.
 */
public sealed interface ChannelDataResult {

    /** The message parsed; {@code message} is the reusable view, valid until its next parse. */
    record Parsed(ChannelDataView message) implements ChannelDataResult {
    }

    /** The bytes were refused, for {@code reason}. */
    record Rejected(StunRejection reason) implements ChannelDataResult {
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
