package zonegate.wireguard;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.tinylog.Logger;
import zonegate.wireguard.internal.PacketQueue;
import zonegate.wireguard.internal.noise.PeerIdentity;
import zonegate.wireguard.internal.session.Keypairs;
import zonegate.wireguard.internal.session.Session;

/**
 * The WireGuard state machine of one peer: its sessions (previous, current, next), its handshake,
 * its timers and its bounded queue of packets waiting for a handshake. Made by
 * {@link Device#addPeer}; incoming datagrams reach it through {@link Device#handleDatagram}.
 *
 * <p>Sans-IO: every call takes {@code nowNs}, a monotonic clock reading from the host; a reading
 * older than one already seen is treated as the newest seen (time never runs backwards here). Not
 * thread-safe: the device and its tunnels belong to one thread.
 *
 * <p>Host loop for one peer:
 * <pre>{@code
 * switch (tunnel.encapsulate(ipPacket, out.clear(), nowNs, r)) {      // from the TUN device
 *     case WRITE_TO_NETWORK -> udp.send(out.flip(), tunnel.endpoint());
 *     case QUEUED, DROPPED, DONE, WRITE_TO_TUNNEL -> { }
 * }
 * // whenever nowNs >= tunnel.nextTimerDeadlineNs() (or after any call, it is cheap):
 * while (tunnel.updateTimers(nowNs, out.clear(), r) == Action.WRITE_TO_NETWORK) {
 *     udp.send(out.flip(), tunnel.endpoint());
 * }
 * }</pre>
 *
 * <p>Role rules. A {@link PeerRole#RESPONDER_ONLY} tunnel never starts a handshake: data without a
 * session is dropped ({@link DropReason#NO_SESSION}). An {@link PeerRole#INITIATOR} tunnel queues
 * data (at most {@link WireGuardConfig#maxQueuedPacketsPerPeer()}) while it handshakes, and never
 * encrypts new data under a session older than {@code rejectAfterTimeNs - initiatorSendMarginNs}.
 */
public final class Tunnel {
    final Device device;
    final WireGuardConfig wg;
    final PeerIdentity identity;
    final Keypairs keypairs = new Keypairs();
    final PacketQueue queue;
    final TunnelTimers timers;
    final TunnelHandshakes handshakes;
    final TunnelTransport transport;
    final Consumer<Session> releaseIndex;
    private final PublicKey publicKey;
    private final long[] drops = new long[DropReason.values().length];
    private PeerConfig config;
    private SocketAddress endpoint;
    private long lastNowNs = Long.MIN_VALUE;
    private boolean removed;
    /** Position in the device's {@link TimerSchedule}, maintained by it. */
    int heapIndex = TimerSchedule.ABSENT;
    long txPackets;
    long txBytes;
    long rxPackets;
    long rxBytes;
    long keepalivesSent;
    long keepalivesReceived;
    long handshakesSent;
    long handshakesCompleted;
    /** {@code nowNs} of the latest completed handshake, {@link #NEVER} before the first. */
    long lastHandshakeNs = NEVER;

    /** {@link #lastHandshakeNs()} before any handshake completed. */
    public static final long NEVER = Long.MIN_VALUE;

    Tunnel(Device device, PeerConfig config, PeerIdentity identity, long nowNs) {
        this.device = device;
        this.wg = device.config();
        this.config = config;
        this.publicKey = config.publicKey();
        this.identity = identity;
        this.queue = new PacketQueue(wg.maxQueuedPacketsPerPeer());
        this.timers = new TunnelTimers(this);
        this.handshakes = new TunnelHandshakes(this);
        this.transport = new TunnelTransport(this);
        this.releaseIndex = s -> device.releaseIndex(s.localIndex);
        this.lastNowNs = nowNs;
        timers.onConfigChanged(nowNs);
    }

