package zonegate.wireguard;

import java.time.InstantSource;
import static zonegate.wireguard.internal.noise.Messages.*;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.wireguard.internal.IndexTable;
import zonegate.wireguard.internal.SourceRateLimiter;
import zonegate.wireguard.internal.cookie.CookieResponder;
import zonegate.wireguard.internal.crypto.HandshakeAead;
import zonegate.wireguard.internal.crypto.NativeTransportAead;
import zonegate.wireguard.internal.crypto.TransportAead;
import zonegate.wireguard.internal.crypto.TransportAeads;
import zonegate.wireguard.internal.noise.LocalIdentity;
import zonegate.wireguard.internal.noise.NoiseProtocol;
import zonegate.wireguard.internal.noise.PeerIdentity;

/**
 * A WireGuard interface: our static key and many peers ({@link Tunnel}s). It routes incoming
 * datagrams: initiations to the peer named by the decrypted static key, responses, cookie replies
 * and transport messages by receiver index (random 32-bit, unique in the device). It checks mac1 on
 * every handshake message and, under load, demands mac2 (answering with cookie replies) and holds
 * each source to a token bucket before any Diffie-Hellman ({@link HandshakeRateLimit}).
 *
 * <p>Sans-IO and single-threaded: the host passes every datagram with its source, the current
 * monotonic {@code nowNs}, an output buffer and a reusable {@link TunnelResult}; randomness and the
 * wall clock are injected. Nothing here blocks, and bad input is dropped and counted, never thrown.
 *
 * <pre>{@code
 * Device device = new Device(privateKey, WireGuardConfig.DEFAULT, InstantSource.system(),
 *         new SecureRandom(), RandomGenerator.getDefault(), nowNs);
 * Tunnel client = device.addPeer(PeerConfig.of(clientKey).withRole(PeerRole.RESPONDER_ONLY), nowNs);
 * // on each datagram:
 * switch (device.handleDatagram(from, datagram, out.clear(), nowNs, result)) { ... }
 * // at device.nextTimerDeadlineNs():
 * while (device.handleTimeout(nowNs, out.clear(), result) != Action.DONE) { send to result.tunnel().endpoint() }
 * }</pre>
 *
 * <p>Bounds: {@link WireGuardConfig#maxPeers()} peers, 4 receiver indices per peer, and
 * {@link WireGuardConfig#maxEvents()} undrained events. Timers are indexed by deadline:
 * {@link #nextTimerDeadlineNs()} costs O(1) when nothing changed (O(log peers) otherwise) and
 * {@link #handleTimeout} visits only the peers that are due, however many peers there are.
 *
 * <p>Sub-components: {@link InboundHandshakes} (mac1, load, cookies, routing of handshake
 * messages), {@link TimerSchedule} (the deadline index), and per peer {@link Tunnel} with its
 * {@link TunnelHandshakes} and {@link TunnelTimers}.
 */
public final class Device {
    private final WireGuardConfig config;
    private final InstantSource wallClock;
    private final RandomGenerator random;
    private final LocalIdentity local;
    private final PublicKey publicKey;
    private final NoiseProtocol noise;
    private final HandshakeAead handshakeAead = new HandshakeAead();
    private final TransportAead aead;
    private final CookieResponder cookieResponder;
    private final InboundHandshakes inbound;
    private final TimerSchedule schedule = new TimerSchedule();
    private final Map<PublicKey, Tunnel> peers = new HashMap<>();
    private final List<Tunnel> peerList = new ArrayList<>();
    private final IndexTable<Tunnel> indices;
    private final ArrayDeque<TunnelEvent> events = new ArrayDeque<>();
    private final long[] drops = new long[DropReason.values().length];
    private final long[] handshakes = new long[HandshakeCounter.values().length];
    private long lastNowNs;
    private long eventsDropped;

