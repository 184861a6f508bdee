package zonegate.ice.internal;

import static zonegate.stun.StunAttributeType.ICE_CONTROLLED;
import static zonegate.stun.StunAttributeType.ICE_CONTROLLING;
import static zonegate.stun.StunAttributeType.MESSAGE_INTEGRITY;
import static zonegate.stun.StunAttributeType.USE_CANDIDATE;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.tinylog.Logger;
import zonegate.ice.Candidate;
import zonegate.ice.IceRole;
import zonegate.ice.IceState;
import zonegate.stun.DatagramKind;
import zonegate.stun.IntegrityCheck;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMethod;
import zonegate.stun.StunParseResult;
import zonegate.stun.StunParser;

/**
 * Incoming Binding requests (RFC 8445 section 7.3) and responses (section 7.2.5). Never throws on
 * the bytes: what is malformed, unauthenticated or not for this agent is dropped and counted.
 */
public final class Inbound {
    private final AgentCore core;
    private final Candidates candidates;
    private final StunParser parser = new StunParser();
    private final int[] unknown = new int[StunMessageView.MAX_ATTRIBUTES];

    public Inbound(AgentCore core, Candidates candidates) {
        this.core = core;
        this.candidates = candidates;
    }

    /** See {@link zonegate.ice.IceAgent#handleInput}. */
    public boolean onDatagram(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        if (core.state == IceState.FAILED) {
            return false;
        }
        int offset = datagram.position();
        int length = datagram.remaining();
        if (DatagramKind.classify(datagram, offset, length) != DatagramKind.STUN) {
            return false;
        }
        return switch (parser.parse(datagram, offset, length)) {
            case StunParseResult.Rejected(var reason) -> {
                core.malformed++;
                Logger.trace("{}: STUN from {} dropped: {}", core.tag, from, reason);
                yield false;
            }
            case StunParseResult.Parsed(var message) -> onStun(local, from, message, nowNs);
        };
    }

    private boolean onStun(InetSocketAddress local, InetSocketAddress from, StunMessageView m, long nowNs) {
        if (m.methodCode() != StunMethod.BINDING.code()) {
            core.notForThisAgent++;
            return false;
        }
        return switch (m.messageClass()) {
            case REQUEST -> onRequest(local, from, m, nowNs);
            case SUCCESS_RESPONSE, ERROR_RESPONSE -> onResponse(local, from, m, nowNs);
            case INDICATION -> false;
        };
    }

    // ---- requests

    private boolean onRequest(InetSocketAddress local, InetSocketAddress from, StunMessageView m, long nowNs) {
        String username = m.username();
        int colon = username == null ? -1 : username.indexOf(':');
        String target = colon < 0 ? username : username.substring(0, colon);
        if (target == null || !target.equals(core.local.ufrag())) {
            core.notForThisAgent++;
            return false;
        }
        if (!m.has(MESSAGE_INTEGRITY)) {
            return refuse(local, from, m, 400, "Bad Request", null);
        }
        if (m.verifyMessageIntegrity(core.localKey) != IntegrityCheck.VALID) {
            return refuse(local, from, m, 401, "Unauthenticated", null);
        }
        int unknownCount = m.unknownComprehensionRequired(unknown);
        if (unknownCount > 0) {
            core.refusedChecks++;
            Logger.trace("{}: check from {} refused with 420", core.tag, from);
            core.transmit(local, from, core.messages.unknownAttributes(m, unknown, unknownCount, core.localKey));
            return true;
        }
        if (colon < 0 || m.priority() < 1 || m.has(ICE_CONTROLLING) == m.has(ICE_CONTROLLED)) {
            return refuse(local, from, m, 400, "Bad Request", core.localKey);
        }
        if (conflict(m)) {
            return refuse(local, from, m, 487, "Role Conflict", core.localKey);
        }
        core.transmit(local, from, core.messages.success(m, from, core.localKey));
        onCheck(local, from, m.priority(), m.has(USE_CANDIDATE), nowNs);
        return true;
    }

    /**
     * RFC 8445 section 7.3.1.1: with the same role claimed, the larger tie-breaker (unsigned) is
     * controlling; the loser switches now, or the winner answers 487.
     *
     * @return whether to answer 487
     */
    private boolean conflict(StunMessageView m) {
        if (core.role == IceRole.CONTROLLING && m.has(ICE_CONTROLLING)) {
            if (Long.compareUnsigned(core.tieBreaker, m.iceControllingTieBreaker()) >= 0) {
                return true;
            }
            core.switchRole(IceRole.CONTROLLED);
        } else if (core.role == IceRole.CONTROLLED && m.has(ICE_CONTROLLED)) {
            if (Long.compareUnsigned(core.tieBreaker, m.iceControlledTieBreaker()) < 0) {
                return true;
            }
            core.switchRole(IceRole.CONTROLLING);
        }
        return false;
    }

