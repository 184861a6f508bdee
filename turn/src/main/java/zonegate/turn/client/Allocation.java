package zonegate.turn.client;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.random.RandomGenerator;
import zonegate.stun.ChannelDataView;
import zonegate.stun.DatagramKind;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMethod;
import zonegate.stun.StunParseResult;
import zonegate.stun.StunParser;
import zonegate.turn.client.internal.AllocationState;
import zonegate.turn.client.internal.AllocationTimers;
import zonegate.turn.client.internal.ChannelDataPath;
import zonegate.turn.client.internal.ResponseHandler;

/**
 * One TURN allocation on one relay (RFC 8656), as a sans-IO state machine: it never opens a socket,
 * reads a clock or starts a thread. It learns the server-reflexive address with BINDING and keeps the
 * NAT binding open (every 25 s without other traffic with the relay), allocates with long-term
 * credentials (401 then an authenticated retry; 438 retried with the new nonce), refreshes at half the
 * lifetime, binds channels on demand and frames ChannelData both ways. Requests are retransmitted after
 * 1 s, x1.5 each time, and given up after 8 s: unless the relay answered something since that request
 * was last sent (then the request alone was lost and is asked again), the relay is unresponsive and the
 * allocation is {@link AllocationEvent.Invalidated invalidated} (its relayed addresses withdrawn; the server-reflexive
 * address, our NAT's mapping, is kept); the next answered BINDING allocates again. That BINDING is
 * the next keepalive, 25 s on, unless {@link #probe} asks for it sooner (a new connection needs the relay).
 *
 * <pre>{@code
 * Allocation allocation = new Allocation(AllocationConfig.of(relay, user, pass), random, nowNs);
 * // on every datagram:   if (allocation.handleInput(from, datagram, nowNs)) { ... consumed ... }
 * // when a peer needs it: Transmit t = allocation.encapsulate(peer, wireguardPacket, nowNs);
 * //   or, allocation-free: frameChannelData(...) in front of a payload already in place,
 * //   and unwrapChannelData(...) before handleInput for ChannelData received
 * // each duty cycle:      drain pollTransmit(), pollEvent(); sleep until pollTimeout(), then handleTimeout(now)
 * // when done:           allocation.close(now); keep cycling until pollTimeout() is Long.MAX_VALUE
 * }</pre>
 *
 * <p>Bounds: {@value #MAX_TRANSMITS} queued transmits, {@value #MAX_EVENTS} queued events,
 * {@value #MAX_WANTED_PEERS} peers waiting for a channel, 64 requests in flight, 4096 channels; what
 * exceeds a bound is dropped and counted ({@link #dropped()}). Malformed datagrams are dropped, never
 * thrown. Not thread-safe: one state-machine thread.
 */
public final class Allocation {
    /** BINDING keepalive interval without other traffic with the relay. */
    public static final long KEEPALIVE_NS = 25_000_000_000L;
    /** Lifetime asked for on REFRESH and assumed when a success omits LIFETIME (RFC 8656 section 2.2). */
    public static final long DEFAULT_LIFETIME_SECONDS = 600;
    /** Bound of the transmit queue. */
    public static final int MAX_TRANSMITS = 256;
    /** Bound of the event queue. */
    public static final int MAX_EVENTS = 256;
    /** Peers remembered while no allocation exists to bind them a channel. */
    public static final int MAX_WANTED_PEERS = 64;
    /** The ChannelData header in front of each payload (RFC 8656 section 12.4). */
    public static final int CHANNEL_HEADER_BYTES = ChannelDataView.HEADER_BYTES;

    private final AllocationConfig config;
    private final StunParser parser = new StunParser();
    private final AllocationState state;
    private final ResponseHandler responses;
    private final ChannelDataPath dataPath;
    private final AllocationTimers timers;

    private long lastNowNs;

