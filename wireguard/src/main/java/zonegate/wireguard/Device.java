package zonegate.wireguard;

import static zonegate.wireguard.internal.noise.Messages.*;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import zonegate.wireguard.internal.cookie.CookieResponder;
import zonegate.wireguard.internal.crypto.HandshakeAead;
import zonegate.wireguard.internal.crypto.JceTransportAead;
import zonegate.wireguard.internal.crypto.TransportAead;
import zonegate.wireguard.internal.noise.LocalIdentity;
import zonegate.wireguard.internal.noise.NoiseProtocol;
import zonegate.wireguard.internal.noise.PeerIdentity;

/**
 * A WireGuard interface: our static key and many peers ({@link Tunnel}s). It routes incoming
 * datagrams: initiations to the peer named by the decrypted static key, responses, cookie replies
 * and transport messages by receiver index (random 32-bit, unique in the device). It checks mac1 on
 * every handshake message and, under load, demands mac2 and answers with cookie replies.
 *
 * <p>Sans-IO and single-threaded: the host passes every datagram with its source, the current
 * monotonic {@code nowNs}, an output buffer and a reusable {@link TunnelResult}; randomness and the
 * wall clock are injected. Nothing here blocks, and bad input is dropped and counted, never thrown.
 *
 * <pre>{@code
 * Device device = new Device(privateKey, WireGuardConfig.DEFAULT, WallClock.system(),
 *         new SecureRandom(), RandomGenerator.getDefault(), nowNs);
 * Tunnel client = device.addPeer(PeerConfig.of(clientKey).withRole(PeerRole.RESPONDER_ONLY), nowNs);
 * // on each datagram:
 * switch (device.handleDatagram(from, datagram, out.clear(), nowNs, result)) { ... }
 * // at device.nextTimerDeadlineNs():
 * while (device.handleTimeout(nowNs, out.clear(), result) != Action.DONE) { send to result.tunnel().endpoint() }
 * }</pre>
 *
 * <p>Bounds: {@link WireGuardConfig#maxPeers()} peers, 4 receiver indices per peer, and
 * {@link WireGuardConfig#maxEvents()} undrained events. {@link #nextTimerDeadlineNs()} and
 * {@link #handleTimeout} scan the peers (O(peers)).
 */
public final class Device {
    private final WireGuardConfig config;
    private final WallClock wallClock;
    private final RandomGenerator random;
    private final LocalIdentity local;
    private final PublicKey publicKey;
    private final NoiseProtocol noise;
    private final HandshakeAead handshakeAead = new HandshakeAead();
    private final TransportAead aead = new JceTransportAead();
    private final CookieResponder cookieResponder;
    private final Map<PublicKey, Tunnel> peers = new HashMap<>();
    private final List<Tunnel> peerList = new ArrayList<>();
    private final IndexTable<Tunnel> indices;
    private final ArrayDeque<TunnelEvent> events = new ArrayDeque<>();
    private final long[] drops = new long[DropReason.values().length];
    private final byte[] initiation = new byte[INITIATION_BYTES];
    private final byte[] response = new byte[RESPONSE_BYTES];
    private final byte[] cookieReply = new byte[COOKIE_REPLY_BYTES];
    private long lastNowNs;
    private int timerCursor;
    private boolean forcedUnderLoad;
    private long loadBucketStartNs;
    private int handshakesThisSecond;
    private int handshakesLastSecond;
    private long eventsDropped;
    private long cookieRepliesSent;

    /**
     * @param privateKey our static key (copied; the caller may destroy its copy)
     * @param secureRandom ephemeral keys, cookie secrets and cookie nonces
     * @param random receiver indices and retransmit jitter
     * @param nowNs the current monotonic time
     */
    public Device(PrivateKey privateKey, WireGuardConfig config, WallClock wallClock, SecureRandom secureRandom,
            RandomGenerator random, long nowNs) {
        this.config = Objects.requireNonNull(config);
        this.wallClock = Objects.requireNonNull(wallClock);
        this.random = Objects.requireNonNull(random);
        this.local = new LocalIdentity(privateKey.rawBytes());
        this.publicKey = PublicKey.of(local.staticPublic());
        this.noise = new NoiseProtocol(secureRandom);
        this.cookieResponder = new CookieResponder(local, secureRandom, handshakeAead, config.cookieRefreshTimeNs());
        this.indices = new IndexTable<>(Math.multiplyExact(config.maxPeers(), 4));
        this.lastNowNs = nowNs;
        this.loadBucketStartNs = nowNs;
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
        return tunnel;
    }

