package zonegate.wireguard;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.function.Consumer;
import org.tinylog.Logger;
import zonegate.wireguard.internal.PacketQueue;
import zonegate.wireguard.internal.noise.Messages;
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
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    final Device device;
    final WireGuardConfig wg;
    final PeerIdentity identity;
    final Keypairs keypairs = new Keypairs();
    final PacketQueue queue;
    final TunnelTimers timers;
    final TunnelHandshakes handshakes;
    final Consumer<Session> releaseIndex;
    private final PublicKey publicKey;
    private final long[] drops = new long[DropReason.values().length];
    private PeerConfig config;
    private SocketAddress endpoint;
    private long lastNowNs = Long.MIN_VALUE;
    long txPackets;
    long txBytes;
    long rxPackets;
    long rxBytes;
    long keepalivesSent;
    long keepalivesReceived;
    long handshakesSent;
    long handshakesCompleted;

    Tunnel(Device device, PeerConfig config, PeerIdentity identity, long nowNs) {
        this.device = device;
        this.wg = device.config();
        this.config = config;
        this.publicKey = config.publicKey();
        this.identity = identity;
        this.queue = new PacketQueue(wg.maxQueuedPacketsPerPeer());
        this.timers = new TunnelTimers(this);
        this.handshakes = new TunnelHandshakes(this);
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
     */
    public Action encapsulate(ByteBuffer src, ByteBuffer dst, long nowNs, TunnelResult r) {
        long now = advance(nowNs);
        Session s = sendableSession(now);
        if (s != null && queue.isEmpty()) {
            return seal(s, src, dst, now, r);
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
        return timers.update(advance(nowNs), out, r);
    }

    /**
     * The exact monotonic instant at which {@link #updateTimers} next has work, or
     * {@link Long#MAX_VALUE} if none. It covers retransmits, give-up, keepalives, session expiry and
     * key erasure, so an idle peer's keys cannot outlive their limits unnoticed. May be in the past.
     */
    public long nextTimerDeadlineNs() {
        return timers.nextDeadlineNs(lastNowNs);
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

    public long txPackets() {
        return txPackets;
    }

    public long txBytes() {
        return txBytes;
    }

    public long rxPackets() {
        return rxPackets;
    }

    public long rxBytes() {
        return rxBytes;
    }

    public long keepalivesSent() {
        return keepalivesSent;
    }

    public long keepalivesReceived() {
        return keepalivesReceived;
    }

    public long handshakesSent() {
        return handshakesSent;
    }

    public long handshakesCompleted() {
        return handshakesCompleted;
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

    /** Encrypts {@code src} on {@code s} into {@code dst}; an empty {@code src} makes a keepalive. */
    Action seal(Session s, ByteBuffer src, ByteBuffer dst, long now, TunnelResult r) {
        int len = src.remaining();
        int pad = -len & 15;
        int total = Messages.TRANSPORT_OVERHEAD_BYTES + len + pad;
        if (dst.remaining() < total) {
            return drop(DropReason.BUFFER_TOO_SMALL, r);
        }
        long counter = s.sendCounter++;
        int start = dst.position();
        Messages.putLe32(dst, start, Messages.TYPE_TRANSPORT);
        Messages.putLe32(dst, start + Messages.TRANSPORT_RECEIVER, s.remoteIndex);
        Messages.putLe64(dst, start + Messages.TRANSPORT_COUNTER, counter);
        dst.position(start + Messages.TRANSPORT_HEADER_BYTES);
        device.aead().seal(s.sendKey, counter, src, pad, dst);
        txPackets++;
        txBytes += total;
        if (len == 0) {
            keepalivesSent++;
        } else {
            timers.onDataSent(now);
        }
        timers.onAuthenticatedSent(now);
        if (initiator() && !handshakes.inProgress()
                && (Long.compareUnsigned(s.sendCounter, wg.rekeyAfterMessages()) >= 0
                        || (s.localInitiated && s.ageNs(now) >= wg.rekeyAfterTimeNs()))) {
            timers.requestHandshake();
        }
        return r.set(Action.WRITE_TO_NETWORK, total, null, this);
    }

    /** Sends the oldest queued packet, or a keepalive if the queue is empty. */
    Action sendQueuedOrKeepalive(Session s, ByteBuffer out, long now, TunnelResult r) {
        ByteBuffer packet = queue.peek();
        if (packet == null) {
            return seal(s, EMPTY.duplicate(), out, now, r);
        }
        Action a = seal(s, packet, out, now, r);
        if (a == Action.WRITE_TO_NETWORK) {
            queue.remove();
        }
        return a;
    }

    /** Decrypts a transport message already routed here by its receiver index. */
    Action receiveTransport(int receiverIndex, SocketAddress from, ByteBuffer datagram, ByteBuffer dst, long nowNs,
            TunnelResult r) {
        long now = advance(nowNs);
        Session s = keypairs.byLocalIndex(receiverIndex);
        if (s == null) {
            return drop(DropReason.UNKNOWN_RECEIVER, r);
        }
        int pos = datagram.position();
        long counter = Messages.le64(datagram, pos + Messages.TRANSPORT_COUNTER);
        if (s.ageNs(now) >= wg.rejectAfterTimeNs()
                || Long.compareUnsigned(counter, wg.rejectAfterMessages()) >= 0) {
            return drop(DropReason.SESSION_EXPIRED, r);
        }
        if (!s.replay.canAccept(counter)) {
            return drop(DropReason.REPLAYED, r);
        }
        int datagramBytes = datagram.remaining();
        if (dst.remaining() < datagramBytes - Messages.TRANSPORT_OVERHEAD_BYTES) {
            return drop(DropReason.BUFFER_TOO_SMALL, r);
        }
        int start = dst.position();
        datagram.position(pos + Messages.TRANSPORT_HEADER_BYTES);
        int n = device.aead().open(s.receiveKey, counter, datagram, dst);
        if (n < 0) {
            dst.position(start);
            return drop(DropReason.DECRYPT_FAILED, r);
        }
        s.replay.accept(counter);
        rxPackets++;
        rxBytes += datagramBytes;
        endpoint = from;
        timers.onAuthenticatedReceived(now);
        if (keypairs.confirm(s, releaseIndex)) {
            Logger.debug("peer={} session confirmed by initiator", publicKey);
            handshakesCompleted++;
            device.emit(new TunnelEvent.SessionEstablished(publicKey, false, now));
        }
        Session current = keypairs.current();
        if (initiator() && current != null && current.localInitiated && !handshakes.inProgress()
                && current.ageNs(now) >= wg.rejectAfterTimeNs() - wg.keepaliveTimeoutNs() - wg.rekeyTimeoutNs()) {
            timers.requestHandshake();
        }
        if (n == 0) {
            keepalivesReceived++;
            return r.done(this);
        }
        int ipBytes = innerPacketLength(dst, start, n);
        if (ipBytes < 0) {
            dst.position(start);
            return drop(DropReason.BAD_INNER_PACKET, r);
        }
        timers.onDataReceived(now);
        dst.position(start + ipBytes);
        return r.set(Action.WRITE_TO_TUNNEL, ipBytes, null, this);
    }

    /** The IP packet's own length (the rest is padding), or -1 if it is not IPv4/IPv6 or does not fit. */
    private static int innerPacketLength(ByteBuffer b, int start, int n) {
        int version = (b.get(start) & 0xff) >>> 4;
        if (version == 4 && n >= 20) {
            int len = (b.get(start + 2) & 0xff) << 8 | (b.get(start + 3) & 0xff);
            return len >= 20 && len <= n ? len : -1;
        }
        if (version == 6 && n >= 40) {
            int len = 40 + ((b.get(start + 4) & 0xff) << 8 | (b.get(start + 5) & 0xff));
            return len <= n ? len : -1;
        }
        return -1;
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