    /**
     * Starts an allocation: queues a BINDING and an unauthenticated ALLOCATE.
     *
     * @param random source of transaction ids (seeded in tests)
     * @param nowNs the current monotonic time
     */
    public Allocation(AllocationConfig config, RandomGenerator random, long nowNs) {
        this.config = config;
        this.state = new AllocationState(config, random, nowNs);
        this.responses = new ResponseHandler(state);
        this.dataPath = new ChannelDataPath(state);
        this.timers = new AllocationTimers(state);
        this.lastNowNs = nowNs;
        state.start(nowNs);
    }

    // ---- inputs

    /**
     * Offers a received datagram (position to limit; neither is changed). Consumes STUN responses to
     * this allocation's requests, Data indications and ChannelData from the relay.
     *
     * @return whether the datagram was for this allocation; {@code false} leaves it for someone else
     */
    public boolean handleInput(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        long now = advance(nowNs);
        if (!config.server().equals(from)) {
            return false;
        }
        int offset = datagram.position();
        int length = datagram.remaining();
        return switch (DatagramKind.classify(datagram, offset, length)) {
            case STUN -> parser.parse(datagram, offset, length) instanceof StunParseResult.Parsed(var message)
                    && onStun(message, now);
            case CHANNEL_DATA -> dataPath.onChannelData(datagram, offset, length, now);
            case WIREGUARD, OTHER -> false;
        };
    }

    /**
     * The allocation-free form of {@link #handleInput} for ChannelData: when {@code datagram} (position to
     * limit) is ChannelData from our relay on a bound channel, narrows its position and limit to the
     * payload and returns the peer that sent it (no {@link AllocationEvent.PeerData} is emitted).
     * Otherwise returns {@code null} and leaves the datagram unchanged: ChannelData from the relay that is
     * malformed, on an unbound channel or after {@link #close} is counted in {@link #dropped()}; anything
     * else (not from the relay, not ChannelData) is left for {@link #handleInput}.
     *
     * <pre>{@code
     * InetSocketAddress peer = allocation.unwrapChannelData(from, datagram, nowNs);
     * if (peer != null) wireguard.handleDatagram(peer, datagram, out, nowNs, result);  // payload in place
     * }</pre>
     */
    public InetSocketAddress unwrapChannelData(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        long now = advance(nowNs);
        if (!config.server().equals(from) || DatagramKind.classify(datagram, datagram.position(),
                datagram.remaining()) != DatagramKind.CHANNEL_DATA) {
            return null;
        }
        return dataPath.unwrap(datagram, now);
    }

    /** Runs whatever is due at {@code nowNs}: retransmissions, keepalive, refreshes, channel expiry. */
    public void handleTimeout(long nowNs) {
        timers.onTimeout(advance(nowNs));
    }

    // ---- commands

    /**
     * Frames {@code payload} (position to limit, unchanged) as ChannelData to {@code peer}. Without a
     * bound channel the payload is dropped and counted, and a channel is bound: a wish to send is an
     * intent to bind (DESIGN.md section 5).
     *
     * @return the datagram for the relay, or {@code null} if there is no channel yet
     */
    public Transmit encapsulate(InetSocketAddress peer, ByteBuffer payload, long nowNs) {
        return dataPath.encapsulate(peer, payload, advance(nowNs));
    }

    /**
     * The allocation-free form of {@link #encapsulate}: the caller has written the payload (the encrypted
     * WireGuard packet) at {@code offset + 4} of its own transmit buffer, and this writes the 4-byte
     * ChannelData header at {@code offset}, so the datagram for the relay ({@link AllocationConfig#server()})
     * is {@code [offset, offset + returned length)}. Without a bound channel nothing is written, the payload
     * is counted as dropped and a channel is bound, as for {@link #encapsulate}. Neither position nor limit
     * changes.
     *
     * <pre>{@code
     * tunnel.encapsulate(packet, out.position(start + Allocation.CHANNEL_HEADER_BYTES), nowNs, r);
     * int n = allocation.frameChannelData(peer, out, start, r.lengthBytes(), nowNs);
     * if (n > 0) socket.send(out.position(start).limit(start + n), relay);
     * }</pre>
     *
     * @return the datagram's length ({@code payloadBytes + 4}), or -1 if there is no channel yet
     * @throws java.nio.BufferOverflowException when {@code offset + 4 + payloadBytes} passes the buffer's capacity
     */
    public int frameChannelData(InetSocketAddress peer, ByteBuffer buffer, int offset, int payloadBytes,
            long nowNs) {
        return dataPath.frame(peer, buffer, offset, payloadBytes, advance(nowNs));
    }

