package zonegate.node;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.ice.Candidate;
import zonegate.ice.CandidateType;
import zonegate.ice.IceAgent;
import zonegate.ice.IceEvent;
import zonegate.ice.IceRole;
import zonegate.ice.IceState;
import zonegate.ice.IceTransmit;
import zonegate.node.internal.DeadlineHeap;
import zonegate.node.internal.PacketRing;
import zonegate.wireguard.PeerConfig;
import zonegate.wireguard.PeerRole;
import zonegate.wireguard.PublicKey;
import zonegate.wireguard.Tunnel;

/**
 * The connection table: lookups by peer id, WireGuard key, ICE ufrag and STUN transaction; the deadline
 * heap that lets {@link Node#handleTimeout} visit only due connections; and the lifecycle (create,
 * nominate, connect, idle, fail, close) driven by each connection's ICE agent.
 */
final class Connections {
    /** STUN transactions remembered to route answers to their agent (oldest forgotten first). */
    static final int MAX_TRANSACTIONS = 4096;

    private final NodeConfig config;
    private final Outbox outbox;
    private final Paths paths;
    private final Relays relays;
    private final WireGuardLink wg;
    private final RandomGenerator random;
    private final Map<String, Connection> byPeer = new HashMap<>();
    private final Map<PublicKey, Connection> byKey = new HashMap<>();
    private final Map<String, Connection> byUfrag = new HashMap<>();
    private final Map<TransactionKey, Connection> byTransaction = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TransactionKey, Connection> eldest) {
            return size() > MAX_TRANSACTIONS;
        }
    };
    private final DeadlineHeap<Connection> deadlines = new DeadlineHeap<>();
    private final Set<Connection> candidateBatches = new LinkedHashSet<>();
    private final List<Connection> due = new ArrayList<>();

    record TransactionKey(int high, long low) {
    }

    Connections(NodeConfig config, Outbox outbox, Paths paths, Relays relays, WireGuardLink wg,
            RandomGenerator random) {
        this.config = config;
        this.outbox = outbox;
        this.paths = paths;
        this.relays = relays;
        this.wg = wg;
        this.random = random;
    }

    Connection byPeer(String peerId) {
        return byPeer.get(peerId);
    }

    Connection byKey(PublicKey key) {
        return byKey.get(key);
    }

    Connection byUfrag(String ufrag) {
        return byUfrag.get(ufrag);
    }

    Connection byTransaction(int high, long low) {
        Connection c = byTransaction.get(new TransactionKey(high, low));
        return c == null || c.removed ? null : c;
    }

    int size() {
        return byPeer.size();
    }

    Collection<Connection> all() {
        return List.copyOf(byPeer.values());
    }

    // ---- lifecycle

    void upsert(String peerId, ConnectionParams params, long nowNs) {
        relays.probeUnresponsive(nowNs);
        Connection existing = byPeer.get(peerId);
        if (existing != null && existing.params.sameAs(params)) {
            Logger.debug("peer={} upsert with the same keys and credentials: connection kept", peerId);
            wake(existing, nowNs);
            existing.addedLocal.addAll(signalled(existing.agent.localCandidates()));
            candidateBatches.add(existing);
            reschedule(existing);
            return;
        }
        // The new connection takes the peer id, the WireGuard key and the ufrag: whoever holds one goes.
        for (Connection holder : new Connection[] {existing, byKey.get(params.peerKey()),
                byUfrag.get(params.localCredentials().ufrag())}) {
            if (holder != null && !holder.removed) {
                close(holder, CloseReason.REPLACED);
            }
        }
        if (byPeer.size() >= config.maxConnections()) {
            throw new IllegalStateException("connection table full (" + config.maxConnections() + ")");
        }
        boolean client = config.role() == NodeRole.CLIENT;
        IceAgent agent = new IceAgent(config.ice(), client ? IceRole.CONTROLLING : IceRole.CONTROLLED,
                params.localCredentials(), random, nowNs);
        Tunnel tunnel = wg.device().addPeer(PeerConfig.of(params.peerKey()).withPresharedKey(params.presharedKey())
                .withRole(client ? PeerRole.INITIATOR : PeerRole.RESPONDER_ONLY)
                .withRekeyAttemptTimeNs(PeerConfig.ICE_REKEY_ATTEMPT_TIME_NS), nowNs);
        PacketRing buffer = client ? new PacketRing(config.bufferedPacketsPerConnection(), config.mtuBytes()) : null;
        Connection c = new Connection(peerId, params, agent, tunnel, buffer, nowNs);
        byPeer.put(peerId, c);
        byKey.put(params.peerKey(), c);
        byUfrag.put(params.localCredentials().ufrag(), c);
        Logger.info("peer={} connecting ({})", peerId, client ? "client, ICE controlling" : "server, ICE controlled");
        agent.setRemoteCredentials(params.remoteCredentials(), nowNs);
        for (InetSocketAddress socket : paths.sockets()) {
            agent.addLocalCandidate(Candidate.host(socket), nowNs);
        }
        c.relay = relays.sample();
        refreshRelayCandidates(c, nowNs);
    }

    /** A relay's addresses changed or a relay went away: every connection's relay candidates follow. */
    void onRelayChanged(long nowNs) {
        for (Connection c : all()) {
            refreshRelayCandidates(c, nowNs);
        }
    }

    private void refreshRelayCandidates(Connection c, long nowNs) {
        Relays.Relay sampled = relays.relay(c.relay);
        if (sampled == null || !sampled.allocated()) {
            if (c.pair != null && c.pair.localRelayed() && c.relay != null) {
                Logger.info("peer={} relay={} of the nominated pair vanished", c.peerId, c.relay);
                fail(c, FailureReason.RELAY_GONE);
                return;
            }
            InetSocketAddress old = c.relay;
            c.relay = relays.sample();
            if (old != null && c.pair == null && !c.relayVanishedLogged) {
                c.relayVanishedLogged = true;
                Logger.info("peer={} relay={} vanished during ICE; now relay={}", c.peerId, old, c.relay);
            }
        }
        List<Candidate> wanted = new ArrayList<>();
        for (Relays.Relay r : relays.all()) {
            InetSocketAddress mapped = r.allocation.serverReflexiveAddress();
            InetSocketAddress base = paths.socketFor(r.server.address());
            if (mapped != null && base != null && !mapped.equals(base)) {
                wanted.add(Candidate.serverReflexive(mapped, base));
            }
            if (r.server.address().equals(c.relay)) {
                for (InetSocketAddress relayed : r.allocation.relayedAddresses()) {
                    wanted.add(Candidate.relayed(relayed, mapped != null ? mapped : relayed));
                }
            }
        }
        for (Candidate k : List.copyOf(c.relayCandidates)) {
            if (wanted.stream().noneMatch(w -> sameCandidate(w, k))) {
                c.relayCandidates.remove(k);
                c.removedLocal.add(k);
                candidateBatches.add(c);
            }
        }
        for (Candidate w : wanted) {
            if (c.relayCandidates.stream().noneMatch(k -> sameCandidate(w, k))) {
                c.relayCandidates.add(w);
                c.agent.addLocalCandidate(w, nowNs);
            }
        }
        if (!c.endOfLocalCandidates && relays.gatheringComplete()) {
            c.endOfLocalCandidates = true;
            c.agent.endOfLocalCandidates(nowNs);
        }
        drainAgent(c, nowNs);
    }

    private static boolean sameCandidate(Candidate a, Candidate b) {
        return a.type() == b.type() && a.address().equals(b.address());
    }

    void addRemoteCandidate(Connection c, Candidate candidate, long nowNs) {
        wake(c, nowNs);
        c.agent.addRemoteCandidate(candidate, nowNs);
        if (c.pair == null && candidate.type() != CandidateType.HOST && c.relay != null) {
            // Bind ahead so the first relayed checks are not lost to the channel binding (not for host
            // candidates: those are reached directly, if at all).
            relays.bindChannel(c.relay, candidate.address(), nowNs);
        }
        drainAgent(c, nowNs);
    }

    void removeRemoteCandidate(Connection c, Candidate candidate, long nowNs) {
        wake(c, nowNs);
        if (c.pair != null && c.pair.remote().address().equals(candidate.address())) {
            fail(c, FailureReason.NOMINATED_CANDIDATE_REMOVED);
            return;
        }
        Logger.debug("peer={} remote candidate {} withdrawn (its checks run out on their own)", c.peerId, candidate);
    }

    void endOfRemoteCandidates(Connection c, long nowNs) {
        c.agent.endOfRemoteCandidates(nowNs);
        drainAgent(c, nowNs);
    }

    /** Runs the agents of the connections whose cached deadline has come, once each. */
    void handleTimeout(long nowNs) {
        for (Connection c; (c = deadlines.first()) != null && c.cachedDeadlineNs() <= nowNs; ) {
            deadlines.remove(c);
            due.add(c);
        }
        for (Connection c : due) {
            if (c.removed) {
                continue;
            }
            outbox.count(NodeCounter.TIMEOUT_VISITS);
            c.agent.handleTimeout(nowNs);
            if (c.state == ConnectionState.CONNECTED && nowNs - c.lastPacketNs >= config.idleAfterNs()) {
                changeState(c, ConnectionState.IDLE);
            }
            drainAgent(c, nowNs);
        }
        due.clear();
    }

    long nextDeadlineNs() {
        return deadlines.earliestNs();
    }

    /**
     * A data packet crossed the connection: it is not idle, and the agent knows traffic flows. The cached
     * deadline is left alone (reading the agent's per packet would allocate) except on waking, the one
     * case where noteTraffic brings the agent's next consent check forward.
     */
    void onPacket(Connection c, long nowNs) {
        c.lastPacketNs = nowNs;
        c.agent.noteTraffic(nowNs);
        if (c.state == ConnectionState.IDLE) {
            changeState(c, ConnectionState.CONNECTED);
            reschedule(c);
        }
    }

    void onSessionEstablished(Connection c) {
        c.sessionUp = true;
        maybeConnected(c);
    }

    void onSessionLost(Connection c) {
        c.sessionUp = false;
    }

    void fail(Connection c, FailureReason reason) {
        Logger.info("peer={} connection failed: {}", c.peerId, reason);
        remove(c, new NodeEvent.ConnectionFailed(c.peerId, reason));
    }

    void close(Connection c, CloseReason reason) {
        Logger.info("peer={} connection closed: {}", c.peerId, reason);
        remove(c, new NodeEvent.ConnectionClosed(c.peerId, reason));
    }

    /** Moves pending candidate batches into the event queue, one event per connection. */
    void flushCandidateBatches() {
        for (Connection c : candidateBatches) {
            if (!c.removed && (!c.addedLocal.isEmpty() || !c.removedLocal.isEmpty())) {
                outbox.event(new NodeEvent.LocalCandidates(c.peerId, c.addedLocal, c.removedLocal));
            }
            c.addedLocal.clear();
            c.removedLocal.clear();
        }
        candidateBatches.clear();
    }

    boolean hasCandidateBatches() {
        return !candidateBatches.isEmpty();
    }

    // ---- helpers, in call order

    private void wake(Connection c, long nowNs) {
        if (c.state == ConnectionState.IDLE) {
            onPacket(c, nowNs);
        }
    }

    private static List<Candidate> signalled(List<Candidate> local) {
        return local.stream().filter(k -> k.type() != CandidateType.PEER_REFLEXIVE).toList();
    }

    void drainAgent(Connection c, long nowNs) {
        for (IceTransmit t; !c.removed && (t = c.agent.pollTransmit()) != null; ) {
            rememberTransaction(c, t);
            paths.send(t.source(), t.destination(), t.payload(), nowNs);
        }
        for (IceEvent e; !c.removed && (e = c.agent.pollEvent()) != null; ) {
            switch (e) {
                case IceEvent.LocalCandidateGathered(Candidate k) -> {
                    c.addedLocal.add(k);
                    candidateBatches.add(c);
                }
                case IceEvent.PairNominated p -> {
                    c.pair = p.pair();
                    wg.onNominated(c, nowNs);
                    maybeConnected(c);
                }
                case IceEvent.Failed(var why) -> fail(c, switch (why) {
                    case NO_REMOTE_CANDIDATES -> FailureReason.NO_REMOTE_CANDIDATES;
                    case ALL_PAIRS_FAILED -> FailureReason.ALL_PAIRS_FAILED;
                    case CONSENT_LOST -> FailureReason.CONSENT_LOST;
                });
                case IceEvent.RemoteCandidateAdded a -> { }
                case IceEvent.RemoteCandidateIgnored i -> { }
                case IceEvent.RoleChanged r -> { }
                case IceEvent.StateChanged s -> {
                    if (s.to() == IceState.DISCONNECTED && c.pair != null && c.pair.localRelayed()) {
                        relays.suspect(c.pair.localAddress());
                    }
                }
            }
        }
        if (!c.removed) {
            reschedule(c);
        }
    }

    private void rememberTransaction(Connection c, IceTransmit t) {
        var p = t.payload();
        int at = p.position();
        // STUN requests only (class bits C1 = 0x0100 and C0 = 0x0010 clear): their answers come back by id.
        if (p.remaining() >= 20 && (p.getShort(at) & 0x0110) == 0) {
            byTransaction.put(new TransactionKey(p.getInt(at + 8), p.getLong(at + 12)), c);
        }
    }

    private void maybeConnected(Connection c) {
        if (c.state == ConnectionState.CONNECTING && c.pair != null && c.sessionUp) {
            changeState(c, ConnectionState.CONNECTED);
            reschedule(c);
        }
    }

    private void changeState(Connection c, ConnectionState to) {
        ConnectionState from = c.state;
        c.state = to;
        if (to == ConnectionState.IDLE || from == ConnectionState.IDLE) {
            Logger.debug("peer={} {} -> {}", c.peerId, from, to);
        } else {
            Logger.info("peer={} {} -> {} over {}", c.peerId, from, to, c.pair);
        }
        outbox.event(new NodeEvent.StateChanged(c.peerId, from, to));
    }

    void reschedule(Connection c) {
        deadlines.update(c, c.deadlineNs(config.idleAfterNs()));
    }

    private void remove(Connection c, NodeEvent event) {
        c.removed = true;
        byPeer.remove(c.peerId, c);
        byKey.remove(c.params.peerKey(), c);
        byUfrag.remove(c.params.localCredentials().ufrag(), c);
        deadlines.remove(c);
        candidateBatches.remove(c);
        if (c.buffer != null) {
            c.buffer.clear();
        }
        wg.device().removePeer(c.params.peerKey());
        outbox.event(event);
    }
}
