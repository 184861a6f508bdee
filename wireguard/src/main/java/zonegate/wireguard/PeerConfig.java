package zonegate.wireguard;

import java.time.Duration;
import java.util.Objects;

/**
 * One peer's settings. Build with {@link #of(PublicKey)} and the {@code with*} methods.
 *
 * @param publicKey the peer's static public key (its identity)
 * @param presharedKey the optional preshared key, or null for none
 * @param role whether our side may start handshakes with this peer
 * @param persistentKeepaliveIntervalNs send a keepalive after this long without sending; 0 = off
 *     (the default). A responder-only peer sends it only while it has a session.
 * @param rekeyAttemptTimeNs how long to retry a handshake before giving up, or 0 for the device default
 */
public record PeerConfig(PublicKey publicKey, PresharedKey presharedKey, PeerRole role,
        long persistentKeepaliveIntervalNs, long rekeyAttemptTimeNs) {

    /** The rekey-attempt time for connections made over ICE (20 s). */
    public static final long ICE_REKEY_ATTEMPT_TIME_NS = Duration.ofSeconds(20).toNanos();

    public PeerConfig {
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(role, "role");
        if (persistentKeepaliveIntervalNs < 0 || rekeyAttemptTimeNs < 0) {
            throw new IllegalArgumentException("intervals must not be negative");
        }
    }

    /** An initiator peer with no preshared key, no persistent keepalive and the default attempt time. */
    public static PeerConfig of(PublicKey publicKey) {
        return new PeerConfig(publicKey, null, PeerRole.INITIATOR, 0, 0);
    }

    public PeerConfig withPresharedKey(PresharedKey key) {
        return new PeerConfig(publicKey, key, role, persistentKeepaliveIntervalNs, rekeyAttemptTimeNs);
    }

    public PeerConfig withRole(PeerRole newRole) {
        return new PeerConfig(publicKey, presharedKey, newRole, persistentKeepaliveIntervalNs, rekeyAttemptTimeNs);
    }

    public PeerConfig withPersistentKeepaliveIntervalNs(long ns) {
        return new PeerConfig(publicKey, presharedKey, role, ns, rekeyAttemptTimeNs);
    }

    public PeerConfig withRekeyAttemptTimeNs(long ns) {
        return new PeerConfig(publicKey, presharedKey, role, persistentKeepaliveIntervalNs, ns);
    }
}