    /**
     * Encrypts one IP packet from the TUN device for this peer into {@code dst}.
     *
     * <ul>
     *   <li>{@link Action#WRITE_TO_NETWORK}: {@code dst} holds a transport message (header, then the
     *       packet zero-padded to a multiple of 16 and encrypted, then the tag: {@code 32 + padded}
     *       bytes), or, when there was no session, a handshake initiation (the packet was queued).
     *   <li>{@link Action#QUEUED}: the packet waits for the handshake in progress.
     *   <li>{@link Action#DROPPED}: {@link DropReason#NO_SESSION}, {@link DropReason#QUEUE_FULL},
     *       {@link DropReason#BUFFER_TOO_SMALL}, ...
     * </ul>
     *
     * {@code src}'s remaining bytes are consumed unless the result is a drop for a small buffer.
     * {@code src} and {@code dst} must not share memory. No allocation when a session is up.
     * The plaintext is padded up to a multiple of 16 but not beyond {@link WireGuardConfig#mtuBytes()}.
     */
    public Action encapsulate(ByteBuffer src, ByteBuffer dst, long nowNs, TunnelResult r) {
        Action a = encapsulateAt(advance(nowNs), src, dst, r);
        reschedule();
        return a;
    }

    private Action encapsulateAt(long now, ByteBuffer src, ByteBuffer dst, TunnelResult r) {
        if (removed) {
            src.position(src.limit());
            return drop(DropReason.NO_SESSION, r);
        }
        Session s = sendableSession(now);
        if (s != null && queue.isEmpty()) {
            return transport.seal(s, src, dst, now, r);
        }
        if (config.role() == PeerRole.RESPONDER_ONLY) {
            Logger.trace("peer={} no session: dropping outgoing packet (responder only)", publicKey);
            src.position(src.limit());
            return drop(DropReason.NO_SESSION, r);
        }
        if (!queue.offer(src)) {
            src.position(src.limit());
            return drop(DropReason.QUEUE_FULL, r);
        }
        src.position(src.limit());
        if (s == null && !handshakes.inProgress()) {
            Action a = handshakes.writeInitiation(dst, now, r);
            if (a == Action.WRITE_TO_NETWORK) {
                return a;
            }
            timers.requestHandshake();
        }
        return r.set(Action.QUEUED, 0, null, this);
    }

    /**
     * Runs due timers: expires sessions, gives up handshakes, erases keys, and writes at most one
     * datagram (handshake initiation or retransmit, a queued packet, or a keepalive) into {@code out}.
     * Call it until it returns {@link Action#DONE} whenever {@code nowNs >= }{@link #nextTimerDeadlineNs()}.
     */
    public Action updateTimers(long nowNs, ByteBuffer out, TunnelResult r) {
        long now = advance(nowNs);
        if (removed) {
            return r.done(this);
        }
        Action a = timers.update(now, out, r);
        reschedule();
        return a;
    }

    /**
     * The exact monotonic instant at which {@link #updateTimers} next has work, or
     * {@link Long#MAX_VALUE} if none. It covers retransmits, give-up, keepalives, session expiry and
     * key erasure, so an idle peer's keys cannot outlive their limits unnoticed. May be in the past.
     */
    public long nextTimerDeadlineNs() {
        return removed ? Long.MAX_VALUE : timers.nextDeadlineNs(lastNowNs);
    }

    /** The peer's static public key. */
    public PublicKey publicKey() {
        return publicKey;
    }

    /** The current settings. */
    public PeerConfig config() {
        return config;
    }

    /** Where to send this peer's datagrams: the source of its last authenticated datagram, or as set. */
    public SocketAddress endpoint() {
        return endpoint;
    }

    /** Sets the endpoint (e.g. from configuration or ICE); authenticated datagrams update it (roaming). */
    public void setEndpoint(SocketAddress newEndpoint) {
        this.endpoint = newEndpoint;
    }

    /** Whether a session can carry data now (for an initiator: one young enough to send on). */
    public boolean hasSendableSession() {
        return sendableSession(lastNowNs) != null;
    }

