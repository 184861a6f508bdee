package zonegate.ice;

/**
 * The timing and bounds of an {@link IceAgent}. All durations are in nanoseconds. Use a profile,
 * {@link #client()} or {@link #gateway()}, and adjust it with the {@code with*} methods.
 *
 * <h2>Check retransmissions</h2>
 * A check (and a consent check) is sent at {@code t0}; retransmission {@code k} (1..{@code
 * checkRetransmits}) follows the previous send by {@code rto(k) = min(checkInitialRtoNs * 2^(k-1),
 * checkMaxRtoNs)}; the transaction fails {@code rto(checkRetransmits + 1)} after the last
 * retransmission, i.e. {@link #checkTimeoutNs()} after {@code t0}. Intervals are measured from the
 * scheduled instants, so a late wake-up does not shift the schedule.
 *
 * <table>
 * <caption>Profiles (from the reference system, Firezone)</caption>
 * <tr><th>profile</th><th>RTO ladder</th><th>retransmits</th><th>sends at (ms)</th><th>fails at</th></tr>
 * <tr><td>client</td><td>250, 500, 1000, then 1500</td><td>12</td>
 *     <td>0, 250, 750, 1750, 3250, 4750, ... 15250</td><td>16 750 ms</td></tr>
 * <tr><td>gateway</td><td>250, then 325</td><td>45</td>
 *     <td>0, 250, 575, 900, ... 14550</td><td>14 875 ms</td></tr>
 * </table>
 *
 * <h2>Connected</h2>
 * Once a pair is nominated, a consent check (RFC 7675) goes over it {@code consentIntervalNs} after the
 * previous one was sent (one at a time). When no traffic ({@link IceAgent#noteTraffic}) has crossed the
 * selected pair for {@code idleAfterNs}, the interval becomes {@code idleKeepaliveIntervalNs}. A
 * consent check that times out makes the agent DISCONNECTED; an answer within {@code
 * disconnectGraceNs} makes it CONNECTED again, otherwise it FAILS. An idle connection is more patient
 * (the reference's idle profile, and RFC 7675's 30 s at least): a consent check that times out while
 * idle disconnects only once no consent answer has come for {@code idleConsentTimeoutNs}; before that
 * the next check simply follows at the idle interval. Traffic makes the next timeout disconnect at once.
 *
 * @param pacingNs Ta: at most one new check (triggered first) per interval (RFC 8445 section 6.1.4.2)
 * @param checkInitialRtoNs first retransmission timeout
 * @param checkMaxRtoNs cap of the doubling retransmission timeout
 * @param checkRetransmits retransmissions after the first send
 * @param nominationDelayNs controlling agent: how long after the first valid pair it waits for a better
 *        pair before nominating the best valid one (it nominates at once when no better pair is pending)
 * @param consentIntervalNs consent check interval while traffic flows
 * @param idleAfterNs no traffic for this long makes the connection idle
 * @param idleKeepaliveIntervalNs consent check interval while idle
 * @param idleConsentTimeoutNs while idle, how long without a consent answer before a timed-out consent
 *        check disconnects; {@code 0}: at the first timed-out check, as while active
 * @param candidateTimeoutNs no remote candidate at all this long after creation fails the agent
 * @param disconnectGraceNs how long DISCONNECTED lasts before FAILED
 * @param maxPairs most candidate pairs kept; lower-priority pairs beyond it are dropped and counted
 */
