package zonegate.node;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.ice.Candidate;
import zonegate.ice.SelectedPair;
import zonegate.wireguard.DropReason;
import zonegate.wireguard.HandshakeCounter;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.PublicKey;

/**
 * One host's connections to its peers, as a sans-IO state machine: each connection (keyed by the
 * peer id the control plane gives) joins an ICE agent, a WireGuard tunnel and, when no direct path
 * exists, a relayed path through one of the node's TURN allocations. The node owns one shared socket
 * per address family (the host opens them and passes their addresses) and demultiplexes every datagram.
 *
 * <p>Roles ({@link NodeConfig#role()}): a {@linkplain NodeRole#CLIENT client} is ICE controlling, buffers
 * up to 128 packets per connecting connection and starts the WireGuard handshake once a pair is
 * nominated; a {@linkplain NodeRole#SERVER server} (gateway) is ICE controlled and WireGuard responder
 * only: it never buffers and never initiates.
 *
 * <pre>{@code
 * Node node = new Node(NodeConfig.client(), privateKey, List.of(socketV4, socketV6),
 *         InstantSource.system(), new SecureRandom(), new SplittableRandom(seed), nowNs);
 * node.upsertConnection("gateway-1", new ConnectionParams(gatewayKey, psk, ourIce, theirIce), nowNs);
 * node.addRemoteCandidate("gateway-1", candidate, nowNs);              // trickled by the control plane
 *
 * // the duty cycle (one thread):
 * switch (node.encapsulate("gateway-1", ipPacket, out.clear(), nowNs, r)) {       // from the TUN device
 *     case WRITE_TO_NETWORK -> udp(r.source()).send(out.flip(), r.destination());
 *     case BUFFERED, DONE, DROPPED, WRITE_TO_TUNNEL -> { }
 * }
 * switch (node.handleNetworkInput(socket, from, datagram, out.clear(), nowNs, r)) {  // from a socket
 *     case WRITE_TO_TUNNEL -> tun.write(out.flip());                               // from r.peerId()
 *     case DONE, DROPPED, BUFFERED, WRITE_TO_NETWORK -> { }
 * }
 * node.handleTimeout(nowNs);                                           // when pollTimeout() has come
 * for (NodeTransmit t; (t = node.pollTransmit()) != null; ) udp(t.source()).send(t.payload(), t.destination());
 * for (NodeEvent e; (e = node.pollEvent()) != null; ) controlPlane.tell(e);   // candidates, state, ...
 * NodeTimeout next = node.pollTimeout();
 * }</pre>
 *
 * <p>Time: every call takes the current monotonic {@code nowNs}, which must never go backwards
 * (asserted). {@link #pollTimeout()} returns the last {@code nowNs} while output is queued. Each
 * connection's next deadline is cached in a heap, so {@link #handleTimeout} visits only connections that
 * are due; WireGuard's own timers are indexed the same way by its device.
 *
 * <p>Bounds: {@link NodeConfig#maxConnections()}, {@link NodeConfig#maxTransmits()},
 * {@link NodeConfig#maxEvents()}, 128 buffered packets per connection; excess is dropped and counted
 * ({@link #count}). A peer's bad input never throws. Not thread-safe: one state-machine thread.
 */
public final class Node {
    private final NodeConfig config;
    private final SecureRandom secureRandom;
    private final Outbox outbox;
    private final Relays relays;
    private final Paths paths;
    private final WireGuardLink wg;
    private final Connections connections;
    private final Inbound inbound;
    private final Outbound outbound;
    private final ByteBuffer controlScratch;
    private PublicKey publicKey;
    private long lastNowNs;