    /**
     * Asks an unresponsive relay (a request to it went unanswered for 8 s) again now, with a BINDING,
     * instead of at the next keepalive up to 25 s later: the node calls it when a new connection may need
     * the relay, whose partition may be over. An answer allocates again, as the keepalive's would; no
     * answer changes nothing (no second invalidation, no log line). Does nothing while the relay answers,
     * while a BINDING is in flight, or after {@link #close}.
     */
    public void probe(long nowNs) {
        state.probe(advance(nowNs));
    }

    /** Binds a channel to {@code peer} unless one is bound or pending; waits for the allocation if needed. */
    public void bindChannel(InetSocketAddress peer, long nowNs) {
        state.bindChannel(peer, advance(nowNs));
    }

    /**
     * Ends the allocation: when the relay granted one, sends a REFRESH with LIFETIME 0 so it frees the
     * relayed port, permissions and channels now rather than at expiry (RFC 8656 section 8); an ALLOCATE
     * still in flight is deleted the same way once answered. Emits one
     * {@link AllocationEvent.Invalidated} ({@link InvalidationReason#CLOSED}) withdrawing the addresses.
     * Afterwards nothing is sent but that REFRESH and its retransmissions (a 438 is retried with the new
     * nonce; an unanswered one is given up after 8 s): no keepalive, refresh or channel binding;
     * {@link #encapsulate} returns {@code null} and peer data is dropped; {@link #pollTimeout()} is
     * {@link Long#MAX_VALUE} once the REFRESH is answered or given up. Calling it again does nothing.
     */
    public void close(long nowNs) {
        state.close(advance(nowNs));
    }

    // ---- outputs

    /** The next datagram to send, or {@code null}. */
    public Transmit pollTransmit() {
        return state.pollTransmit();
    }

    /** The next event, or {@code null}. */
    public AllocationEvent pollEvent() {
        return state.pollEvent();
    }

    /**
     * The earliest deadline and what it is for; never {@code null}: the keepalive is always pending until
     * {@link #close}, after which the deadline is {@link Long#MAX_VALUE} once the deleting REFRESH is done.
     */
    public AllocationTimeout pollTimeout() {
        return timers.next();
    }

    /** The server-reflexive address last learned, or {@code null}. */
    public InetSocketAddress serverReflexiveAddress() {
        return state.serverReflexiveAddress();
    }

    /** The relayed addresses, empty while not allocated. */
    public List<InetSocketAddress> relayedAddresses() {
        return state.relayedAddresses();
    }

    /** Datagrams, events and commands dropped so far (malformed, unauthenticated, over a bound, no channel). */
    public long dropped() {
        return state.dropped();
    }

    long logLines() {
        return state.logLines();
    }

    // ---- helpers, in call order

    private long advance(long nowNs) {
        assert nowNs >= lastNowNs : "time went backwards";
        lastNowNs = Math.max(lastNowNs, nowNs);
        return lastNowNs;
    }

    private boolean onStun(StunMessageView message, long nowNs) {
        StunClass messageClass = message.messageClass();
        if (messageClass == StunClass.INDICATION && message.methodCode() == StunMethod.DATA.code()) {
            return dataPath.onDataIndication(message, nowNs);
        }
        return messageClass.isResponse() && responses.onResponse(message, nowNs);
    }
}