    /** Whether an initiation of ours is waiting for its response. */
    public boolean handshakeInProgress() {
        return handshakes.inProgress();
    }

    /** Packets waiting for a handshake. */
    public int queuedPackets() {
        return queue.size();
    }

    /** Packets dropped at this peer for {@code reason}. */
    public long dropCount(DropReason reason) {
        return drops[reason.ordinal()];
    }

    /** Transport messages sent (data and keepalives). */
    public long txPackets() {
        return txPackets;
    }

    /** Bytes of transport messages sent, headers and tags included. */
    public long txBytes() {
        return txBytes;
    }

    /** Transport messages received and authenticated. */
    public long rxPackets() {
        return rxPackets;
    }

    /** Bytes of authenticated transport messages received. */
    public long rxBytes() {
        return rxBytes;
    }

    /** Keepalives (empty transport messages) sent. */
    public long keepalivesSent() {
        return keepalivesSent;
    }

    /** Keepalives received. */
    public long keepalivesReceived() {
        return keepalivesReceived;
    }

    /** Handshake initiations sent, retransmits included. */
    public long handshakesSent() {
        return handshakesSent;
    }

    /** Handshakes completed, in either role. */
    public long handshakesCompleted() {
        return handshakesCompleted;
    }

    /**
     * The monotonic time ({@code nowNs} of the call) at which the latest handshake completed, in either
     * role, or {@link #NEVER}: {@code wg show}'s "latest handshake".
     */
    public long lastHandshakeNs() {
        return lastHandshakeNs;
    }

    @Override
    public String toString() {
        return "Tunnel[peer=" + publicKey + "]";
    }

    // ---- package-private machinery, shared with Device, TunnelHandshakes and TunnelTimers ----

    long advance(long nowNs) {
        assert nowNs >= lastNowNs : "time went backwards: " + nowNs + " < " + lastNowNs;
        if (nowNs > lastNowNs) {
            lastNowNs = nowNs;
        }
        return lastNowNs;
    }

    /** The latest time this tunnel has seen. */
    long lastNowNs() {
        return lastNowNs;
    }

    /** Tells the device's timer index this tunnel's deadline may have moved; call after every input. */
    void reschedule() {
        device.schedule().lower(this, nextTimerDeadlineNs());
    }

    void markRemoved() {
        removed = true;
    }

    boolean initiator() {
        return config.role() == PeerRole.INITIATOR;
    }

    long rekeyAttemptTimeNs() {
        return config.rekeyAttemptTimeNs() > 0 ? config.rekeyAttemptTimeNs() : wg.rekeyAttemptTimeNs();
    }

    void reconfigure(PeerConfig newConfig, long nowNs) {
        this.config = newConfig;
        identity.setPresharedKey(newConfig.presharedKey() == null ? null : newConfig.presharedKey().rawBytes());
        if (!initiator()) {
            queue.clear();
        }
        timers.onConfigChanged(advance(nowNs));
    }

    Session sendableSession(long now) {
        Session s = keypairs.current();
        if (s == null) {
            return null;
        }
        long limitNs = initiator() ? wg.rejectAfterTimeNs() - wg.initiatorSendMarginNs() : wg.rejectAfterTimeNs();
        if (s.ageNs(now) >= limitNs || Long.compareUnsigned(s.sendCounter, wg.rejectAfterMessages()) >= 0) {
            return null;
        }
        return s;
    }

    Action drop(DropReason reason, TunnelResult r) {
        drops[reason.ordinal()]++;
        device.countDrop(reason);
        return r.drop(reason, this);
    }

    void drop(DropReason reason, int count) {
        drops[reason.ordinal()] += count;
        device.countDrop(reason, count);
    }

    void onEndpoint(SocketAddress from) {
        endpoint = from;
    }

    /** Erases all keys and handshake state, drops queued packets, releases indices. */
    void eraseAll() {
        keypairs.clear(releaseIndex);
        handshakes.abandon();
        queue.clear();
    }
}