    /** Removes a peer, erasing its keys; returns whether it existed. Other peers are untouched. */
    public boolean removePeer(PublicKey peer) {
        Tunnel tunnel = peers.remove(peer);
        if (tunnel == null) {
            return false;
        }
        peerList.remove(tunnel);
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
            case TYPE_TRANSPORT -> {
                if (len < TRANSPORT_OVERHEAD_BYTES) {
                    yield drop(DropReason.MALFORMED, r);
                }
                int receiver = le32(datagram, pos + TRANSPORT_RECEIVER);
                Tunnel t = indices.get(receiver);
                if (t == null) {
                    Logger.trace("transport packet for an unknown receiver index from {}", from);
                    yield drop(DropReason.UNKNOWN_RECEIVER, r);
                }
                datagram.position(pos);
                Action a = t.receiveTransport(receiver, from, datagram, out, now, r);
                datagram.position(datagram.limit());
                yield a;
            }
            case TYPE_INITIATION -> len != INITIATION_BYTES ? drop(DropReason.MALFORMED, r)
                    : handleInitiation(from, copy(datagram, pos, initiation), out, now, r);
            case TYPE_RESPONSE -> len != RESPONSE_BYTES ? drop(DropReason.MALFORMED, r)
                    : handleResponse(from, copy(datagram, pos, response), out, now, r);
            case TYPE_COOKIE_REPLY -> {
                if (len != COOKIE_REPLY_BYTES) {
                    yield drop(DropReason.MALFORMED, r);
                }
                copy(datagram, pos, cookieReply);
                Tunnel t = indices.get(le32(cookieReply, COOKIE_RECEIVER));
                yield t == null ? drop(DropReason.UNKNOWN_RECEIVER, r) : t.handshakes.consumeCookieReply(cookieReply, now, r);
            }
            default -> drop(DropReason.MALFORMED, r);
        };
    }

    private Action handleInitiation(SocketAddress from, byte[] msg, ByteBuffer out, long now, TunnelResult r) {
        countHandshake(now);
        if (!cookieResponder.checkMac1(msg, INITIATION_MAC1)) {
            return drop(DropReason.BAD_MAC1, r);
        }
        if (underLoad(now) && !cookieResponder.checkMac2(msg, INITIATION_MAC2, sourceBytes(from), now)) {
            return sendCookieReply(from, msg, INITIATION_MAC1, le32(msg, INITIATION_SENDER), out, now, r);
        }
        if (!noise.readInitiationStatic(local, msg)) {
            noise.eraseResponderScratch();
            return drop(DropReason.HANDSHAKE_FAILED, r);
        }
        Tunnel t = peers.get(PublicKey.of(noise.peerStatic));
        if (t == null) {
            noise.eraseResponderScratch();
            Logger.debug("handshake initiation from an unknown static key {} via {}", PublicKey.of(noise.peerStatic), from);
            return drop(DropReason.UNKNOWN_PEER, r);
        }
        Action a = t.handshakes.consumeInitiation(msg, from, out, now, r);
        noise.eraseResponderScratch();
        return a;
    }

    private Action handleResponse(SocketAddress from, byte[] msg, ByteBuffer out, long now, TunnelResult r) {
        countHandshake(now);
        if (!cookieResponder.checkMac1(msg, RESPONSE_MAC1)) {
            return drop(DropReason.BAD_MAC1, r);
        }
        if (underLoad(now) && !cookieResponder.checkMac2(msg, RESPONSE_MAC2, sourceBytes(from), now)) {
            return sendCookieReply(from, msg, RESPONSE_MAC1, le32(msg, RESPONSE_SENDER), out, now, r);
        }
        Tunnel t = indices.get(le32(msg, RESPONSE_RECEIVER));
        if (t == null) {
            return drop(DropReason.UNKNOWN_RECEIVER, r);
        }
        return t.handshakes.consumeResponse(msg, from, out, now, r);
    }

    private Action sendCookieReply(SocketAddress from, byte[] msg, int mac1Off, int receiver, ByteBuffer out,
            long now, TunnelResult r) {
        if (out.remaining() < COOKIE_REPLY_BYTES) {
            return drop(DropReason.BUFFER_TOO_SMALL, r);
        }
        cookieResponder.writeCookieReply(msg, mac1Off, receiver, sourceBytes(from), now, cookieReply);
        out.put(cookieReply);
        cookieRepliesSent++;
        Logger.trace("under load: cookie reply to {}", from);
        return r.set(Action.WRITE_TO_NETWORK, COOKIE_REPLY_BYTES, null, null);
    }

    /**
     * Runs the timers of every peer whose deadline has come and writes at most one datagram; send it
     * to {@link TunnelResult#tunnel()}'s {@link Tunnel#endpoint()}. Call again until it returns
     * {@link Action#DONE}. Peers are visited round-robin so none starves another.
     */
    public Action handleTimeout(long nowNs, ByteBuffer out, TunnelResult r) {
        long now = advance(nowNs);
        int n = peerList.size();
        for (int i = 0; i < n; i++) {
            Tunnel t = peerList.get((timerCursor + i) % n);
            if (t.nextTimerDeadlineNs() > now) {
                continue;
            }
            Action a = t.updateTimers(now, out, r);
            if (a == Action.WRITE_TO_NETWORK) {
                timerCursor = (timerCursor + i) % n;
                return a;
            }
        }
        return r.done(null);
    }

    /** The earliest {@link Tunnel#nextTimerDeadlineNs()} over the peers, or {@link Long#MAX_VALUE}. */
    public long nextTimerDeadlineNs() {
        long d = Long.MAX_VALUE;
        for (int i = 0; i < peerList.size(); i++) {
            d = Math.min(d, peerList.get(i).nextTimerDeadlineNs());
        }
        return d;
    }

    /** The next event, or null. */
    public TunnelEvent pollEvent() {
        return events.poll();
    }

    /** Forces (or stops forcing) the under-load mode: mac2 demanded, cookie replies sent. */
    public void setUnderLoad(boolean underLoad) {
        this.forcedUnderLoad = underLoad;
    }

    /** Whether handshake messages currently need a valid mac2. */
    public boolean underLoad(long nowNs) {
        rollLoadBucket(advance(nowNs));
        int threshold = config.underLoadHandshakesPerSecond();
        return forcedUnderLoad
                || (threshold > 0 && (handshakesThisSecond > threshold || handshakesLastSecond > threshold));
    }

    /** Datagrams and packets dropped for {@code reason}, over all peers and unattributed input. */
    public long dropCount(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Events dropped because the event queue was full. */
    public long eventsDropped() {
        return eventsDropped;
    }

    /** Cookie replies sent while under load. */
    public long cookieRepliesSent() {
        return cookieRepliesSent;
    }

    /** Receiver indices in use. */
    public int indicesInUse() {
        return indices.size();
    }

    /** The configuration. */
    public WireGuardConfig config() {
        return config;
    }

    // ---- package-private services for tunnels ----

    WallClock wallClock() {
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

    void countDrop(DropReason reason, int count) {
        drops[reason.ordinal()] += count;
    }

    Action written(TunnelResult r, int length, Tunnel t) {
        return r.set(Action.WRITE_TO_NETWORK, length, null, t);
    }

    private Action drop(DropReason reason, TunnelResult r) {
        countDrop(reason);
        return r.drop(reason, null);
    }

    private long advance(long nowNs) {
        assert nowNs >= lastNowNs : "time went backwards: " + nowNs + " < " + lastNowNs;
        lastNowNs = Math.max(lastNowNs, nowNs);
        return lastNowNs;
    }

    private void countHandshake(long now) {
        rollLoadBucket(now);
        if (handshakesThisSecond < Integer.MAX_VALUE) {
            handshakesThisSecond++;
        }
    }

    private void rollLoadBucket(long now) {
        long elapsed = now - loadBucketStartNs;
        if (elapsed >= 1_000_000_000L) {
            handshakesLastSecond = elapsed >= 2_000_000_000L ? 0 : handshakesThisSecond;
            handshakesThisSecond = 0;
            loadBucketStartNs = now;
        }
    }

    private static byte[] copy(ByteBuffer datagram, int pos, byte[] into) {
        datagram.get(pos, into, 0, into.length);
        return into;
    }

    /** The cookie's binding: IP address bytes and big-endian port, or the text of other address kinds. */
    private static byte[] sourceBytes(SocketAddress from) {
        if (from instanceof InetSocketAddress inet && inet.getAddress() != null) {
            byte[] ip = inet.getAddress().getAddress();
            byte[] out = new byte[ip.length + 2];
            System.arraycopy(ip, 0, out, 0, ip.length);
            out[ip.length] = (byte) (inet.getPort() >>> 8);
            out[ip.length + 1] = (byte) inet.getPort();
            return out;
        }
        return String.valueOf(from).getBytes(StandardCharsets.UTF_8);
    }
}