    /** RFC 8445 sections 7.3.1.3-7.3.1.5: learn the peer-reflexive candidate, trigger, note USE-CANDIDATE. */
    private void onCheck(InetSocketAddress local, InetSocketAddress from, long priority, boolean useCandidate,
            long nowNs) {
        Candidate base = core.base(local);
        if (base == null || core.selected != null) {
            return; // after nomination only consent matters: answered above, nothing to learn or trigger
        }
        Candidate remote = core.remoteAt(from);
        if (remote == null) {
            remote = candidates.learnRemote(from, priority);
        }
        Pair pair = remote == null ? null : candidates.pair(base, remote);
        if (pair == null) {
            return;
        }
        switch (pair.state) {
            case SUCCEEDED -> { }
            case IN_PROGRESS -> {
                pair.check.cancelled = true;
                pair.check = null;
                core.checkList.trigger(pair);
            }
            case WAITING, FAILED -> core.checkList.trigger(pair);
        }
        if (useCandidate && core.role == IceRole.CONTROLLED) {
            if (pair.valid()) {
                core.select(pair, nowNs);
            } else {
                pair.remoteNominated = true;
            }
        }
    }

    private boolean refuse(InetSocketAddress local, InetSocketAddress from, StunMessageView m, int code,
            String reason, byte[] key) {
        core.refusedChecks++;
        Logger.trace("{}: check from {} refused with {}", core.tag, from, code);
        core.transmit(local, from, core.messages.error(m, code, reason, key));
        return true;
    }

    // ---- responses

    private boolean onResponse(InetSocketAddress local, InetSocketAddress from, StunMessageView m, long nowNs) {
        Check check = core.checks.find(m.transactionIdHigh(), m.transactionIdLow());
        if (check == null) {
            core.notForThisAgent++;
            return false;
        }
        if (m.verifyMessageIntegrity(core.remoteKey) != IntegrityCheck.VALID) {
            core.malformed++; // an unauthenticated answer must not end the transaction (it may be forged)
            Logger.trace("{}: response from {} without valid integrity dropped", core.tag, from);
            return true;
        }
        core.checks.remove(check);
        Pair pair = check.pair;
        if (!pair.local.address().equals(local) || !pair.remote.address().equals(from)) {
            onFailure(check, false, nowNs); // RFC 8445 7.2.5.2.1: non-symmetric transport addresses
        } else if (m.messageClass() == StunClass.ERROR_RESPONSE) {
            if (m.errorCode() == 487) {
                onRoleConflict(check);
            } else {
                onFailure(check, false, nowNs);
            }
        } else {
            onSuccess(check, m.xorMappedAddress(), nowNs);
        }
        return true;
    }

    private void onSuccess(Check check, InetSocketAddress mapped, long nowNs) {
        Pair pair = check.pair;
        switch (check.kind) {
            case CONSENT -> {
                core.lastConsentAnsweredNs = nowNs;
                if (core.state == IceState.DISCONNECTED) {
                    Logger.info("{}: consent answered again", core.tag);
                    core.changeState(IceState.CONNECTED);
                }
            }
            case NOMINATION -> core.select(pair, nowNs);
            case CONNECTIVITY -> {
                if (pair.check == check) {
                    pair.check = null;
                }
                if (core.selected != null) {
                    return;
                }
                pair.state = Pair.State.SUCCEEDED;
                Candidate validLocal = mapped == null ? pair.local
                        : candidates.localFor(mapped, pair.local, check.priorityAtSend);
                pair.validPriority = Pair.priority(core.role, validLocal.priority(), pair.remote.priority());
                if (core.firstValidNs < 0) {
                    core.firstValidNs = nowNs;
                }
                if (core.role == IceRole.CONTROLLED && pair.remoteNominated) {
                    core.select(pair, nowNs);
                }
            }
        }
    }

    /**
     * A check failed: an error response, a non-symmetric answer, or (with {@code timedOut}) a timeout
     * ({@link Scheduler}).
     */
    void onFailure(Check check, boolean timedOut, long nowNs) {
        Pair pair = check.pair;
        switch (check.kind) {
            case CONSENT -> {
                if (timedOut) {
                    core.consentTimedOut(nowNs);
                } else {
                    core.consentLost(nowNs);
                }
            }
            case NOMINATION -> {
                pair.state = Pair.State.FAILED;
                if (core.nominating == pair) {
                    core.nominating = null;
                }
            }
            case CONNECTIVITY -> {
                if (pair.check == check) {
                    pair.check = null;
                    if (pair.state == Pair.State.IN_PROGRESS) {
                        pair.state = Pair.State.FAILED;
                        Logger.debug("{}: pair failed {}", core.tag, pair);
                    }
                }
            }
        }
    }

    /** RFC 8445 section 7.2.5.1: switch to the role opposite the one the request claimed, then retry. */
    private void onRoleConflict(Check check) {
        if (check.roleAtSend == core.role) {
            core.switchRole(check.roleAtSend.opposite());
        }
        Pair pair = check.pair;
        switch (check.kind) {
            case CONSENT -> { }
            case NOMINATION -> {
                if (core.nominating == pair) {
                    core.nominating = null;
                }
            }
            case CONNECTIVITY -> {
                if (pair.check == check) {
                    pair.check = null;
                }
                if (core.selected == null && pair.state != Pair.State.SUCCEEDED) {
                    core.checkList.trigger(pair);
                }
            }
        }
    }
}
