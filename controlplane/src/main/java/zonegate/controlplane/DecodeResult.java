package zonegate.controlplane;

/** What {@link PortalCodec#decode} made of a text. Switch over it exhaustively. */
public sealed interface DecodeResult {
    /** A message of the direction asked for. */
    record Decoded(Frame frame) implements DecodeResult {
    }

    /**
     * A well-formed frame whose event this direction does not know (a newer peer): log it and go on.
     */
    record UnknownEvent(String topic, String ref, String event) implements DecodeResult {
    }

    /** Not a frame, or a payload that does not have the event's fields, with the reason (never thrown). */
    record Rejected(String reason) implements DecodeResult {
    }
}
