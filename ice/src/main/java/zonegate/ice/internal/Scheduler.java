package zonegate.ice.internal;

import java.util.ArrayList;
import java.util.List;
import zonegate.ice.IceFailure;
import zonegate.ice.IceRole;
import zonegate.ice.IceState;
import zonegate.ice.IceTimeout;

/**
 * Everything time-driven: retransmissions and transaction timeouts, the candidate timeout, the
 * disconnect grace, nomination, consent and the Ta pacing of new checks. {@link #run} is called after
 * every input and on every timeout, so work that is due "now" never waits for a wake-up.
 */
public final class Scheduler {
    private final AgentCore core;
    private final Inbound inbound;
    private final List<Check> resend = new ArrayList<>();
    private final List<Check> timedOut = new ArrayList<>();

    public Scheduler(AgentCore core, Inbound inbound) {
        this.core = core;
        this.inbound = inbound;
    }

    /** Does whatever is due at {@code nowNs}. */
    public void run(long nowNs) {
        if (core.state == IceState.FAILED) {
            return;
        }
        retransmit(nowNs);
        if (core.selected == null && core.remoteCandidates.isEmpty()
                && nowNs - core.createdNs >= core.config.candidateTimeoutNs()) {
            core.fail(IceFailure.NO_REMOTE_CANDIDATES);
        }
        if (core.state == IceState.DISCONNECTED && nowNs - core.disconnectedAtNs >= core.config.disconnectGraceNs()) {
            core.fail(IceFailure.CONSENT_LOST);
        }
        if (core.state == IceState.FAILED) {
            return;
        }
        nominate(nowNs);
        consent(nowNs);
        pace(nowNs);
        core.checkAllFailed();
    }

    /** The earliest deadline, or {@code null} when nothing is pending. */
    public IceTimeout next() {
        if (core.state == IceState.FAILED) {
            return null;
        }
        long best = core.checks.deadlineNs();
        IceTimeout.Reason reason = IceTimeout.Reason.RETRANSMIT;
        if (core.selected == null && core.remoteCandidates.isEmpty()) {
            long at = core.createdNs + core.config.candidateTimeoutNs();
            if (at < best) {
                best = at;
                reason = IceTimeout.Reason.CANDIDATE_TIMEOUT;
            }
        }
        if (core.state == IceState.DISCONNECTED) {
            long at = core.disconnectedAtNs + core.config.disconnectGraceNs();
            if (at < best) {
                best = at;
                reason = IceTimeout.Reason.DISCONNECT_GRACE;
            }
        }
        if (nominationPending()) {
            long at = core.firstValidNs + core.config.nominationDelayNs();
            if (at < best) {
                best = at;
                reason = IceTimeout.Reason.NOMINATION;
            }
        }
        if (core.selected != null && !core.checks.has(Check.Kind.CONSENT)) {
            long at = nextConsentNs();
            if (at < best) {
                best = at;
                reason = IceTimeout.Reason.CONSENT;
            }
        }
        if (pacingPending() && core.nextPaceNs < best) {
            best = core.nextPaceNs;
            reason = IceTimeout.Reason.PACING;
        }
        return best == Long.MAX_VALUE ? null : new IceTimeout(best, reason);
    }

    private void retransmit(long nowNs) {
        resend.clear();
        timedOut.clear();
        core.checks.onTimeout(nowNs, resend, timedOut);
        for (Check c : resend) {
            core.transmit(c.pair.local.address(), c.pair.remote.address(), c.bytes);
        }
        for (Check c : timedOut) {
            inbound.onFailure(c, true, nowNs);
        }
    }

    /**
     * Regular nomination (RFC 8445 section 8.1.1): the controlling agent nominates the best valid pair
     * once no better pair is still pending, or {@code nominationDelayNs} after the first valid pair.
     */
    private void nominate(long nowNs) {
        if (!nominationPossible()) {
            return;
        }
        Pair best = core.checkList.bestValid();
        if (best == null) {
            return;
        }
        if (core.checkList.betterPending(best) && nowNs - core.firstValidNs < core.config.nominationDelayNs()) {
            return;
        }
        core.nominating = best;
        core.sendCheck(best, Check.Kind.NOMINATION, nowNs);
    }

    private boolean nominationPossible() {
        return core.role == IceRole.CONTROLLING && core.selected == null && core.nominating == null
                && core.remoteKey != null;
    }

    private boolean nominationPending() {
        return nominationPossible() && core.firstValidNs >= 0 && core.checkList.bestValid() != null;
    }

    private void consent(long nowNs) {
        if (core.selected == null || core.checks.has(Check.Kind.CONSENT) || nowNs < nextConsentNs()) {
            return;
        }
        core.sendCheck(core.selected, Check.Kind.CONSENT, nowNs);
        core.lastConsentSentNs = nowNs;
    }

    /**
     * The next consent check: {@code consentIntervalNs} after the last one if the connection is still
     * active then (traffic within {@code idleAfterNs}), else {@code idleKeepaliveIntervalNs} after it.
     */
    private long nextConsentNs() {
        long active = core.lastConsentSentNs + core.config.consentIntervalNs();
        return active - core.lastTrafficNs < core.config.idleAfterNs()
                ? active : core.lastConsentSentNs + core.config.idleKeepaliveIntervalNs();
    }

    /** RFC 8445 section 6.1.4.2: one new check per Ta, the triggered queue first. */
    private void pace(long nowNs) {
        if (!pacingPending() || nowNs < core.nextPaceNs) {
            return;
        }
        Pair pair = core.checkList.next();
        if (pair != null) {
            core.sendCheck(pair, Check.Kind.CONNECTIVITY, nowNs);
            core.nextPaceNs = nowNs + core.config.pacingNs();
        }
    }

    private boolean pacingPending() {
        return core.selected == null && core.remoteKey != null && core.checkList.hasWork();
    }
}
