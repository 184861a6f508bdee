package zonegate.node;

/** The outcome of {@link P2pControl#parse}. */
public sealed interface P2pParseResult {

    /** A control message. */
    record Parsed(P2pMessage message) implements P2pParseResult {
    }

    /** A control packet of a type this version does not know (to be logged at DEBUG and ignored). */
    record UnknownType(int type) implements P2pParseResult {
    }

    /** A control packet whose header or body is malformed. */
    record Rejected(String reason) implements P2pParseResult {
    }

    /** Not a control packet: an ordinary IP packet for the TUN device. */
    record NotControl() implements P2pParseResult {
    }
}
