package zonegate.node;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.stun.DatagramKind;
import zonegate.turn.client.Allocation;
import zonegate.turn.client.AllocationConfig;
import zonegate.turn.client.AllocationEvent;
import zonegate.turn.client.Transmit;

/**
 * The node's TURN allocations, one per relay, shared by every connection. Each relay's round-trip time
 * is measured from its STUN transactions (smoothed 7/8, as TCP's SRTT); {@link RelaySampler} picks a
 * connection's relay from them, leaving out a relay suspected dead (a consent check through it went
 * unanswered) until it is heard from again. Datagrams from relays removed lately (the last
 * {@value #REMEMBERED_DISCARDED}) are dropped silently: their allocations are gone, what comes is late.
 */
final class Relays {
    static final int REMEMBERED_DISCARDED = 64;
    private static final int PENDING_PER_RELAY = 32;

    /** What the relays tell the connections. */
    interface Listener {
        /** A relay's addresses changed (learned, allocated, withdrawn), or a relay was removed. */
        void onRelayChanged(InetSocketAddress server, long nowNs);

        /** Data a peer sent us through the relay, as if it came from {@code peer} to our {@code relayed} address. */
        NodeAction onPeerData(InetSocketAddress relayed, InetSocketAddress peer, ByteBuffer payload, long nowNs,
                ByteBuffer out, NodeResult r);
    }

