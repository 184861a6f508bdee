package zonegate.turn.server;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;
import zonegate.stun.ChannelDataResult;
import zonegate.stun.ChannelDataView;
import zonegate.stun.DatagramKind;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunParseResult;
import zonegate.stun.StunParser;
import zonegate.turn.server.internal.AllocationTable;
import zonegate.turn.server.internal.Authenticator;
import zonegate.turn.server.internal.DataPath;
import zonegate.turn.server.internal.PeerCheck;
import zonegate.turn.server.internal.Outbox;
import zonegate.turn.server.internal.RequestHandler;
import zonegate.turn.server.internal.Responder;

/**
 * A TURN relay server (RFC 8656 over UDP) as a sans-IO state machine: the shell feeds it datagrams
 * received on the listen socket and on the relay ports, and sends what it polls out.
 *
 * <p>Methods: BINDING (no authentication), ALLOCATE, REFRESH, CREATE-PERMISSION, CHANNEL-BIND (long-term
 * credentials, RFC 8489 section 9.2, every response signed with the user's key), SEND and DATA
 * indications and ChannelData. Malformed, unauthenticated or unpermitted input is dropped and counted
 * ({@link #count}); it never throws.
 *
 * <pre>{@code
 * RelayServer relay = new RelayServer(config, InstantSource.system(), new SplittableRandom(seed), nowNs);
 * // on a datagram from a client to the listen socket:
 * relay.handleClientDatagram(client, datagram, nowNs);
 * // on a datagram from a peer to relay port p:
 * relay.handlePeerDatagram(p, peer, datagram, nowNs);
 * for (RelayEvent e; (e = relay.pollEvent()) != null; ) openOrCloseRelaySocket(e);
 * for (RelayTransmit t; (t = relay.pollTransmit()) != null; ) send(t);
 * if (nowNs >= relay.pollTimeout()) relay.handleTimeout(nowNs);
 * }</pre>
 *
 * <p>Peers: {@link RelayConfig#peerPolicy()} decides which peer IPs a client may relay to, and the relay
 * addresses themselves are refused on top of it unless it allows them, except at the ports of the relay
 * range: another client's relayed address on this relay is a peer like any other (two clients that
 * meet through one relay), while the listen port and anything else the host serves there stay out of
 * reach.
 *
 * <p>Bounds: allocations in total and per user, permissions and channels per allocation, the transmit
 * and event queues (see {@link RelayConfig}); nonces are stateless. Time is the shell's monotonic
 * {@code nowNs}; it never goes backwards inside the server (an earlier value is treated as the latest).
 * The {@link InstantSource} is read only to check TURN REST username expiry.
 *
 * <p>Not thread-safe: one thread drives it.
 */
public final class RelayServer {
    private final StunParser parser = new StunParser();
    private final ChannelDataView channelData = new ChannelDataView();
    private final Outbox outbox;
    private final AllocationTable table;
    private final RequestHandler requests;
    private final DataPath data;
    private long lastNowNs;

    /**
     * A relay with no allocations.
     *
     * @param clock wall clock for TURN REST username expiry (Unix seconds)
     * @param random draws the nonce key, relay ports and DATA indication transaction ids
     * @param nowNs the current monotonic time
     */
    public RelayServer(RelayConfig config, InstantSource clock, RandomGenerator random, long nowNs) {
        Objects.requireNonNull(config, "config");
        this.outbox = new Outbox(config.transmitQueueCapacity(), config.eventQueueCapacity());
        this.table = new AllocationTable(config, random, outbox);
        Responder responder = new Responder(outbox);
        PeerCheck peers = new PeerCheck(config);
        this.requests = new RequestHandler(config, table, new Authenticator(config, clock, random), responder,
                outbox, peers);
        this.data = new DataPath(table, responder, outbox, random, peers);
        this.lastNowNs = nowNs;
    }

    // ---- inputs