    /**
     * @param privateKey our WireGuard static key (copied)
     * @param sockets the addresses of our sockets, at most one per address family; each is a host candidate
     * @param wallClock for WireGuard's TAI64N timestamps
     * @param secureRandom WireGuard ephemeral keys and cookies, and the new static key on {@link #reset}
     * @param random ICE tie-breakers and transaction ids, receiver indices, relay sampling (seeded in tests)
     */
    public Node(NodeConfig config, PrivateKey privateKey, List<InetSocketAddress> sockets, InstantSource wallClock,
            SecureRandom secureRandom, RandomGenerator random, long nowNs) {
        this.config = Objects.requireNonNull(config, "config");
        this.secureRandom = Objects.requireNonNull(secureRandom, "secureRandom");
        this.outbox = new Outbox(config);
        this.relays = new Relays(outbox, random);
        this.paths = new Paths(outbox, relays, sockets);
        this.wg = new WireGuardLink(config, outbox, wallClock, secureRandom, random);
        this.connections = new Connections(config, outbox, paths, relays, wg, random);
        this.wg.wire(paths, connections);
        this.inbound = new Inbound(outbox, relays, connections, wg, paths);
        this.outbound = new Outbound(outbox, relays, wg);
        this.relays.wire(paths, new Relays.Listener() {
            @Override
            public void onRelayChanged(InetSocketAddress server, long nowNs) {
                connections.onRelayChanged(nowNs);
            }

            @Override
            public NodeAction onPeerData(InetSocketAddress relayed, InetSocketAddress peer, ByteBuffer payload,
                    long nowNs, ByteBuffer out, NodeResult r) {
                return inbound.fromPeer(relayed, peer, payload, out, nowNs, r);
            }
        });
        this.controlScratch = ByteBuffer.allocate(P2pControl.IPV6_HEADER_BYTES + P2pControl.HEADER_BYTES
                + P2pControl.MAX_WRITTEN_BODY_BYTES);
        this.lastNowNs = nowNs;
        wg.newDevice(privateKey, nowNs);
        this.publicKey = privateKey.publicKey();
    }

    // ---- commands

    /**
     * Creates the connection to {@code peerId}, or keeps it when {@code params} names the same peer key,
     * preshared key and ICE credentials (an idle one wakes, and its local candidates are signalled
     * again); different parameters replace it ({@link CloseReason#REPLACED}). A relay given up as unresponsive
     * is asked again at once (its partition may be over), so its candidates can still join this connection.
     *
     * @throws IllegalStateException when {@link NodeConfig#maxConnections()} connections exist
     */
    public void upsertConnection(String peerId, ConnectionParams params, long nowNs) {
        connections.upsert(Objects.requireNonNull(peerId, "peerId"), Objects.requireNonNull(params, "params"),
                advance(nowNs));
    }

    /** A remote candidate trickled by the control plane; ignored (one log line) once a pair is nominated. */
    public void addRemoteCandidate(String peerId, Candidate candidate, long nowNs) {
        long now = advance(nowNs);
        Connection c = connection(peerId);
        if (c != null) {
            connections.addRemoteCandidate(c, candidate, now);
        }
    }

    /**
     * The peer withdrew a candidate. When it is the remote side of the nominated pair the connection fails
     * ({@link FailureReason#NOMINATED_CANDIDATE_REMOVED}) so the control plane can make a new one; before
     * nomination its pairs run out their checks (the ICE agent has no removal).
     */
    public void removeRemoteCandidate(String peerId, Candidate candidate, long nowNs) {
        long now = advance(nowNs);
        Connection c = connection(peerId);
        if (c != null) {
            connections.removeRemoteCandidate(c, candidate, now);
        }
    }

    /** The peer signalled end-of-candidates: the connection may now fail when every pair failed. */
    public void endOfRemoteCandidates(String peerId, long nowNs) {
        long now = advance(nowNs);
        Connection c = connection(peerId);
        if (c != null) {
            connections.endOfRemoteCandidates(c, now);
        }
    }

    /**
     * Adds relays (an allocation on each, with the credentials given) and removes others (their
     * allocations are deleted; datagrams still coming from them are dropped silently). Removing the last
     * one raises {@link NodeEvent.NoRelays}. A connection whose sampled relay goes: during ICE, or with a
     * direct nominated pair, it samples another relay and signals the new relayed candidates (the old ones
     * as removed); with a nominated pair relayed through our allocation there, it fails with
     * {@link FailureReason#RELAY_GONE}, for the control plane to make it again. Our relay going does not
     * touch a pair that only reaches the peer's relayed address on the same relay (the peer's allocation is
     * its own).
     */
    public void updateRelays(List<TurnServer> add, List<InetSocketAddress> remove, long nowNs) {
        long now = advance(nowNs);
        relays.update(add, remove, now);
    }

    /** Sends a goodbye (when a session is up) and closes the connection ({@link CloseReason#CLOSED_LOCALLY}). */
    public void closeConnection(String peerId, long nowNs) {
        long now = advance(nowNs);
        Connection c = connection(peerId);
        if (c != null) {
            sayGoodbye(c, now);
        }
    }

    /** {@link #closeConnection} for every connection (a graceful shutdown). */
    public void closeAll(long nowNs) {
        long now = advance(nowNs);
        connections.all().forEach(c -> sayGoodbye(c, now));
    }

