package zonegate.app.internal.dns;

/** What {@link UpstreamResolver#forward} got for a client's query. Switch over it exhaustively. */
public sealed interface ForwardResult {
    /** The upstream's response as it came, with the client's id put back; any rcode. */
    record Relayed(byte[] response) implements ForwardResult {
    }

    /** No usable response. */
    record Failed(UpstreamFailure reason) implements ForwardResult {
    }
}
