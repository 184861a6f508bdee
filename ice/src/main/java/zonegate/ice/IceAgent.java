package zonegate.ice;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import zonegate.ice.internal.AgentCore;
import zonegate.ice.internal.Candidates;
import zonegate.ice.internal.Inbound;
import zonegate.ice.internal.Scheduler;

/**
 * One ICE agent (RFC 8445, with RFC 8838 trickle) for one component over UDP, as a sans-IO state
 * machine: it never opens a socket, reads a clock, starts a thread or talks to a TURN relay.
 *
 * <p>What it does: pairs every local base (host or relayed candidate) with every remote candidate of
 * the same address family, sorted by pair priority and bounded to {@link IceConfig#maxPairs()};
 * sends one new check per Ta (triggered checks first), retransmitted on the profile's schedule; answers
 * checks (also before the remote credentials or candidates are known, as trickle needs); learns
 * peer-reflexive candidates from checks and answers; resolves role conflicts with the 64-bit
 * tie-breaker; nominates (controlling: regular nomination with USE-CANDIDATE on the best valid pair;
 * controlled: follows USE-CANDIDATE); then checks consent on the selected pair, every
 * {@link IceConfig#consentIntervalNs()} or, idle, every {@link IceConfig#idleKeepaliveIntervalNs()}
 * (idle, consent is lost only after {@link IceConfig#idleConsentTimeoutNs()} without an answer).
 *
 * <p>Addresses. Every {@link IceTransmit} names its source: a host candidate's socket address, or a
 * relayed candidate's address, which the caller routes through its TURN allocation. Datagrams are
 * handed in with the local address they arrived on: the socket's address, or the relayed address for
 * what the relay delivered.
 *
 * <pre>{@code
 * IceAgent agent = new IceAgent(IceConfig.client(), IceRole.CONTROLLING,
 *         IceCredentials.random(secureRandom), secureRandom, nowNs);
 * signalling.sendCredentials(agent.localCredentials());
 * agent.addLocalCandidate(Candidate.host(socketAddress), nowNs);
 * agent.addLocalCandidate(Candidate.serverReflexive(mappedAddress, socketAddress), nowNs);
 * agent.addLocalCandidate(Candidate.relayed(relayedAddress, mappedAddress), nowNs);   // from a TURN Allocation
 * agent.endOfLocalCandidates(nowNs);
 * // from signalling, at any time:
 * agent.setRemoteCredentials(new IceCredentials(ufrag, pwd), nowNs);
 * if (Candidate.parse(line) instanceof CandidateParseResult.Parsed(Candidate c)) agent.addRemoteCandidate(c, nowNs);
 *
 * // the duty cycle:
 * agent.handleInput(localAddress, from, datagram, nowNs);          // true: it was this agent's STUN
 * agent.handleTimeout(nowNs);                                        // when pollTimeout()'s deadline has come
 * for (IceTransmit t; (t = agent.pollTransmit()) != null; ) {
 *     if (isRelayed(t.source())) allocation.encapsulate(t.destination(), t.payload(), nowNs); else socket.send(t);
 * }
 * for (IceEvent e; (e = agent.pollEvent()) != null; ) {
 *     switch (e) {
 *         case IceEvent.LocalCandidateGathered(Candidate c) -> signalling.send(c.toSdpAttribute());
 *         case IceEvent.PairNominated(SelectedPair p) -> wireguard.setEndpoint(p.localAddress(), p.remoteAddress());
 *         case IceEvent.Failed(IceFailure reason) -> closeConnection(reason);
 *         default -> { }
 *     }
 * }
 * IceTimeout next = agent.pollTimeout();                             // null: nothing pending
 * }</pre>
 *
 * <p>Time: every method takes the current monotonic time; it must never go backwards. Inputs run
 * whatever is due at that instant, so re-poll {@link #pollTimeout()} after every call (including
 * {@link #noteTraffic}, which can bring the next consent check forward).
 *
 * <p>Bounds: {@value #MAX_TRANSMITS} queued transmits, {@value #MAX_EVENTS} queued events, {@value #MAX_LOCAL_CANDIDATES} local and {@value #MAX_REMOTE_CANDIDATES} remote
 * candidates, {@link IceConfig#maxPairs()} pairs; what exceeds a bound is dropped and counted
 * ({@link #counters()}). Malformed input never throws. Not thread-safe: one state-machine thread.
 */
public final class IceAgent {
    /** Bound of the transmit queue; more is dropped and counted. */
    public static final int MAX_TRANSMITS = AgentCore.MAX_TRANSMITS;
    /** Bound of the event queue; more is dropped and counted. */
    public static final int MAX_EVENTS = AgentCore.MAX_EVENTS;
    /** Most local candidates, gathered and learned. */
    public static final int MAX_LOCAL_CANDIDATES = Candidates.MAX_LOCAL_CANDIDATES;
    /** Most remote candidates, signalled and learned. */
    public static final int MAX_REMOTE_CANDIDATES = Candidates.MAX_REMOTE_CANDIDATES;

    private final AgentCore core;
    private final Candidates candidates;
    private final Inbound inbound;
    private final Scheduler scheduler;
    private final IceCredentials localCredentials;
    private long lastNowNs;

