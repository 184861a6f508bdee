package zonegate.controlplane;

/**
 * A snapshot of a portal connection's counters, each counted since the session started.
 *
 * @param connects sockets opened (upgrades that succeeded)
 * @param disconnects connections and connection attempts that ended with a reconnect scheduled
 * @param refused refusals (0 or 1: a refusal is terminal)
 * @param heartbeatsMissed heartbeats still unanswered when the next one was due
 * @param framesDropped received texts dropped: not a frame ({@link DecodeResult.Rejected}), an event this
 *        role does not know, or a text over {@link PortalCodec#MAX_TEXT_CHARS} characters
 * @param queueDrops outbound messages dropped: the oldest queued when the queue was full, or messages
 *        still queued when the session was refused or closed
 */
public record PortalCounters(long connects, long disconnects, long refused, long heartbeatsMissed,
        long framesDropped, long queueDrops) {
}
