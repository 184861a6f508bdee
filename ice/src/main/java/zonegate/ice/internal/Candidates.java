package zonegate.ice.internal;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import org.tinylog.Logger;
import zonegate.ice.Candidate;
import zonegate.ice.CandidateType;
import zonegate.ice.IceEvent;
import zonegate.ice.IceState;
import zonegate.ice.IgnoredReason;

/**
 * Local and remote candidates, trickled at any time (RFC 8838), and the pairs they form: a local base
 * (host or relayed candidate) with each remote candidate of the same address family. Server-reflexive
 * local candidates are signalled but never paired: checks go from their base, so their pairs would be
 * redundant with the base's (RFC 8445 section 6.1.2.4).
 */
public final class Candidates {
    /** Most local candidates (gathered and learned peer-reflexive ones). */
    public static final int MAX_LOCAL_CANDIDATES = 32;
    /** Most remote candidates (signalled and learned peer-reflexive ones). */
    public static final int MAX_REMOTE_CANDIDATES = 64;

    private final AgentCore core;

    public Candidates(AgentCore core) {
        this.core = core;
    }

    /**
     * Adds a local candidate and emits it for signalling.
     *
     * @throws IllegalArgumentException for a peer-reflexive candidate (the agent learns those), a
     *         component other than 1, or a server-reflexive one without its base as related address
     */
    public void addLocal(Candidate candidate) {
        if (candidate.type() == CandidateType.PEER_REFLEXIVE || candidate.component() != Candidate.COMPONENT
                || (candidate.type() == CandidateType.SERVER_REFLEXIVE && candidate.relatedAddress() == null)) {
            throw new IllegalArgumentException("not a local candidate the agent can use: " + candidate);
        }
        if (core.state == IceState.FAILED || known(candidate)) {
            return;
        }
        if (core.localCandidates.size() >= MAX_LOCAL_CANDIDATES) {
            core.ignoredCandidates++;
            Logger.warn("{}: local candidate dropped, {} already: {}", core.tag, MAX_LOCAL_CANDIDATES, candidate);
            return;
        }
        Candidate unique = candidate.withPriority(uniquePriority(candidate.priority()));
        core.localCandidates.add(unique);
        Logger.debug("{}: local candidate {}", core.tag, unique);
        core.emit(new IceEvent.LocalCandidateGathered(unique));
        if (isBase(unique) && core.selected == null) {
            for (Candidate remote : core.remoteCandidates) {
                pair(unique, remote);
            }
        }
    }

    /** Adds a signalled remote candidate and pairs it, or emits why it was ignored. */
    public void addRemote(Candidate candidate) {
        IgnoredReason reason = refusal(candidate);
        if (reason != null) {
            core.ignoredCandidates++;
            if (reason == IgnoredReason.AFTER_NOMINATION) {
                Logger.info("{}: remote candidate ignored, a pair is already nominated: {}", core.tag, candidate);
            } else {
                Logger.debug("{}: remote candidate ignored ({}): {}", core.tag, reason, candidate);
            }
            core.emit(new IceEvent.RemoteCandidateIgnored(candidate, reason));
            return;
        }
        Candidate learned = core.remoteAt(candidate.address());
        if (learned != null) {
            // RFC 8445 7.3.1.3 / RFC 8838 11.4: the signalled candidate replaces the peer-reflexive one;
            // its pairs keep their state.
            core.remoteCandidates.set(core.remoteCandidates.indexOf(learned), candidate);
            for (Pair p : core.checkList.pairs()) {
                if (p.remote == learned) {
                    p.remote = candidate;
                    p.updatePriority(core.role);
                }
            }
            core.checkList.sort();
        } else {
            core.remoteCandidates.add(candidate);
            for (Candidate local : core.localCandidates) {
                if (isBase(local)) {
                    pair(local, candidate);
                }
            }
        }
        Logger.debug("{}: remote candidate {}", core.tag, candidate);
        core.emit(new IceEvent.RemoteCandidateAdded(candidate));
    }