    /**
     * A datagram from {@code client} to the listen socket, at {@code [position, limit)} of {@code datagram}
     * (position and limit are not changed; the bytes are copied before this returns).
     */
    public void handleClientDatagram(InetSocketAddress client, ByteBuffer datagram, long nowNs) {
        nowNs = advance(nowNs);
        int offset = datagram.position();
        int length = datagram.remaining();
        switch (DatagramKind.classify(datagram, offset, length)) {
            case STUN -> onStun(client, datagram, offset, length, nowNs);
            case CHANNEL_DATA -> {
                switch (channelData.parse(datagram, offset, length)) {
                    case ChannelDataResult.Parsed(ChannelDataView cd) -> data.onChannelData(cd, client, nowNs);
                    case ChannelDataResult.Rejected r -> outbox.count(RelayCounter.MALFORMED_CHANNEL_DATA);
                }
            }
            case WIREGUARD, OTHER -> outbox.count(RelayCounter.UNKNOWN_DATAGRAM);
        }
    }

    /**
     * A datagram from {@code peer} to relay port {@code relayPort}, at {@code [position, limit)} of
     * {@code datagram}: relayed to the allocation's client if the peer has a permission.
     */
    public void handlePeerDatagram(int relayPort, InetSocketAddress peer, ByteBuffer datagram, long nowNs) {
        nowNs = advance(nowNs);
        data.onPeer(relayPort, peer, datagram, datagram.position(), datagram.remaining(), nowNs);
    }

    /** Expires allocations, permissions and channel bindings due at {@code nowNs}. */
    public void handleTimeout(long nowNs) {
        table.handleTimeout(advance(nowNs));
    }

    // ---- outputs

    /** The next datagram to send, or null. The {@link RelayTransmit} and its bytes belong to the caller. */
    public RelayTransmit pollTransmit() {
        return outbox.pollTransmit();
    }

    /** The next event (allocation created or ended), or null. */
    public RelayEvent pollEvent() {
        return outbox.pollEvent();
    }

    /**
     * The earliest time in ns at which {@link #handleTimeout} has work, or {@link Long#MAX_VALUE}. It may be
     * early (after a refresh moved a deadline later), never late.
     */
    public long pollTimeout() {
        return table.nextDeadlineNs();
    }

    /** What {@link #pollTimeout()} is for, for logs; null when nothing is due. */
    public String pollTimeoutReason() {
        return table.nextDeadlineNs() == Long.MAX_VALUE ? null : "turn allocation/permission/channel expiry";
    }

    // ---- inspection

    /** The value of {@code counter} since construction. */
    public long count(RelayCounter counter) {
        return outbox.get(counter);
    }

    /** A snapshot of every allocation with its traffic counts (allocates; not for the hot path). */
    public List<AllocationStats> allocations() {
        return table.stats();
    }

    /** Entries in the expiry heap, for its bound (tests). */
    int scheduledDeadlines() {
        return table.scheduledDeadlines();
    }

    private long advance(long nowNs) {
        lastNowNs = Math.max(lastNowNs, nowNs);
        return lastNowNs;
    }

    private void onStun(InetSocketAddress client, ByteBuffer datagram, int offset, int length, long nowNs) {
        switch (parser.parse(datagram, offset, length)) {
            case StunParseResult.Parsed(StunMessageView m) -> {
                switch (m.messageClass()) {
                    case REQUEST -> requests.onRequest(m, client, nowNs);
                    case INDICATION -> {
                        if (m.method() == zonegate.stun.StunMethod.SEND) {
                            data.onSend(m, client, nowNs);
                        } else if (m.method() != zonegate.stun.StunMethod.BINDING) {
                            outbox.count(RelayCounter.UNEXPECTED_STUN);
                        }
                    }
                    case SUCCESS_RESPONSE, ERROR_RESPONSE -> outbox.count(RelayCounter.UNEXPECTED_STUN);
                }
            }
            case StunParseResult.Rejected r -> outbox.count(RelayCounter.MALFORMED_STUN);
        }
    }
}