    /**
     * @param privateKey our static key (copied; the caller may destroy its copy)
     * @param secureRandom ephemeral keys, cookie secrets, cookie nonces and the rate-limit table's hash key
     * @param random receiver indices and retransmit jitter
     * @param nowNs the current monotonic time
     * @throws IllegalStateException if {@code config} demands the native AEAD and it is unavailable
     */
    public Device(PrivateKey privateKey, WireGuardConfig config, InstantSource wallClock, SecureRandom secureRandom,
            RandomGenerator random, long nowNs) {
        this.config = Objects.requireNonNull(config);
        this.wallClock = Objects.requireNonNull(wallClock);
        this.random = Objects.requireNonNull(random);
        this.aead = TransportAeads.create(config.aead());
        this.local = new LocalIdentity(privateKey.rawBytes());
        this.publicKey = PublicKey.of(local.staticPublic());
        this.noise = new NoiseProtocol(secureRandom);
        this.cookieResponder = new CookieResponder(local, secureRandom, handshakeAead, config.cookieRefreshTimeNs());
        HandshakeRateLimit limit = config.handshakeRateLimit();
        long k0 = secureRandom.nextLong();
        long k1 = secureRandom.nextLong();
        this.inbound = new InboundHandshakes(this, cookieResponder,
                new SourceRateLimiter(limit.maxSources(), limit.perSecond(), limit.burst(), k0, k1),
                new SourceRateLimiter(limit.maxSources(), limit.cookieRepliesPerSecond(), limit.cookieReplyBurst(),
                        k1, k0), nowNs);
        this.indices = new IndexTable<>(Math.multiplyExact(config.maxPeers(), 4));
        this.lastNowNs = nowNs;
    }

    /** Our static public key. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /**
     * Adds a peer.
     *
     * @throws IllegalArgumentException if the peer exists or its key is of low order
     * @throws IllegalStateException if {@link WireGuardConfig#maxPeers()} peers exist
     */
    public Tunnel addPeer(PeerConfig peer, long nowNs) {
        long now = advance(nowNs);
        if (peers.containsKey(peer.publicKey())) {
            throw new IllegalArgumentException("peer already present: " + peer.publicKey());
        }
        if (peers.size() >= config.maxPeers()) {
            throw new IllegalStateException("peer table full (" + config.maxPeers() + ")");
        }
        PeerIdentity identity = new PeerIdentity(local, peer.publicKey().toBytes(),
                peer.presharedKey() == null ? null : peer.presharedKey().rawBytes());
        if (!identity.usable) {
            throw new IllegalArgumentException("peer key is of low order: " + peer.publicKey());
        }
        Tunnel tunnel = new Tunnel(this, peer, identity, now);
        peers.put(peer.publicKey(), tunnel);
        peerList.add(tunnel);
        schedule.add(tunnel);
        Logger.debug("peer={} added ({})", peer.publicKey(), peer.role());
        return tunnel;
    }

    /**
     * Changes a peer's preshared key, role, persistent keepalive or attempt time; sessions stay up.
     * Making a peer responder-only abandons its handshake and drops its queue.
     *
     * @throws IllegalArgumentException if there is no such peer
     */
    public Tunnel updatePeer(PeerConfig peer, long nowNs) {
        long now = advance(nowNs);
        Tunnel tunnel = peers.get(peer.publicKey());
        if (tunnel == null) {
            throw new IllegalArgumentException("no such peer: " + peer.publicKey());
        }
        tunnel.reconfigure(peer, now);
        tunnel.reschedule();
        return tunnel;
    }

    /**
     * Removes a peer, erasing its keys and releasing its receiver indices (datagrams for them are then
     * dropped as {@link DropReason#UNKNOWN_RECEIVER}); returns whether it existed. Other peers are
     * untouched. The removed {@link Tunnel} is inert: it drops whatever it is given.
     */
    public boolean removePeer(PublicKey peer) {
        Tunnel tunnel = peers.remove(peer);
        if (tunnel == null) {
            return false;
        }
        peerList.remove(tunnel);
        schedule.remove(tunnel);
        tunnel.markRemoved();
        tunnel.eraseAll();
        tunnel.identity.erase();
        Logger.debug("peer={} removed", peer);
        return true;
    }

    /** The peer with this key, or null. */
    public Tunnel peer(PublicKey peer) {
        return peers.get(peer);
    }

