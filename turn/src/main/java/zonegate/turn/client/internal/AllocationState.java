package zonegate.turn.client.internal;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import zonegate.turn.client.Allocation;
import zonegate.turn.client.AllocationConfig;
import zonegate.turn.client.AllocationEvent;
import zonegate.turn.client.InvalidationReason;
import zonegate.turn.client.Transmit;

/**
 * What the sub-components of one {@link Allocation} share: its phase, the addresses it holds, the
 * requests in flight, its channels and the bounded queues of what it sends and reports. The phase
 * changes that more than one sub-component causes (allocate, fail, fall silent) live here. Bounds are
 * the allocation's ({@link Allocation#MAX_TRANSMITS}, {@link Allocation#MAX_EVENTS},
 * {@link Allocation#MAX_WANTED_PEERS}); what exceeds one is counted in {@link #dropped()}. Not
 * thread-safe: the allocation's one thread.
 */
public final class AllocationState {
    private static final long FIRST_BACKOFF_NS = 5_000_000_000L;
    private static final long MAX_BACKOFF_NS = 300_000_000_000L;

    enum Phase { IDLE, ALLOCATING, ALLOCATED, BACKING_OFF, CLOSED }

    final AllocationConfig config;
    final AllocationLog log = new AllocationLog();
    final LongTermCredentials credentials;
    final Transactions transactions = new Transactions();
    final ChannelTable channels = new ChannelTable();
    final List<InetSocketAddress> wantedPeers = new ArrayList<>();
    private final RandomGenerator random;
    private final RequestWriter requests = new RequestWriter();
    private final ArrayDeque<Transmit> transmits = new ArrayDeque<>();
    private final ArrayDeque<AllocationEvent> events = new ArrayDeque<>();

    Phase phase = Phase.IDLE;
    long lastRelayTrafficNs;
    /** When the relay last answered one of our requests (authentic), or {@link Long#MIN_VALUE}. */
    long lastAnswerNs = Long.MIN_VALUE;
    long refreshAtNs = Long.MAX_VALUE;
    long backoffUntilNs = Long.MAX_VALUE;
    long backoffNs = FIRST_BACKOFF_NS;
    /** Whether this ALLOCATING phase already deleted a stale allocation of ours on the relay (once only). */
    boolean staleDeleted;
    boolean unresponsive;
    InetSocketAddress serverReflexive;
    List<InetSocketAddress> relayed = List.of();
    long dropped;

    /** State for an allocation on {@code config.server()}, idle at {@code nowNs}; {@code random} makes ids. */
    public AllocationState(AllocationConfig config, RandomGenerator random, long nowNs) {
        this.config = config;
        this.random = random;
        this.credentials = new LongTermCredentials(config.username(), config.password());
        this.lastRelayTrafficNs = nowNs;
    }

    /** Queues a BINDING and an unauthenticated ALLOCATE. */
    public void start(long nowNs) {
        send(new Request.Binding(), nowNs);
        startAllocate(nowNs);
    }

    /**
     * Ends the allocation for good (RFC 8656 section 8: a REFRESH with LIFETIME 0 deletes it). Whatever
     * was in flight is forgotten except an ALLOCATE, whose success is then deleted in turn; the
     * addresses are withdrawn with one {@link InvalidationReason#CLOSED} event. Idempotent.
     */
    public void close(long nowNs) {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean allocated = phase == Phase.ALLOCATED;
        transactions.retainOnly(Request.Allocate.class);
        List<InetSocketAddress> withdrawn = new ArrayList<>(relayed);
        if (serverReflexive != null) {
            withdrawn.add(serverReflexive);
        }
        phase = Phase.CLOSED;
        refreshAtNs = Long.MAX_VALUE;
        backoffUntilNs = Long.MAX_VALUE;
        serverReflexive = null;
        relayed = List.of();
        channels.clear();
        wantedPeers.clear();
        if (allocated) {
            send(new Request.Refresh(0), nowNs);
        }
        log.info("TURN allocation closed relay={}", config.server());
        emit(new AllocationEvent.Invalidated(InvalidationReason.CLOSED, withdrawn));
    }

    /** Whether {@link #close} was called. */
    public boolean closed() {
        return phase == Phase.CLOSED;
    }

    /** Binds a channel to {@code peer} unless one is bound or pending; waits for the allocation if needed. */
    public void bindChannel(InetSocketAddress peer, long nowNs) {
        if (phase == Phase.CLOSED || peer.isUnresolved() || channels.ofPeer(peer) != null) {
            return;
        }
        if (phase != Phase.ALLOCATED) {
            if (!wantedPeers.contains(peer)) {
                if (wantedPeers.size() < Allocation.MAX_WANTED_PEERS) {
                    wantedPeers.add(peer);
                } else {
                    dropped++;
                }
            }
            if (phase == Phase.IDLE) {
                startAllocate(nowNs);
            }
            return;
        }
        if (!hasRelayedFamily(peer)) {
            dropped++;
            return;
        }
        ChannelTable.Channel channel = channels.reserve(peer, nowNs);
        if (channel == null) {
            dropped++;
            return;
        }
        send(new Request.ChannelBind(peer, channel.number()), nowNs);
    }

    /** An unresponsive relay is asked again at once (a BINDING), unless a BINDING is in flight or it is closed. */
    public void probe(long nowNs) {
        if (unresponsive && phase == Phase.IDLE && !transactions.has(Request.Binding.class)) {
            send(new Request.Binding(), nowNs);
        }
    }

    /** The next datagram to send, or {@code null}. */
    public Transmit pollTransmit() {
        return transmits.poll();
    }

    /** The next event, or {@code null}. */
    public AllocationEvent pollEvent() {
        return events.poll();
    }

