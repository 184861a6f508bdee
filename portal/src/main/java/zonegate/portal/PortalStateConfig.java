package zonegate.portal;

import java.time.Duration;

/**
 * The portal state's timers and bounds.
 *
 * @param heartbeatIntervalNs the peers' heartbeat interval; a peer silent for more than three is dropped
 * @param authorizationTimeoutNs how long a gateway has to answer a {@code create_authorization}
 * @param maxSessions most sessions at once; one more is closed at connect (4005)
 * @param maxQueuedFrames most frames handed to the transport for one session and not yet written
 *     ({@link PortalState#onWritten}); one more closes the session as too slow (4004)
 * @param relayCredentialLifetimeSeconds lifetime of the TURN credentials minted from a relay's secret;
 *     they are renewed at half of it
 */
public record PortalStateConfig(long heartbeatIntervalNs, long authorizationTimeoutNs, int maxSessions,
        int maxQueuedFrames, long relayCredentialLifetimeSeconds) {
    /** Heartbeats every 10 s, 10 s for a gateway's answer, 10,000 sessions, 4,096 frames each, 1 h credentials. */
    public static final PortalStateConfig DEFAULT = new PortalStateConfig(Duration.ofSeconds(10).toNanos(),
            Duration.ofSeconds(10).toNanos(), 10_000, 4096, 3600);

    public PortalStateConfig {
        if (heartbeatIntervalNs <= 0 || authorizationTimeoutNs <= 0 || maxSessions <= 0 || maxQueuedFrames <= 0
                || relayCredentialLifetimeSeconds < 2) {
            throw new IllegalArgumentException("portal limits must be positive");
        }
    }

    /** This config with another heartbeat interval. */
    public PortalStateConfig withHeartbeatIntervalNs(long intervalNs) {
        return new PortalStateConfig(intervalNs, authorizationTimeoutNs, maxSessions, maxQueuedFrames,
                relayCredentialLifetimeSeconds);
    }
}