    /** All peers (unmodifiable view). */
    public Collection<Tunnel> peers() {
        return Collections.unmodifiableList(peerList);
    }

    /**
     * Handles one datagram from the network. The datagram's remaining bytes are consumed.
     *
     * <ul>
     *   <li>{@link Action#WRITE_TO_TUNNEL}: {@code out} holds the decrypted IP packet (padding removed)
     *       of {@link TunnelResult#tunnel()}; check its source address against that peer's allowed IPs.
     *   <li>{@link Action#WRITE_TO_NETWORK}: send {@code out} back to {@code from}: a handshake response,
     *       a cookie reply, or, after our handshake completed, the first queued packet or a keepalive
     *       (drain the rest with {@link #handleTimeout}).
     *   <li>{@link Action#DONE}: consumed (a keepalive, a cookie).
     *   <li>{@link Action#DROPPED}: see {@link TunnelResult#dropReason()}; unauthenticated input never
     *       changes any state but drop counters.
     * </ul>
     *
     * @param from the source; with mac2 the cookie is bound to its address and port
     */
    public Action handleDatagram(SocketAddress from, ByteBuffer datagram, ByteBuffer out, long nowNs,
            TunnelResult r) {
        long now = advance(nowNs);
        int pos = datagram.position();
        int len = datagram.remaining();
        datagram.position(datagram.limit());
        if (len < 4) {
            return drop(DropReason.MALFORMED, r);
        }
        int type = le32(datagram, pos);
        return switch (type) {
            case TYPE_TRANSPORT -> len < TRANSPORT_OVERHEAD_BYTES ? drop(DropReason.MALFORMED, r)
                    : onTransport(from, datagram, pos, out, now, r);
            case TYPE_INITIATION -> len != INITIATION_BYTES ? drop(DropReason.MALFORMED, r)
                    : inbound.onInitiation(from, datagram, pos, out, now, r);
            case TYPE_RESPONSE -> len != RESPONSE_BYTES ? drop(DropReason.MALFORMED, r)
                    : inbound.onResponse(from, datagram, pos, out, now, r);
            case TYPE_COOKIE_REPLY -> len != COOKIE_REPLY_BYTES ? drop(DropReason.MALFORMED, r)
                    : inbound.onCookieReply(datagram, pos, now, r);
            default -> drop(DropReason.MALFORMED, r);
        };
    }

    private Action onTransport(SocketAddress from, ByteBuffer datagram, int pos, ByteBuffer out, long now,
            TunnelResult r) {
        int receiver = le32(datagram, pos + TRANSPORT_RECEIVER);
        Tunnel t = indices.get(receiver);
        if (t == null) {
            Logger.trace("transport packet for an unknown receiver index from {}", from);
            return drop(DropReason.UNKNOWN_RECEIVER, r);
        }
        datagram.position(pos);
        Action a = t.transport.receive(receiver, from, datagram, out, now, r);
        datagram.position(datagram.limit());
        t.reschedule();
        return a;
    }

    /**
     * Runs the timers of the peers whose deadline has come, earliest deadline first, and writes at
     * most one datagram; send it to {@link TunnelResult#tunnel()}'s {@link Tunnel#endpoint()}. Call
     * again until it returns {@link Action#DONE}. Peers that are not due are not visited; due peers
     * with equal deadlines take turns, so none starves another.
     */
    public Action handleTimeout(long nowNs, ByteBuffer out, TunnelResult r) {
        long now = advance(nowNs);
        try {
            for (Tunnel t; (t = schedule.firstDue(now)) != null; ) {
                Action a = t.updateTimers(now, out, r);
                if (a == Action.WRITE_TO_NETWORK) {
                    return a;
                }
                if (t.nextTimerDeadlineNs() <= now) {
                    // Still due without having written (e.g. the buffer was too small): not again in this call.
                    schedule.park(t);
                }
            }
            return r.done(null);
        } finally {
            schedule.unparkAll();
        }
    }

    /**
     * The earliest {@link Tunnel#nextTimerDeadlineNs()} over the peers, exactly, or
     * {@link Long#MAX_VALUE}. O(1) when no peer's deadline changed since the last call.
     */
    public long nextTimerDeadlineNs() {
        return schedule.earliestNs();
    }

