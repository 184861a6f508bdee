package zonegate.portal;

/**
 * A snapshot of the portal state's counters.
 *
 * @param sessions sessions open now
 * @param refusedTooManySessions connections closed at once because {@link PortalStateConfig#maxSessions()} were open
 * @param closedTooSlow sessions closed because they did not keep up with their frames
 * @param closedHeartbeatTimeout sessions closed after more than three silent heartbeat intervals
 * @param ignoredFrames frames dropped as out of place (before join, of another role, a bad secret)
 */
public record PortalCounters(long sessions, long refusedTooManySessions, long closedTooSlow,
        long closedHeartbeatTimeout, long ignoredFrames) {
}
