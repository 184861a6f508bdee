package zonegate.ice;

/**
 * What an {@link IceAgent} dropped or refused so far; a snapshot.
 *
 * @param malformed STUN datagrams that failed to parse, or responses with a missing or bad integrity
 * @param notForThisAgent Binding requests whose USERNAME does not start with our ufrag, responses to
 *                        unknown transactions, STUN of another method (left to the caller)
 * @param refusedChecks checks answered with an error: 400 (missing attribute), 401 (bad integrity),
 *                      487 (role conflict)
 * @param prunedPairs candidate pairs dropped over {@link IceConfig#maxPairs()}
 * @param ignoredCandidates remote candidates ignored (see {@link IgnoredReason})
 * @param droppedOutputs transmits or events dropped because a queue was full
 */
public record IceCounters(long malformed, long notForThisAgent, long refusedChecks, long prunedPairs,
        long ignoredCandidates, long droppedOutputs) {
}
