package zonegate.node;

/**
 * The state of one connection.
 *
 * <pre>
 *  CONNECTING --pair nominated AND WireGuard handshake done--&gt; CONNECTED
 *  CONNECTED  --no packet in or out for 20 s------------------&gt; IDLE
 *  IDLE       --any packet, upsert or candidate change--------&gt; CONNECTED
 * </pre>
 *
 * A connection ends with {@link NodeEvent.ConnectionFailed} or {@link NodeEvent.ConnectionClosed}
 * and is then gone.
 */
public enum ConnectionState {
    /** ICE is checking, or the pair is nominated and WireGuard is handshaking. */
    CONNECTING,
    /** A pair is nominated and a WireGuard session is up. */
    CONNECTED,
    /** Connected, but no packet crossed it for the idle time; the ICE agent checks consent every 25 s. */
    IDLE
}
