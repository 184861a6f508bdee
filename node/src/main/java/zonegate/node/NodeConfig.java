package zonegate.node;

import java.time.Duration;
import zonegate.ice.IceConfig;
import zonegate.wireguard.AeadChoice;

/**
 * A node's settings. Start from {@link #client()} or {@link #server()}.
 *
 * @param role client or server (gateway)
 * @param ice the ICE profile of every connection (client or gateway profile)
 * @param maxConnections bound of the connection table (1 to 65,536; an upsert beyond it throws)
 * @param bufferedPacketsPerConnection client: packets kept per connecting connection (128); the
 *     oldest is dropped beyond it
 * @param handshakesPerSecond node-wide rate of WireGuard handshake messages beyond which initiations
 *     need a valid mac2 (answered with a cookie reply otherwise) (100)
 * @param idleAfterNs no packet in or out for this long makes a connection idle (20 s)
 * @param maxTransmits bound of the transmit queue (4096)
 * @param maxEvents bound of the event queue (4096)
 * @param mtuBytes the tunnel MTU (1280): the largest IP packet buffered or encapsulated
 * @param aead the WireGuard transport AEAD ({@link AeadChoice#AUTO})
 */
public record NodeConfig(NodeRole role, IceConfig ice, int maxConnections, int bufferedPacketsPerConnection,
        int handshakesPerSecond, long idleAfterNs, int maxTransmits, int maxEvents, int mtuBytes, AeadChoice aead) {

    /** The ICE idle threshold, from the reference system. */
    public static final long IDLE_AFTER_NS = Duration.ofSeconds(20).toNanos();

    public NodeConfig {
        if (role == null || ice == null || aead == null) {
            throw new IllegalArgumentException("role, ice and aead are required");
        }
        if (maxConnections < 1 || maxConnections > 65_536 || bufferedPacketsPerConnection < 0
                || bufferedPacketsPerConnection > 4096 || handshakesPerSecond < 1 || idleAfterNs <= 0
                || maxTransmits < 1 || maxEvents < 1 || mtuBytes < 1280 || mtuBytes > 65_535) {
            throw new IllegalArgumentException("node bounds out of range: " + this);
        }
    }

    /** A client: client ICE profile, 128 buffered packets per connecting connection. */
    public static NodeConfig client() {
        return new NodeConfig(NodeRole.CLIENT, IceConfig.client(), 4096, 128, 100, IDLE_AFTER_NS, 4096, 4096, 1280,
                AeadChoice.AUTO);
    }

    /** A server (gateway): gateway ICE profile; nothing buffered. */
    public static NodeConfig server() {
        return new NodeConfig(NodeRole.SERVER, IceConfig.gateway(), 65_536, 0, 100, IDLE_AFTER_NS, 4096, 4096, 1280,
                AeadChoice.AUTO);
    }

    /** With another connection bound. */
    public NodeConfig withMaxConnections(int value) {
        return new NodeConfig(role, ice, value, bufferedPacketsPerConnection, handshakesPerSecond, idleAfterNs,
                maxTransmits, maxEvents, mtuBytes, aead);
    }

    /** With another WireGuard transport AEAD. */
    public NodeConfig withAead(AeadChoice value) {
        return new NodeConfig(role, ice, maxConnections, bufferedPacketsPerConnection, handshakesPerSecond,
                idleAfterNs, maxTransmits, maxEvents, mtuBytes, value);
    }

    /** With another ICE profile (tests shorten timers). */
    public NodeConfig withIce(IceConfig value) {
        return new NodeConfig(role, value, maxConnections, bufferedPacketsPerConnection, handshakesPerSecond,
                idleAfterNs, maxTransmits, maxEvents, mtuBytes, aead);
    }
}