    /**
     * The remote peer-reflexive candidate learned from a check from {@code from} with PRIORITY {@code
     * priority} (RFC 8445 section 7.3.1.3), or {@code null} over the bound.
     */
    Candidate learnRemote(InetSocketAddress from, long priority) {
        if (core.remoteCandidates.size() >= MAX_REMOTE_CANDIDATES) {
            core.ignoredCandidates++;
            return null;
        }
        Candidate prflx = new Candidate(Candidate.foundation(CandidateType.PEER_REFLEXIVE, from.getAddress(), null),
                Candidate.COMPONENT, priority, from, CandidateType.PEER_REFLEXIVE, null);
        core.remoteCandidates.add(prflx);
        Logger.debug("{}: learned remote peer-reflexive candidate {}", core.tag, prflx);
        core.emit(new IceEvent.RemoteCandidateAdded(prflx));
        return prflx;
    }

    /**
     * The local candidate a response's XOR-MAPPED-ADDRESS names; a new local peer-reflexive candidate
     * with base {@code base} and priority {@code priority} when none does (RFC 8445 section 7.2.5.3.1).
     * Peer-reflexive candidates are not signalled (RFC 8838 section 10).
     */
    Candidate localFor(InetSocketAddress mapped, Candidate base, long priority) {
        for (Candidate c : core.localCandidates) {
            if (c.address().equals(mapped)) {
                return c;
            }
        }
        if (core.localCandidates.size() >= MAX_LOCAL_CANDIDATES) {
            return base;
        }
        Candidate prflx = new Candidate(Candidate.foundation(CandidateType.PEER_REFLEXIVE,
                base.address().getAddress(), null), Candidate.COMPONENT, priority, mapped,
                CandidateType.PEER_REFLEXIVE, base.address());
        core.localCandidates.add(prflx);
        Logger.debug("{}: learned local peer-reflexive candidate {}", core.tag, prflx);
        return prflx;
    }

    /** Pairs {@code local} and {@code remote} when their families match. */
    Pair pair(Candidate local, Candidate remote) {
        if (sameFamily(local.address(), remote.address())) {
            return core.checkList.add(local, remote, core.role);
        }
        return null;
    }

    static boolean isBase(Candidate c) {
        return c.type() == CandidateType.HOST || c.type() == CandidateType.RELAYED;
    }

    static boolean sameFamily(InetSocketAddress a, InetSocketAddress b) {
        return (a.getAddress() instanceof Inet4Address) == (b.getAddress() instanceof Inet4Address);
    }

    private IgnoredReason refusal(Candidate candidate) {
        if (core.state == IceState.FAILED) {
            return IgnoredReason.AGENT_FAILED;
        }
        if (core.selected != null) {
            return IgnoredReason.AFTER_NOMINATION;
        }
        if (candidate.component() != Candidate.COMPONENT || candidate.address().getPort() == 0
                || candidate.address().getAddress().isAnyLocalAddress()) {
            return IgnoredReason.INVALID;
        }
        Candidate same = core.remoteAt(candidate.address());
        if (same != null && (same.type() != CandidateType.PEER_REFLEXIVE
                || candidate.type() == CandidateType.PEER_REFLEXIVE)) {
            return IgnoredReason.DUPLICATE;
        }
        if (same == null && core.remoteCandidates.size() >= MAX_REMOTE_CANDIDATES) {
            return IgnoredReason.LIMIT;
        }
        if (core.localEnd && !hasBaseOfFamily(candidate.address())) {
            return IgnoredReason.WRONG_FAMILY;
        }
        return null;
    }

    private boolean hasBaseOfFamily(InetSocketAddress address) {
        for (Candidate c : core.localCandidates) {
            if (isBase(c) && sameFamily(c.address(), address)) {
                return true;
            }
        }
        return false;
    }

    private boolean known(Candidate candidate) {
        for (Candidate c : core.localCandidates) {
            if (c.address().equals(candidate.address()) && c.type() == candidate.type()) {
                return true;
            }
        }
        return false;
    }

    private long uniquePriority(long priority) {
        long p = priority;
        while (taken(p) && p > 256) {
            p -= 256; // one step of local preference, keeping the component bits
        }
        return p;
    }

    private boolean taken(long priority) {
        for (Candidate c : core.localCandidates) {
            if (c.priority() == priority) {
                return true;
            }
        }
        return false;
    }
}
