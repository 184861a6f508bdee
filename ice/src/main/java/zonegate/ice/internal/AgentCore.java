package zonegate.ice.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.ice.Candidate;
import zonegate.ice.CandidateType;
import zonegate.ice.IceConfig;
import zonegate.ice.IceCounters;
import zonegate.ice.IceCredentials;
import zonegate.ice.IceEvent;
import zonegate.ice.IceFailure;
import zonegate.ice.IceRole;
import zonegate.ice.IceState;
import zonegate.ice.IceTransmit;
import zonegate.ice.SelectedPair;
import zonegate.stun.StunCredentials;

/**
 * The agent's state, shared by its handlers ({@link Candidates}, {@link Inbound}, {@link Scheduler}),
 * with the output queues and the transitions that emit events and log. Logs only state changes, never
 * per packet (TRACE aside) or per tick.
 */
public final class AgentCore {
    /** Bound of the transmit queue. */
    public static final int MAX_TRANSMITS = 256;
    /** Bound of the event queue. */
    public static final int MAX_EVENTS = 256;

    final IceConfig config;
    final RandomGenerator random;
    final IceCredentials local;
    final byte[] localKey;
    final long tieBreaker;
    final long createdNs;
    final String tag;
    final CheckList checkList;
    final Checks checks;
    final Messages messages = new Messages();
    final List<Candidate> localCandidates = new ArrayList<>();
    final List<Candidate> remoteCandidates = new ArrayList<>();
    private final ArrayDeque<IceTransmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<IceEvent> events = new ArrayDeque<>();

    IceCredentials remote;
    byte[] remoteKey;
    IceRole role;
    IceState state = IceState.NEW;
    boolean localEnd;
    boolean remoteEnd;
    Pair selected;
    Pair nominating;
    long firstValidNs = -1;
    long nextPaceNs;
    long lastConsentSentNs;
    /** When the selected pair was last known to have consent: its selection or a consent answer. */
    long lastConsentAnsweredNs;
    long lastTrafficNs;
    long disconnectedAtNs;

    long malformed;
    long notForThisAgent;
    long refusedChecks;
    long ignoredCandidates;
    long droppedOutputs;

    public AgentCore(IceConfig config, IceRole role, IceCredentials local, RandomGenerator random, long nowNs) {
        this.config = config;
        this.role = role;
        this.local = local;
        this.localKey = StunCredentials.shortTermKey(local.password());
        this.random = random;
        this.tieBreaker = random.nextLong();
        this.createdNs = nowNs;
        this.nextPaceNs = nowNs;
        this.tag = "ice " + local.ufrag();
        this.checkList = new CheckList(config.maxPairs());
        this.checks = new Checks(config);
    }

    // ---- queries used by the facade

    public IceState state() {
        return state;
    }

    public IceRole role() {
        return role;
    }

    public SelectedPair selectedPair() {
        return selected == null ? null : new SelectedPair(selected.local, selected.remote);
    }

    public IceTransmit pollTransmit() {
        return transmits.pollFirst();
    }

    public IceEvent pollEvent() {
        return events.pollFirst();
    }

    public List<Candidate> localCandidates() {
        return List.copyOf(localCandidates);
    }

    public List<Candidate> remoteCandidates() {
        return List.copyOf(remoteCandidates);
    }

    public IceCounters counters() {
        return new IceCounters(malformed, notForThisAgent, refusedChecks, checkList.pruned(), ignoredCandidates,
                droppedOutputs);
    }

    public void noteTraffic(long nowNs) {
        lastTrafficNs = nowNs;
    }

    /**
     * Sets the peer's credentials once.
     *
     * @throws IllegalStateException when other credentials were set before (an ICE restart: make a new agent)
     */
    public void setRemoteCredentials(IceCredentials credentials) {
        if (remote != null && !remote.equals(credentials)) {
            throw new IllegalStateException("remote credentials already set; ICE restart needs a new agent");
        }
        remote = credentials;
        remoteKey = StunCredentials.shortTermKey(credentials.password());
    }

    public void endOfLocalCandidates() {
        if (!localEnd) {
            localEnd = true;
            Logger.debug("{}: end of local candidates", tag);
        }
    }

    public void endOfRemoteCandidates() {
        if (!remoteEnd) {
            remoteEnd = true;
            Logger.debug("{}: end of remote candidates", tag);
        }
    }

    // ---- outputs

    void transmit(InetSocketAddress source, InetSocketAddress destination, byte[] bytes) {
        if (transmits.size() >= MAX_TRANSMITS) {
            droppedOutputs++;
            return;
        }
        transmits.addLast(new IceTransmit(source, destination, ByteBuffer.wrap(bytes).asReadOnlyBuffer()));
    }

    void emit(IceEvent event) {
        if (events.size() >= MAX_EVENTS) {
            droppedOutputs++;
            return;
        }
        events.addLast(event);
    }

    // ---- checks and transitions