    /**
     * Sends a peer-to-peer control message inside the connection's tunnel.
     *
     * @return false (and counted) when there is no such connection or no session to carry it
     * @throws IllegalArgumentException when the message's body is longer than
     *     {@link P2pControl#MAX_WRITTEN_BODY_BYTES} (a caller's bug: an over-long domain name)
     */
    public boolean sendControl(String peerId, P2pMessage message, long nowNs) {
        long now = advance(nowNs);
        Connection c = connection(peerId);
        return c != null && sendControl(c, message, now);
    }

    /**
     * Roaming: closes every connection ({@link CloseReason#RESET}, no goodbye: the old path is gone),
     * rotates our WireGuard static key (a new one from the {@code SecureRandom}, announced by
     * {@link NodeEvent.PublicKeyChanged}) and makes every allocation again with the same credentials.
     * The shell rebinds its sockets first and passes their addresses.
     */
    public void reset(List<InetSocketAddress> sockets, long nowNs) {
        long now = advance(nowNs);
        for (Connection c : connections.all()) {
            connections.close(c, CloseReason.RESET);
        }
        try (PrivateKey key = PrivateKey.generate(secureRandom)) {
            wg.newDevice(key, now);
            publicKey = key.publicKey();
        }
        paths.setSockets(sockets);
        relays.remake(now);
        Logger.info("reset: {} sockets, new public key {}", sockets.size(), publicKey);
        outbox.event(new NodeEvent.PublicKeyChanged(publicKey));
    }

    // ---- data path

    /**
     * Encrypts one IP packet from the TUN device for {@code peerId} into {@code out}: a WireGuard datagram
     * for the peer, or, when the nominated pair is relayed, one framed as ChannelData for our relay
     * ({@link NodeResult#destination()} is then the relay). No allocation on a connected path, direct or
     * relayed.
     *
     * @return {@link NodeAction#WRITE_TO_NETWORK} (send {@code out} from {@link NodeResult#source()} to
     *     {@link NodeResult#destination()}), {@link NodeAction#BUFFERED} (client, connecting),
     *     {@link NodeAction#DONE} (queued in WireGuard for its handshake) or {@link NodeAction#DROPPED}
     */
    public NodeAction encapsulate(String peerId, ByteBuffer packet, ByteBuffer out, long nowNs, NodeResult r) {
        long now = advance(nowNs);
        Connection c = connections.byPeer(peerId);
        if (c == null) {
            packet.position(packet.limit());
            return drop(NodeCounter.NO_CONNECTION, peerId, r);
        }
        connections.onPacket(c, now);
        if (c.pair == null) {
            if (c.buffer == null) {
                Logger.trace("peer={} no nominated pair: packet dropped (a server never buffers)", peerId);
                packet.position(packet.limit());
                return drop(NodeCounter.NOT_NOMINATED, peerId, r);
            }
            if (c.buffer.offer(packet)) {
                outbox.count(NodeCounter.BUFFER_OVERFLOW);
            }
            return r.set(NodeAction.BUFFERED, 0, null, null, peerId, null);
        }
        return outbound.encapsulate(c, packet, out, now, r);
    }

    /**
     * Handles one datagram that arrived on our socket {@code local} from {@code from}; its bytes are read
     * and not kept.
     *
     * @return {@link NodeAction#WRITE_TO_TUNNEL} (an IP packet from {@link NodeResult#peerId()} is in
     *     {@code out}), {@link NodeAction#DONE} (consumed; anything to send is queued) or
     *     {@link NodeAction#DROPPED} (counted)
     */
    public NodeAction handleNetworkInput(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram,
            ByteBuffer out, long nowNs, NodeResult r) {
        int end = datagram.limit(); // ChannelData is unwrapped by narrowing the datagram to its payload
        NodeAction a = inbound.handle(local, from, datagram, out, advance(nowNs), r);
        datagram.limit(end).position(end);
        return a;
    }

    /** Runs what is due: allocations, the ICE agents of due connections, WireGuard timers. */
    public void handleTimeout(long nowNs) {
        long now = advance(nowNs);
        relays.handleTimeout(now);
        connections.handleTimeout(now);
        wg.handleTimeout(now);
    }

    // ---- outputs

    /** The next datagram to send, or null. */
    public NodeTransmit pollTransmit() {
        return outbox.pollTransmit();
    }

    /** The next event, or null. Local candidates gathered since the last call come as one event per connection. */
    public NodeEvent pollEvent() {
        connections.flushCandidateBatches();
        return outbox.pollEvent();
    }