    /** One relay and its allocation. */
    static final class Relay {
        final TurnServer server;
        final Allocation allocation;
        final Map<Long, Long> pendingSentNs = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Long> eldest) {
                return size() > PENDING_PER_RELAY;
            }
        };
        long srttNs = -1;
        boolean reported;
        /** A consent check relayed through it went unanswered: not sampled until the relay is heard from again. */
        boolean suspect;

        Relay(TurnServer server, Allocation allocation) {
            this.server = server;
            this.allocation = allocation;
        }

        boolean allocated() {
            return !allocation.relayedAddresses().isEmpty();
        }

        /** The relayed address of {@code peer}'s family, or null (an index loop: called per packet). */
        InetSocketAddress relayedFor(InetSocketAddress peer) {
            boolean v4 = peer.getAddress() instanceof Inet4Address;
            List<InetSocketAddress> relayed = allocation.relayedAddresses();
            for (int i = 0; i < relayed.size(); i++) {
                if ((relayed.get(i).getAddress() instanceof Inet4Address) == v4) {
                    return relayed.get(i);
                }
            }
            return null;
        }
    }

    private final Outbox outbox;
    private final RandomGenerator random;
    private final Map<InetSocketAddress, Relay> byServer = new LinkedHashMap<>();
    /** Our relayed addresses to the relay that holds each, rebuilt when a relay's addresses change. */
    private final Map<InetSocketAddress, Relay> byRelayed = new HashMap<>();
    private final LinkedHashSet<InetSocketAddress> discarded = new LinkedHashSet<>();
    private Paths paths;
    private Listener listener;

    Relays(Outbox outbox, RandomGenerator random) {
        this.outbox = outbox;
        this.random = random;
    }

    void wire(Paths newPaths, Listener newListener) {
        this.paths = newPaths;
        this.listener = newListener;
    }

    // ---- the relay set

    void add(TurnServer server, long nowNs) {
        if (byServer.containsKey(server.address())) {
            return;
        }
        discarded.remove(server.address());
        Allocation allocation = new Allocation(AllocationConfig.of(server.address(), server.username(),
                server.password()), random, nowNs);
        Relay relay = new Relay(server, allocation);
        byServer.put(server.address(), relay);
        Logger.info("relay={} added", server.address());
        drain(relay, nowNs, null, null);
    }

    void remove(InetSocketAddress server, long nowNs) {
        Relay relay = byServer.remove(server);
        if (relay == null) {
            return;
        }
        relay.allocation.close(nowNs);
        flushTransmits(relay, nowNs);
        discarded.remove(server);
        discarded.add(server);
        if (discarded.size() > REMEMBERED_DISCARDED) {
            discarded.remove(discarded.iterator().next());
        }
        Logger.info("relay={} removed", server);
        indexRelayed();
        listener.onRelayChanged(server, nowNs);
    }

    /**
     * Removes, then adds. A relay given again with other credentials (the control plane renews them before they
     * expire) gets a new allocation under them: TURN ties an allocation to the username that made it (RFC 8656
     * section 7.3: another one is refused with 441), and a TURN REST username carries its expiry. Connections
     * relayed through the old allocation move as when a relay goes. "No relays left" is said only when the set
     * is empty once the whole update is applied, not in between.
     */
    void update(List<TurnServer> add, List<InetSocketAddress> remove, long nowNs) {
        boolean had = !byServer.isEmpty();
        remove.forEach(server -> remove(server, nowNs));
        for (TurnServer server : add) {
            Relay known = byServer.get(server.address());
            if (known != null && !known.server.equals(server)) {
                Logger.info("relay={} has new credentials: allocating again under them", server.address());
                remove(server.address(), nowNs);
            }
            add(server, nowNs);
        }
        if (had && byServer.isEmpty()) {
            Logger.info("no relays left");
            outbox.event(new NodeEvent.NoRelays());
        }
    }

    /** Closes every allocation and makes them again with the same credentials (after the shell rebound its sockets). */
    void remake(long nowNs) {
        List<TurnServer> servers = byServer.values().stream().map(r -> r.server).toList();
        for (Relay relay : byServer.values()) {
            relay.allocation.close(nowNs);
            flushTransmits(relay, nowNs);
        }
        byServer.clear();
        indexRelayed();
        servers.forEach(s -> add(s, nowNs));
    }

    Relay relay(InetSocketAddress server) {
        return server == null ? null : byServer.get(server);
    }

    List<Relay> all() {
        return List.copyOf(byServer.values());
    }

    /**
     * The server picked for a new connection among the allocated relays with a measured RTT, suspects
     * left out while another is there; or null.
     */
    InetSocketAddress sample() {
        List<Relay> measured = byServer.values().stream().filter(r -> r.srttNs >= 0 && r.allocated()).toList();
        if (measured.stream().anyMatch(r -> !r.suspect)) {
            measured = measured.stream().filter(r -> !r.suspect).toList();
        }
        int i = RelaySampler.sample(measured.stream().mapToLong(r -> r.srttNs).toArray(), random);
        return i < 0 ? null : measured.get(i).server.address();
    }

    // ---- datagrams

    boolean isRelay(InetSocketAddress from) {
        return byServer.containsKey(from);
    }

    boolean isDiscarded(InetSocketAddress from) {
        return discarded.contains(from);
    }

    /**
     * A datagram from one of our relays: ChannelData is unwrapped in place (no copy) and handed to the
     * listener as the peer's; the rest is offered to the allocation.
     */
    NodeAction handleInput(InetSocketAddress from, ByteBuffer datagram, long nowNs, ByteBuffer out, NodeResult r) {
        Relay relay = byServer.get(from);
        relay.suspect = false;
        int at = datagram.position();
        DatagramKind kind = DatagramKind.classify(datagram, at, datagram.remaining());
        if (kind == DatagramKind.CHANNEL_DATA) {
            InetSocketAddress peer = relay.allocation.unwrapChannelData(from, datagram, nowNs);
            InetSocketAddress relayed = peer == null ? null : relay.relayedFor(peer);
            flushTransmits(relay, nowNs); // a channel past its refresh time is bound again
            if (relayed == null) {
                Logger.trace("relay={} ChannelData refused by its allocation: dropped", from);
                outbox.count(NodeCounter.CHANNEL_DATA_REFUSED);
                return r.set(NodeAction.DROPPED, 0, null, null, null, NodeCounter.CHANNEL_DATA_REFUSED);
            }
            return listener.onPeerData(relayed, peer, datagram, nowNs, out, r);
        }
        if (kind == DatagramKind.STUN && (datagram.getShort(at) & 0x0100) != 0) {
            Long sentNs = relay.pendingSentNs.remove(datagram.getLong(at + 12));
            if (sentNs != null) {
                long sample = nowNs - sentNs;
                relay.srttNs = relay.srttNs < 0 ? sample : (7 * relay.srttNs + sample) / 8;
            }
        }
        if (!relay.allocation.handleInput(from, datagram, nowNs)) {
            Logger.trace("relay={} datagram not for its allocation: dropped", from);
            outbox.count(NodeCounter.UNMATCHED_STUN);
            return r.set(NodeAction.DROPPED, 0, null, null, null, NodeCounter.UNMATCHED_STUN);
        }
        r.set(NodeAction.DONE, 0, null, null, null, null);
        return drain(relay, nowNs, out, r);
    }

    /** Queues {@code payload} to {@code remote} as ChannelData through the relay holding {@code local}. */
    boolean sendRelayed(InetSocketAddress local, InetSocketAddress remote, ByteBuffer payload, long nowNs) {
        Relay relay = byRelayed.get(local);
        if (relay == null) {
            return false;
        }
        Transmit t = relay.allocation.encapsulate(remote, payload, nowNs);
        if (t != null) {
            outbox.transmit(paths.socketFor(t.destination()), t.destination(), t.payload());
        }
        drain(relay, nowNs, null, null);
        return true;
    }

    /**
     * The data path's form of {@link #sendRelayed}, allocation-free: {@code payloadBytes} are already at
     * {@code start + 4} of {@code out}, the ChannelData header goes in front of them, and {@code r} says
     * where to send {@code out}'s {@code [start, position)}.
     */
    NodeAction frameRelayed(InetSocketAddress local, InetSocketAddress remote, ByteBuffer out, int start,
            int payloadBytes, long nowNs, String peerId, NodeResult r) {
        Relay relay = byRelayed.get(local);
        InetSocketAddress socket = relay == null ? null : paths.socketFor(relay.server.address());
        int n = socket == null ? 0 : relay.allocation.frameChannelData(remote, out, start, payloadBytes, nowNs);
        if (relay != null) {
            drain(relay, nowNs, null, null); // a channel to bind or to refresh
        }
        NodeCounter dropped = socket == null ? NodeCounter.NO_PATH : n < 0 ? NodeCounter.NO_CHANNEL : null;
        if (dropped != null) {
            Logger.trace("peer={} relayed datagram to {} dropped: {}", peerId, remote, dropped);
            outbox.count(dropped);
            out.position(start);
            return r.set(NodeAction.DROPPED, 0, null, null, peerId, dropped);
        }
        out.position(start + n);
        return r.set(NodeAction.WRITE_TO_NETWORK, n, socket, relay.server.address(), peerId, null);
    }

    /**
     * A consent check of a connection relayed through the allocation holding {@code relayed} went
     * unanswered: the relay may have died without the allocation knowing yet (traffic postpones its
     * keepalive, so that can take 25 s + 8 s), and the connection made again when this one is lost must
     * not sample it. So it is not sampled until a datagram from it proves it alive. When the peer was at
     * fault instead, new connections use another relay until the relay's next answer (a keepalive at most).
     */
    void suspect(InetSocketAddress relayed) {
        Relay relay = byRelayed.get(relayed);
        if (relay != null && !relay.suspect) {
            relay.suspect = true;
            Logger.debug("relay={} a consent check through it went unanswered: not sampled until heard from",
                    relay.server.address());
        }
    }

    /**
     * A connection is being made and may need a relay: every allocation that gave its relay up as
     * unresponsive asks it again now ({@link Allocation#probe}), so a relay back from a short partition
     * offers its candidates within a round trip instead of at its next keepalive, up to 25 s later.
     */
    void probeUnresponsive(long nowNs) {
        for (Relay relay : byServer.values()) {
            if (!relay.allocated()) {
                relay.allocation.probe(nowNs);
                drain(relay, nowNs, null, null);
            }
        }
    }

    /** Binds a channel on {@code server}'s allocation to {@code peer} ahead of the first send. */
    void bindChannel(InetSocketAddress server, InetSocketAddress peer, long nowNs) {
        Relay relay = byServer.get(server);
        if (relay != null) {
            relay.allocation.bindChannel(peer, nowNs);
            drain(relay, nowNs, null, null);
        }
    }

    boolean gatheringComplete() {
        return byServer.values().stream().allMatch(r -> r.reported);
    }

    long nextDeadlineNs() {
        long next = Long.MAX_VALUE;
        for (Relay relay : byServer.values()) {
            next = Math.min(next, relay.allocation.pollTimeout().deadlineNs());
        }
        return next;
    }

    void handleTimeout(long nowNs) {
        for (Relay relay : List.copyOf(byServer.values())) {
            if (relay.allocation.pollTimeout().deadlineNs() <= nowNs) {
                relay.allocation.handleTimeout(nowNs);
                drain(relay, nowNs, null, null);
            }
        }
    }

    // ---- helpers

    private NodeAction drain(Relay relay, long nowNs, ByteBuffer out, NodeResult r) {
        flushTransmits(relay, nowNs);
        NodeAction result = r == null ? NodeAction.DONE : r.action();
        boolean changed = false;
        for (AllocationEvent e; (e = relay.allocation.pollEvent()) != null; ) {
            switch (e) {
                case AllocationEvent.PeerData(var peer, byte[] payload) -> {
                    InetSocketAddress relayed = relay.relayedFor(peer);
                    if (out != null && relayed != null) {
                        result = listener.onPeerData(relayed, peer, ByteBuffer.wrap(payload), nowNs, out, r);
                    }
                }
                case AllocationEvent.ServerReflexiveAddress s -> changed = true;
                case AllocationEvent.RelayAllocated a -> {
                    relay.reported = true;
                    changed = true;
                }
                case AllocationEvent.Invalidated i -> {
                    relay.reported = true;
                    changed = true;
                }
                case AllocationEvent.ChannelBound b -> { }
            }
        }
        if (changed) {
            indexRelayed();
            listener.onRelayChanged(relay.server.address(), nowNs);
        }
        return result;
    }

    private void indexRelayed() {
        byRelayed.clear();
        for (Relay relay : byServer.values()) {
            relay.allocation.relayedAddresses().forEach(a -> byRelayed.put(a, relay));
        }
    }

    private void flushTransmits(Relay relay, long nowNs) {
        for (Transmit t; (t = relay.allocation.pollTransmit()) != null; ) {
            ByteBuffer p = t.payload();
            int at = p.position();
            if (p.remaining() >= 20 && DatagramKind.classify(p, at, p.remaining()) == DatagramKind.STUN
                    && (p.getShort(at) & 0x0110) == 0) {
                relay.pendingSentNs.putIfAbsent(p.getLong(at + 12), nowNs);
            }
            InetSocketAddress socket = paths.socketFor(t.destination());
            if (socket == null) {
                outbox.count(NodeCounter.NO_PATH);
                continue;
            }
            outbox.transmit(socket, t.destination(), p);
        }
    }
}