    /** Sends a new check of {@code kind} on {@code pair}; nothing without remote credentials or room. */
    void sendCheck(Pair pair, Check.Kind kind, long nowNs) {
        if (remoteKey == null) {
            return;
        }
        if (checks.full()) {
            droppedOutputs++;
            switch (kind) {
                case CONNECTIVITY -> pair.state = Pair.State.FAILED;
                case NOMINATION -> nominating = null;
                case CONSENT -> { }
            }
            return;
        }
        int idHigh = random.nextInt();
        long idLow = random.nextLong();
        // RFC 8445 7.1.1: the priority a peer-reflexive candidate learned from this check would have.
        long priority = Candidate.priority(CandidateType.PEER_REFLEXIVE, (int) (pair.local.priority() >>> 8) & 0xFFFF,
                Candidate.COMPONENT);
        byte[] bytes = messages.request(idHigh, idLow, remote.ufrag() + ":" + local.ufrag(), priority,
                role == IceRole.CONTROLLING, tieBreaker, kind == Check.Kind.NOMINATION, remoteKey);
        Check check = checks.start(kind, pair, idHigh, idLow, bytes, role, priority, nowNs);
        if (kind == Check.Kind.CONNECTIVITY) {
            if (pair.check != null) {
                pair.check.cancelled = true;
            }
            pair.check = check;
            pair.state = Pair.State.IN_PROGRESS;
        }
        transmit(pair.local.address(), pair.remote.address(), bytes);
        if (state == IceState.NEW) {
            changeState(IceState.CHECKING);
        }
    }

    void switchRole(IceRole newRole) {
        if (role == newRole) {
            return;
        }
        role = newRole;
        checkList.reprioritize(role);
        if (role == IceRole.CONTROLLED && nominating != null) {
            nominating = null;
        }
        Logger.info("{}: role conflict, now {}", tag, role);
        emit(new IceEvent.RoleChanged(role));
    }

    void select(Pair pair, long nowNs) {
        if (selected != null || state == IceState.FAILED) {
            return;
        }
        selected = pair;
        nominating = null;
        checks.cancelAllBut(Check.Kind.CONSENT); // late answers are still recognised, then ignored
        checkList.stopChecking();
        pair.check = null;
        lastConsentSentNs = nowNs;
        lastConsentAnsweredNs = nowNs;
        lastTrafficNs = nowNs;
        SelectedPair selectedPair = selectedPair();
        Logger.info("{}: nominated {} -> {} ({}, {})", tag, text(pair.local.address()), text(pair.remote.address()),
                selectedPair.relayed() ? "relayed" : "direct", role == IceRole.CONTROLLING ? "we nominated" : "peer nominated");
        emit(new IceEvent.PairNominated(selectedPair));
        changeState(IceState.CONNECTED);
    }

    void changeState(IceState to) {
        IceState from = state;
        if (from == to) {
            return;
        }
        state = to;
        Logger.info("{}: {} -> {}", tag, from, to);
        emit(new IceEvent.StateChanged(from, to));
    }

    void fail(IceFailure reason) {
        if (state == IceState.FAILED) {
            return;
        }
        checks.clear();
        changeState(IceState.FAILED);
        Logger.info("{}: failed: {}", tag, reason);
        emit(new IceEvent.Failed(reason));
    }

    /**
     * A consent check timed out. While idle, consent is lost only once no answer has come for {@code
     * idleConsentTimeoutNs}; before that the next check follows at the idle interval.
     */
    void consentTimedOut(long nowNs) {
        boolean idle = nowNs - lastTrafficNs >= config.idleAfterNs();
        if (idle && nowNs - lastConsentAnsweredNs < config.idleConsentTimeoutNs()) {
            Logger.debug("{}: idle consent check unanswered, consent still fresh", tag);
            return;
        }
        consentLost(nowNs);
    }

    /** A consent check was refused or lost: DISCONNECTED, and one more consent check at once. */
    void consentLost(long nowNs) {
        if (state != IceState.CONNECTED) {
            return;
        }
        disconnectedAtNs = nowNs;
        Logger.info("{}: consent check on the selected pair unanswered", tag);
        changeState(IceState.DISCONNECTED);
        sendCheck(selected, Check.Kind.CONSENT, nowNs);
        lastConsentSentNs = nowNs;
    }

    /** Fails the agent when nothing can succeed any more (RFC 8445 7.2.5.3.5, RFC 8838 section 8). */
    void checkAllFailed() {
        if (selected != null || state == IceState.FAILED || !localEnd || !remoteEnd || nominating != null) {
            return;
        }
        if (!checkList.hasWork() && checkList.allFailed()) {
            fail(IceFailure.ALL_PAIRS_FAILED);
        }
    }

    /** {@code ip:port}, IPv6 in brackets, for logs. */
    static String text(InetSocketAddress address) {
        String ip = CandidateSdp.ip(address.getAddress());
        return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + address.getPort();
    }

    /** The local base (host or relayed candidate) with address {@code address}, or {@code null}. */
    Candidate base(InetSocketAddress address) {
        for (Candidate c : localCandidates) {
            if (c.address().equals(address) && (c.type() == CandidateType.HOST || c.type() == CandidateType.RELAYED)) {
                return c;
            }
        }
        return null;
    }

    Candidate remoteAt(InetSocketAddress address) {
        for (Candidate c : remoteCandidates) {
            if (c.address().equals(address)) {
                return c;
            }
        }
        return null;
    }
}
