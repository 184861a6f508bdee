package zonegate.packet;

/**
 * What {@link PacketParser#parse} made of some bytes: a {@link Parsed} packet or a {@link Rejected}
 * reason. Switch over it exhaustively:
 *
 * <pre>{@code
 * switch (parser.parse(buffer, offset, length)) {
 *     case ParseResult.Parsed(IpPacket packet) -> forward(packet);
 *     case ParseResult.Rejected(Rejection reason) -> dropped[reason.ordinal()]++;
 * }
 * }</pre>
 *
 * <p>No result is allocated per packet: each parser owns one {@code Parsed} (wrapping its reusable
 * {@link IpPacket}), and there is one shared {@code Rejected} per {@link Rejection}.
 */
public sealed interface ParseResult {

    /** The packet parsed; {@code packet} is the parser's reusable packet, valid until its next parse. */
    record Parsed(IpPacket packet) implements ParseResult {
    }

    /** The packet was refused, for {@code reason}. */
    record Rejected(Rejection reason) implements ParseResult {
        private static final Rejected[] BY_REASON = new Rejected[Rejection.values().length];

        static {
            for (Rejection reason : Rejection.values()) {
                BY_REASON[reason.ordinal()] = new Rejected(reason);
            }
        }

        /** The shared instance for {@code reason}. */
        public static Rejected of(Rejection reason) {
            return BY_REASON[reason.ordinal()];
        }
    }
}
