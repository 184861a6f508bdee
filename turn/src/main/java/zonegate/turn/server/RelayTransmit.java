package zonegate.turn.server;

import java.net.InetSocketAddress;

/**
 * One datagram for the shell to send, from {@link RelayServer#pollTransmit()}.
 *
 * <p>Buffer scheme of this first slice: {@code bytes} is a fresh copy owned by the caller (one
 * allocation per relayed datagram); a later slice moves to pooled buffers without changing the
 * meaning of the fields.
 *
 * @param relayPort the relayed transport address's port to send from, or {@link #LISTEN_SOCKET} for the
 *     server's listen socket (responses, Data indications and ChannelData to clients)
 * @param destination where to send it: a client (from the listen socket) or a peer (from a relay port)
 * @param bytes the whole datagram
 */
public record RelayTransmit(int relayPort, InetSocketAddress destination, byte[] bytes) {
    /** {@link #relayPort()} value meaning "from the listen socket". */
    public static final int LISTEN_SOCKET = 0;

    /** Whether this leaves from the listen socket (to a client) rather than from a relay port (to a peer). */
    public boolean fromListenSocket() {
        return relayPort == LISTEN_SOCKET;
    }
}