    /** The next event, or null. */
    public TunnelEvent pollEvent() {
        return events.poll();
    }

    /** Forces (or stops forcing) the under-load mode: mac2 demanded, cookie replies sent. */
    public void setUnderLoad(boolean underLoad) {
        inbound.setUnderLoad(underLoad);
    }

    /** Whether handshake messages currently need a valid mac2. */
    public boolean underLoad(long nowNs) {
        return inbound.underLoad(advance(nowNs));
    }

    /** Datagrams and packets dropped for {@code reason}, over all peers and unattributed input. */
    public long dropCount(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Handshake messages written or accepted, over all peers (see {@link HandshakeCounter}). */
    public long handshakeCount(HandshakeCounter counter) {
        return handshakes[counter.ordinal()];
    }

    /** Events dropped because the event queue was full. */
    public long eventsDropped() {
        return eventsDropped;
    }

    /** Cookie replies sent while under load. */
    public long cookieRepliesSent() {
        return inbound.cookieRepliesSent();
    }

    /**
     * Handshake messages that passed every check in front of the Diffie-Hellman: mac1 and, under load,
     * mac2 and their source's token bucket. Those refused by the bucket are counted as
     * {@link DropReason#SOURCE_RATE_LIMITED} and {@link DropReason#SOURCE_TABLE_FULL}.
     */
    public long handshakesAdmitted() {
        return inbound.handshakesAdmitted();
    }

    /** Sources in the handshake rate-limit table (at most {@link HandshakeRateLimit#maxSources()}). */
    public int rateLimitedSources() {
        return inbound.rateLimitedSources();
    }

    /** Receiver indices in use. */
    public int indicesInUse() {
        return indices.size();
    }

    /** The transport AEAD in use: {@link AeadChoice#NATIVE} or {@link AeadChoice#JCE}. */
    public AeadChoice aeadInUse() {
        return aead instanceof NativeTransportAead ? AeadChoice.NATIVE : AeadChoice.JCE;
    }

    /** The configuration. */
    public WireGuardConfig config() {
        return config;
    }

    // ---- package-private services for tunnels ----

    InstantSource wallClock() {
        return wallClock;
    }

    RandomGenerator random() {
        return random;
    }

    LocalIdentity local() {
        return local;
    }

    NoiseProtocol noise() {
        return noise;
    }

    HandshakeAead handshakeAead() {
        return handshakeAead;
    }

    TransportAead aead() {
        return aead;
    }

    CookieResponder cookieResponder() {
        return cookieResponder;
    }

    /** A fresh random receiver index owned by {@code owner}, or -1 if the table is full. */
    long allocateIndex(Tunnel owner) {
        for (int attempt = 0; attempt < 64; attempt++) {
            int index = random.nextInt();
            if (indices.putIfAbsent(index, owner)) {
                return index & 0xffffffffL;
            }
        }
        return -1;
    }

    Tunnel tunnelForIndex(int index) {
        return indices.get(index);
    }

    TimerSchedule schedule() {
        return schedule;
    }

    void releaseIndex(int index) {
        indices.remove(index);
    }

    void emit(TunnelEvent event) {
        if (events.size() >= config.maxEvents()) {
            eventsDropped++;
            return;
        }
        events.add(event);
    }

    void countDrop(DropReason reason) {
        drops[reason.ordinal()]++;
    }

    void countHandshake(HandshakeCounter counter) {
        handshakes[counter.ordinal()]++;
    }

    void countDrop(DropReason reason, int count) {
        drops[reason.ordinal()] += count;
    }

    Action written(TunnelResult r, int length, Tunnel t) {
        return r.set(Action.WRITE_TO_NETWORK, length, null, t);
    }

    Action drop(DropReason reason, TunnelResult r) {
        countDrop(reason);
        return r.drop(reason, null);
    }

    private long advance(long nowNs) {
        assert nowNs >= lastNowNs : "time went backwards: " + nowNs + " < " + lastNowNs;
        lastNowNs = Math.max(lastNowNs, nowNs);
        return lastNowNs;
    }
}