    /** The server-reflexive address last learned, or {@code null}. */
    public InetSocketAddress serverReflexiveAddress() {
        return serverReflexive;
    }

    /** The relayed addresses, empty while not allocated. */
    public List<InetSocketAddress> relayedAddresses() {
        return relayed;
    }

    /** Datagrams, events and commands dropped so far. */
    public long dropped() {
        return dropped;
    }

    /** Lines logged so far. */
    public long logLines() {
        return log.lines();
    }

    // ---- shared by the sub-components, in call order

    private boolean hasRelayedFamily(InetSocketAddress peer) {
        for (InetSocketAddress address : relayed) {
            if (address.getAddress().getClass() == peer.getAddress().getClass()) {
                return true;
            }
        }
        return false;
    }

    void startAllocate(long nowNs) {
        phase = Phase.ALLOCATING;
        staleDeleted = false;
        backoffUntilNs = Long.MAX_VALUE;
        send(new Request.Allocate(), nowNs);
    }

    void send(Request request, long nowNs) {
        int idHigh = random.nextInt();
        long idLow = random.nextLong();
        RequestWriter.Auth auth = credentials.auth();
        if (request instanceof Request.Binding) {
            auth = null;
        }
        byte[] bytes = switch (request) {
            case Request.Binding b -> requests.binding(idHigh, idLow);
            case Request.Allocate a -> requests.allocate(idHigh, idLow, config.ipv6Too(), auth);
            case Request.Refresh r -> requests.refresh(idHigh, idLow, r.lifetimeSeconds(), auth);
            case Request.ChannelBind c -> requests.channelBind(idHigh, idLow, c.peer(), c.channel(), auth);
        };
        if (transactions.add(request, idHigh, idLow, bytes, auth == null ? null : auth.key(), nowNs) == null) {
            dropped++;
            return;
        }
        transmit(bytes, nowNs);
    }

    void transmit(byte[] bytes, long nowNs) {
        lastRelayTrafficNs = nowNs;
        if (transmits.size() >= Allocation.MAX_TRANSMITS) {
            dropped++;
            return;
        }
        transmits.add(new Transmit(config.server(), ByteBuffer.wrap(bytes).asReadOnlyBuffer()));
    }

    void emit(AllocationEvent event) {
        if (events.size() >= Allocation.MAX_EVENTS) {
            dropped++;
            return;
        }
        events.add(event);
    }

    /**
     * A request went unanswered for 8 s: withdraw the relayed addresses once; the next answered BINDING
     * recovers. The server-reflexive address stays: it is our NAT's mapping, which a silent relay does
     * not change, and a direct connection between two NATs may be using it (an answer with another address
     * replaces it).
     */
    void onUnresponsive(long nowNs) {
        transactions.clear();
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.IDLE;
        refreshAtNs = Long.MAX_VALUE;
        if (unresponsive) {
            return;
        }
        unresponsive = true;
        List<InetSocketAddress> withdrawn = relayed;
        relayed = List.of();
        channels.clear();
        log.warn("TURN relay unresponsive relay={} withdrawn={}", config.server(), withdrawn);
        emit(new AllocationEvent.Invalidated(InvalidationReason.UNRESPONSIVE, withdrawn));
    }

    /** The relay granted {@code granted} for {@code lifetimeSeconds}: refresh at half, bind the waiting peers. */
    void onAllocated(List<InetSocketAddress> granted, long lifetimeSeconds, long nowNs) {
        relayed = List.copyOf(granted);
        phase = Phase.ALLOCATED;
        backoffNs = FIRST_BACKOFF_NS;
        refreshAtNs = nowNs + lifetimeSeconds * 500_000_000L;
        log.info("TURN allocation ready relay={} relayed={} lifetime={}s", config.server(), relayed, lifetimeSeconds);
        emit(new AllocationEvent.RelayAllocated(relayed, lifetimeSeconds));
        List<InetSocketAddress> waiting = List.copyOf(wantedPeers);
        wantedPeers.clear();
        for (InetSocketAddress peer : waiting) {
            bindChannel(peer, nowNs);
        }
    }

    /**
     * The relay answered 437 to a REFRESH or a CHANNEL-BIND: it has no allocation for us any more (it
     * restarted). Withdraw the relayed addresses and allocate again at once (no back-off: the relay answers),
     * the channel's peer (null for a REFRESH) kept for a channel on the new allocation.
     */
    void lost(InetSocketAddress peer, long nowNs) {
        List<InetSocketAddress> withdrawn = relayed;
        relayed = List.of();
        channels.clear();
        refreshAtNs = Long.MAX_VALUE;
        if (peer != null && !wantedPeers.contains(peer) && wantedPeers.size() < Allocation.MAX_WANTED_PEERS) {
            wantedPeers.add(peer);
        }
        log.warn("TURN allocation lost relay={} reason=ALLOCATION_MISMATCH: allocating again", config.server());
        emit(new AllocationEvent.Invalidated(InvalidationReason.ALLOCATION_MISMATCH, withdrawn));
        startAllocate(nowNs);
    }

    /** The relay refused or lost the allocation: withdraw the relayed addresses and back off. */
    void fail(InvalidationReason reason, long nowNs) {
        List<InetSocketAddress> withdrawn = relayed;
        relayed = List.of();
        channels.clear();
        phase = Phase.BACKING_OFF;
        refreshAtNs = Long.MAX_VALUE;
        backoffUntilNs = nowNs + backoffNs;
        log.warn("TURN allocation failed relay={} reason={} retryIn={}s", config.server(), reason,
                backoffNs / 1_000_000_000L);
        backoffNs = Math.min(backoffNs * 2, MAX_BACKOFF_NS);
        emit(new AllocationEvent.Invalidated(reason, withdrawn));
    }
}