    /** When {@link #handleTimeout} is next needed: the last {@code nowNs} while output is queued. */
    public NodeTimeout pollTimeout() {
        if (outbox.hasOutput() || connections.hasCandidateBatches()) {
            return new NodeTimeout(lastNowNs, "queued output");
        }
        long ice = connections.nextDeadlineNs();
        long wireguard = wg.device().nextTimerDeadlineNs();
        long relay = relays.nextDeadlineNs();
        long earliest = Math.min(ice, Math.min(wireguard, relay));
        if (earliest == Long.MAX_VALUE) {
            return null;
        }
        return new NodeTimeout(earliest, earliest == ice ? "connection (ICE, idle)"
                : earliest == wireguard ? "WireGuard timers" : "TURN allocation");
    }

    // ---- state

    /** Our WireGuard static public key (changes on {@link #reset}). */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The connection's state, or null when there is none. */
    public ConnectionState state(String peerId) {
        Connection c = connections.byPeer(peerId);
        return c == null ? null : c.state;
    }

    /**
     * The connection's nominated pair (the path its WireGuard datagrams take: {@link SelectedPair#localRelayed()}
     * when through our relay), or null before nomination or when there is no connection.
     */
    public SelectedPair nominatedPair(String peerId) {
        Connection c = connections.byPeer(peerId);
        return c == null ? null : c.pair;
    }

    /** A snapshot of the connection to {@code peerId} (for status pages; allocates), or null when there is none. */
    public ConnectionDetails connectionDetails(String peerId) {
        Connection c = connections.byPeer(peerId);
        if (c == null) {
            return null;
        }
        return new ConnectionDetails(peerId, c.state, c.pair, c.relay,
                c.pair != null ? c.pair.remoteAddress() : c.tunnel.endpoint(), c.tunnel.lastHandshakeNs(),
                c.tunnel.rxBytes(), c.tunnel.txBytes());
    }

    /** A snapshot of every relay the node holds, in the order they were added (for status pages; allocates). */
    public List<RelayDetails> relayDetails() {
        return relays.all().stream()
                .map(r -> new RelayDetails(r.server.address(), r.allocation.relayedAddresses(), r.srttNs, r.suspect))
                .toList();
    }

    /** Connections held. */
    public int connectionCount() {
        return connections.size();
    }

    /** How often {@code counter} happened. */
    public long count(NodeCounter counter) {
        return counter == NodeCounter.HANDSHAKE_RATE_LIMITED ? wg.device().cookieRepliesSent() : outbox.get(counter);
    }

    /** WireGuard's handshake messages written or accepted, over all connections. */
    public long handshakeCount(HandshakeCounter counter) {
        return wg.device().handshakeCount(counter);
    }

    /** WireGuard's own drop counter for {@code reason}, over all connections. */
    public long wireGuardDropCount(DropReason reason) {
        return wg.device().dropCount(reason);
    }

    // ---- helpers

    /** The connection to {@code peerId}, or null (counted as {@link NodeCounter#NO_CONNECTION}). */
    private Connection connection(String peerId) {
        Connection c = connections.byPeer(peerId);
        if (c == null) {
            outbox.count(NodeCounter.NO_CONNECTION);
        }
        return c;
    }

    private void sayGoodbye(Connection c, long now) {
        sendControl(c, new P2pMessage.Goodbye(), now);
        connections.close(c, CloseReason.CLOSED_LOCALLY);
    }

    private boolean sendControl(Connection c, P2pMessage message, long now) {
        // A client queues the message in WireGuard, which re-keys a session that expired while idle (nothing
        // else would: the message may be what the next packet waits for); a server never starts a handshake.
        if (c.pair == null || c.buffer == null && !c.tunnel.hasSendableSession()) {
            outbox.count(NodeCounter.NO_PATH);
            return false;
        }
        if (P2pControl.write(message, controlScratch.clear()) < 0) {
            throw new IllegalArgumentException("control message too long: " + message.type());
        }
        connections.onPacket(c, now);
        return wg.seal(c, controlScratch.flip(), now);
    }

    private NodeAction drop(NodeCounter reason, String peerId, NodeResult r) {
        outbox.count(reason);
        return r.set(NodeAction.DROPPED, 0, null, null, peerId, reason);
    }

    private long advance(long nowNs) {
        assert nowNs >= lastNowNs : "time went backwards: " + nowNs + " < " + lastNowNs;
        lastNowNs = Math.max(lastNowNs, nowNs);
        return lastNowNs;
    }
}