    /**
     * Creates an agent in {@link IceState#NEW}. The candidate timeout starts now.
     *
     * @param role the initial role (client controlling, gateway controlled); a conflict may switch it
     * @param local our credentials, to signal to the peer
     * @param random source of the tie-breaker and transaction ids (a {@code SecureRandom} in
     *               production, seeded in tests)
     */
    public IceAgent(IceConfig config, IceRole role, IceCredentials local, RandomGenerator random, long nowNs) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(role, "role");
        this.localCredentials = Objects.requireNonNull(local, "local");
        this.core = new AgentCore(config, role, local, Objects.requireNonNull(random, "random"), nowNs);
        this.candidates = new Candidates(core);
        this.inbound = new Inbound(core, candidates);
        this.scheduler = new Scheduler(core, inbound);
        this.lastNowNs = nowNs;
    }

    // ---- commands

    /**
     * Sets the peer's ufrag and password; checks start (paced) once there are pairs.
     *
     * @throws IllegalStateException when different credentials were set before (ICE restart is not
     *         supported: make a new agent)
     */
    public void setRemoteCredentials(IceCredentials remote, long nowNs) {
        core.setRemoteCredentials(Objects.requireNonNull(remote, "remote"));
        scheduler.run(advance(nowNs));
    }

    /**
     * Adds a local candidate: a {@link Candidate#host host} socket, a {@link Candidate#serverReflexive
     * server-reflexive} address (with its base; signalled, not paired) or a {@link Candidate#relayed
     * relayed} address from the caller's TURN allocation. Emits {@link IceEvent.LocalCandidateGathered}
     * with the candidate as kept: its priority lowered if another local candidate had the same one. A
     * candidate already known (same address and type) is ignored.
     *
     * @throws IllegalArgumentException for a peer-reflexive candidate, a component other than 1, or a
     *         server-reflexive candidate without its base
     */
    public void addLocalCandidate(Candidate candidate, long nowNs) {
        long now = advance(nowNs);
        candidates.addLocal(Objects.requireNonNull(candidate, "candidate"));
        scheduler.run(now);
    }

    /**
     * Adds a remote candidate, trickled at any time: emits {@link IceEvent.RemoteCandidateAdded}, or
     * {@link IceEvent.RemoteCandidateIgnored} with the reason (after nomination, with one INFO log line
     * naming the candidate).
     */
    public void addRemoteCandidate(Candidate candidate, long nowNs) {
        long now = advance(nowNs);
        candidates.addRemote(Objects.requireNonNull(candidate, "candidate"));
        scheduler.run(now);
    }

    /** Local gathering is over. Needed, with {@link #endOfRemoteCandidates}, before the agent can fail on pairs. */
    public void endOfLocalCandidates(long nowNs) {
        core.endOfLocalCandidates();
        scheduler.run(advance(nowNs));
    }

    /**
     * The peer signalled end-of-candidates. Without it the agent keeps waiting for candidates even when
     * every pair has failed; with it (and {@link #endOfLocalCandidates}) it then fails with
     * {@link IceFailure#ALL_PAIRS_FAILED}.
     */
    public void endOfRemoteCandidates(long nowNs) {
        core.endOfRemoteCandidates();
        scheduler.run(advance(nowNs));
    }

    /**
     * Notes that non-STUN traffic crossed the selected pair (either way), for idle detection. Cheap: call
     * it per packet or per batch.
     */
    public void noteTraffic(long nowNs) {
        core.noteTraffic(advance(nowNs));
    }

    // ---- inputs

    /**
     * Offers a received datagram (position to limit; neither is changed, the bytes are not kept).
     *
     * @param local the local address it arrived on: a host socket, or a relayed address for data the
     *              TURN relay delivered
     * @param from the remote address it came from
     * @return {@code true} when it was STUN for this agent (a check whose USERNAME starts with our ufrag,
     *         or an answer to one of our checks), consumed; {@code false} leaves it to the caller (WireGuard,
     *         another agent, or a drop)
     */
    public boolean handleInput(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        long now = advance(nowNs);
        boolean consumed = inbound.onDatagram(local, from, datagram, now);
        if (consumed) {
            scheduler.run(now);
        }
        return consumed;
    }

    /** Runs whatever is due at {@code nowNs}: retransmissions, timeouts, paced checks, nomination, consent. */
    public void handleTimeout(long nowNs) {
        scheduler.run(advance(nowNs));
    }

    // ---- outputs

    /** The next datagram to send, or {@code null}. */
    public IceTransmit pollTransmit() {
        return core.pollTransmit();
    }

    /** The next event, or {@code null}. */
    public IceEvent pollEvent() {
        return core.pollEvent();
    }

    /** The earliest deadline and what it is for, or {@code null} when nothing is pending (and once FAILED). */
    public IceTimeout pollTimeout() {
        return scheduler.next();
    }

    // ---- state

    /** The connection state. */
    public IceState state() {
        return core.state();
    }

    /** The current role (a role conflict may have switched it). */
    public IceRole role() {
        return core.role();
    }

    /** Our credentials, to signal. */
    public IceCredentials localCredentials() {
        return localCredentials;
    }

    /** The nominated pair, once there is one. */
    public Optional<SelectedPair> selectedPair() {
        return Optional.ofNullable(core.selectedPair());
    }

    /** Local candidates: those added (priorities as kept) and peer-reflexive ones learned. */
    public List<Candidate> localCandidates() {
        return core.localCandidates();
    }

    /** Remote candidates: those signalled and peer-reflexive ones learned from checks. */
    public List<Candidate> remoteCandidates() {
        return core.remoteCandidates();
    }

    /** What was dropped or refused so far. */
    public IceCounters counters() {
        return core.counters();
    }

    private long advance(long nowNs) {
        assert nowNs >= lastNowNs : "time went backwards";
        lastNowNs = Math.max(lastNowNs, nowNs);
        return lastNowNs;
    }
}