public record IceConfig(long pacingNs, long checkInitialRtoNs, long checkMaxRtoNs, int checkRetransmits,
        long nominationDelayNs, long consentIntervalNs, long idleAfterNs, long idleKeepaliveIntervalNs,
        long idleConsentTimeoutNs, long candidateTimeoutNs, long disconnectGraceNs, int maxPairs) {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000_000_000L;

    /**
     * @throws IllegalArgumentException for a non-positive duration or bound (a negative {@code
     *         idleConsentTimeoutNs}), or an RTO cap below the initial RTO
     */
    public IceConfig {
        positive("pacingNs", pacingNs);
        positive("checkInitialRtoNs", checkInitialRtoNs);
        positive("checkMaxRtoNs", checkMaxRtoNs);
        positive("consentIntervalNs", consentIntervalNs);
        positive("idleAfterNs", idleAfterNs);
        positive("idleKeepaliveIntervalNs", idleKeepaliveIntervalNs);
        positive("candidateTimeoutNs", candidateTimeoutNs);
        positive("disconnectGraceNs", disconnectGraceNs);
        positive("maxPairs", maxPairs);
        if (nominationDelayNs < 0 || idleConsentTimeoutNs < 0 || checkRetransmits < 0 || checkRetransmits > 1000) {
            throw new IllegalArgumentException(
                    "nominationDelayNs >= 0, idleConsentTimeoutNs >= 0 and 0 <= checkRetransmits <= 1000");
        }
        if (checkMaxRtoNs < checkInitialRtoNs) {
            throw new IllegalArgumentException("checkMaxRtoNs must be >= checkInitialRtoNs");
        }
    }

    /**
     * The client profile: Ta 50 ms; checks 250 ms doubling to 1.5 s, 12 retransmits (fail after
     * 16.75 s); nominate 500 ms after the first valid pair at the latest; consent every 5 s, every 25 s
     * after 20 s idle; idle, consent lost only after 100 s without an answer (the reference's idle
     * client profile: 4 retransmissions of 25 s); 10 s candidate timeout; 2 s disconnect grace; 100 pairs.
     */
    public static IceConfig client() {
        return new IceConfig(50 * MS, 250 * MS, 1500 * MS, 12, 500 * MS, 5 * S, 20 * S, 25 * S, 100 * S, 10 * S, 2 * S,
                100);
    }

    /**
     * The gateway profile: as {@link #client()} but checks 250 ms then every 325 ms, 45 retransmits
     * (fail after 14.875 s, within the reference system's 15 s), and no idle patience ({@code
     * idleConsentTimeoutNs} 0): a gateway notices a client gone at its first unanswered check, idle or not.
     */
    public static IceConfig gateway() {
        return client().withCheckSchedule(250 * MS, 325 * MS, 45).withIdleConsentTimeoutNs(0);
    }

    /** The retransmission timeout before retransmission {@code k} (1-based), or before giving up. */
    public long rtoNs(int k) {
        long rto = checkInitialRtoNs;
        for (int i = 1; i < k && rto < checkMaxRtoNs; i++) {
            rto = rto > checkMaxRtoNs / 2 ? checkMaxRtoNs : Math.min(rto * 2, checkMaxRtoNs);
        }
        return rto;
    }

    /** How long after its first send a check transaction fails: the sum of {@code rto(1..retransmits+1)}. */
    public long checkTimeoutNs() {
        long total = 0;
        for (int k = 1; k <= checkRetransmits + 1; k++) {
            total += rtoNs(k);
        }
        return total;
    }

    /** With another check retransmission schedule. */
    public IceConfig withCheckSchedule(long initialRtoNs, long maxRtoNs, int retransmits) {
        return new IceConfig(pacingNs, initialRtoNs, maxRtoNs, retransmits, nominationDelayNs, consentIntervalNs,
                idleAfterNs, idleKeepaliveIntervalNs, idleConsentTimeoutNs, candidateTimeoutNs, disconnectGraceNs,
                maxPairs);
    }

    /** With another Ta. */
    public IceConfig withPacingNs(long value) {
        return new IceConfig(value, checkInitialRtoNs, checkMaxRtoNs, checkRetransmits, nominationDelayNs,
                consentIntervalNs, idleAfterNs, idleKeepaliveIntervalNs, idleConsentTimeoutNs, candidateTimeoutNs,
                disconnectGraceNs, maxPairs);
    }

    /** With another nomination delay. */
    public IceConfig withNominationDelayNs(long value) {
        return new IceConfig(pacingNs, checkInitialRtoNs, checkMaxRtoNs, checkRetransmits, value,
                consentIntervalNs, idleAfterNs, idleKeepaliveIntervalNs, idleConsentTimeoutNs, candidateTimeoutNs,
                disconnectGraceNs, maxPairs);
    }

    /** With other consent intervals: while active, the idle threshold and while idle. */
    public IceConfig withConsent(long intervalNs, long idleAfter, long idleIntervalNs) {
        return new IceConfig(pacingNs, checkInitialRtoNs, checkMaxRtoNs, checkRetransmits, nominationDelayNs,
                intervalNs, idleAfter, idleIntervalNs, idleConsentTimeoutNs, candidateTimeoutNs, disconnectGraceNs, maxPairs);
    }

    /** With another idle consent timeout ({@code 0}: an idle connection disconnects as an active one). */
    public IceConfig withIdleConsentTimeoutNs(long value) {
        return new IceConfig(pacingNs, checkInitialRtoNs, checkMaxRtoNs, checkRetransmits, nominationDelayNs,
                consentIntervalNs, idleAfterNs, idleKeepaliveIntervalNs, value, candidateTimeoutNs, disconnectGraceNs,
                maxPairs);
    }

    /** With another candidate timeout. */
    public IceConfig withCandidateTimeoutNs(long value) {
        return new IceConfig(pacingNs, checkInitialRtoNs, checkMaxRtoNs, checkRetransmits, nominationDelayNs,
                consentIntervalNs, idleAfterNs, idleKeepaliveIntervalNs, idleConsentTimeoutNs, value, disconnectGraceNs,
                maxPairs);
    }

    /** With another disconnect grace period. */
    public IceConfig withDisconnectGraceNs(long value) {
        return new IceConfig(pacingNs, checkInitialRtoNs, checkMaxRtoNs, checkRetransmits, nominationDelayNs,
                consentIntervalNs, idleAfterNs, idleKeepaliveIntervalNs, idleConsentTimeoutNs, candidateTimeoutNs, value,
                maxPairs);
    }

    /** With another pair bound. */
    public IceConfig withMaxPairs(int value) {
        return new IceConfig(pacingNs, checkInitialRtoNs, checkMaxRtoNs, checkRetransmits, nominationDelayNs,
                consentIntervalNs, idleAfterNs, idleKeepaliveIntervalNs, idleConsentTimeoutNs, candidateTimeoutNs,
                disconnectGraceNs, value);
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
