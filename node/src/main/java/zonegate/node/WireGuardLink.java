package zonegate.node;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.wireguard.Action;
import zonegate.wireguard.Device;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.TunnelEvent;
import zonegate.wireguard.TunnelResult;
import zonegate.wireguard.WireGuardConfig;

/**
 * The node's one WireGuard {@link Device} (every connection is a peer of it, so it demultiplexes by
 * receiver index and initiations by static key), and the paths between it and the connections: the
 * client's flush on nomination, timer output sent over each connection's nominated pair, and device
 * events turned into connection state.
 */
final class WireGuardLink {
    private final NodeConfig config;
    private final Outbox outbox;
    private final InstantSource wallClock;
    private final SecureRandom secureRandom;
    private final RandomGenerator random;
    private final ByteBuffer scratch;
    private final TunnelResult result = new TunnelResult();
    private Device device;
    private Paths paths;
    private Connections connections;

    WireGuardLink(NodeConfig config, Outbox outbox, InstantSource wallClock, SecureRandom secureRandom,
            RandomGenerator random) {
        this.config = config;
        this.outbox = outbox;
        this.wallClock = wallClock;
        this.secureRandom = secureRandom;
        this.random = random;
        this.scratch = ByteBuffer.allocate(config.mtuBytes() + 256);
    }

    void wire(Paths newPaths, Connections newConnections) {
        this.paths = newPaths;
        this.connections = newConnections;
    }

    /** Makes a new device with {@code key} (at start and on reset: peers are gone with the old one). */
    void newDevice(PrivateKey key, long nowNs) {
        WireGuardConfig d = WireGuardConfig.DEFAULT;
        // The client hands its buffer (up to bufferedPacketsPerConnection) to the tunnel at nomination,
        // so the tunnel's handshake queue must hold as many.
        WireGuardConfig wg = new WireGuardConfig(d.rekeyAfterMessages(), d.rejectAfterMessages(), d.rekeyAfterTimeNs(),
                d.rejectAfterTimeNs(), d.rekeyAttemptTimeNs(), d.rekeyTimeoutNs(), d.rekeyTimeoutJitterMaxNs(),
                d.keepaliveTimeoutNs(), d.cookieRefreshTimeNs(), d.initiatorSendMarginNs(),
                Math.max(d.maxQueuedPacketsPerPeer(), config.bufferedPacketsPerConnection()),
                d.minInitiationIntervalNs(), config.handshakesPerSecond(), d.handshakeRateLimit(),
                config.maxConnections(), d.maxEvents(), config.mtuBytes(), config.aead());
        device = new Device(key, wg, wallClock, secureRandom, random, nowNs);
    }

    Device device() {
        return device;
    }

    TunnelResult result() {
        return result;
    }

    /** Client: the pair is nominated; hand the buffered packets to the tunnel (the first starts the handshake). */
    void onNominated(Connection c, long nowNs) {
        if (c.buffer == null) {
            return;
        }
        int flushed = c.buffer.size();
        for (ByteBuffer p; (p = c.buffer.poll()) != null; ) {
            seal(c, p, nowNs);
        }
        if (flushed > 0) {
            Logger.debug("peer={} nominated: {} buffered packets handed to WireGuard", c.peerId, flushed);
        } else {
            seal(c, keepaliveProbe(), nowNs);
        }
    }

    /** Encrypts {@code packet} for {@code c} and queues what WireGuard writes over the nominated pair. */
    boolean seal(Connection c, ByteBuffer packet, long nowNs) {
        Action a = c.tunnel.encapsulate(packet, scratch.clear(), nowNs, result);
        if (a == Action.WRITE_TO_NETWORK) {
            return sendOverPair(c, scratch.flip(), nowNs);
        }
        if (a == Action.DROPPED) {
            outbox.count(NodeCounter.WIREGUARD_OUTBOUND);
        }
        return a == Action.QUEUED;
    }

    boolean sendOverPair(Connection c, ByteBuffer datagram, long nowNs) {
        if (c.pair == null) {
            outbox.count(NodeCounter.NO_PATH);
            return false;
        }
        return paths.send(c.pair.localAddress(), c.pair.remoteAddress(), datagram, nowNs);
    }

    /** Runs due WireGuard timers (only due peers are visited) and sends what they write. */
    void handleTimeout(long nowNs) {
        while (device.handleTimeout(nowNs, scratch.clear(), result) == Action.WRITE_TO_NETWORK) {
            Connection c = connections.byKey(result.tunnel().publicKey());
            if (c != null) {
                sendOverPair(c, scratch.flip(), nowNs);
            }
        }
        drainEvents();
    }

    void drainEvents() {
        for (TunnelEvent e; (e = device.pollEvent()) != null; ) {
            Connection c = connections.byKey(e.peer());
            if (c == null) {
                continue;
            }
            switch (e) {
                case TunnelEvent.SessionEstablished s -> connections.onSessionEstablished(c);
                case TunnelEvent.HandshakeExpired h -> connections.fail(c, FailureReason.HANDSHAKE_TIMEOUT);
                case TunnelEvent.SessionExpired s -> connections.onSessionLost(c);
                case TunnelEvent.KeysErased k -> connections.onSessionLost(c);
            }
        }
    }

    // With nothing buffered the client still initiates at nomination: the empty packet it queues goes out
    // as a keepalive once the session is up, which also confirms the session to the responder.
    private static ByteBuffer keepaliveProbe() {
        return ByteBuffer.allocate(0);
    }
}
