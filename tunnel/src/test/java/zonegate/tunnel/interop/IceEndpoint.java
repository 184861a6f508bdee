package zonegate.tunnel.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import zonegate.ice.Candidate;
import zonegate.ice.IceAgent;
import zonegate.ice.IceConfig;
import zonegate.ice.IceCredentials;
import zonegate.ice.IceEvent;
import zonegate.ice.IceRole;
import zonegate.ice.IceTimeout;
import zonegate.ice.IceTransmit;
import zonegate.ice.SelectedPair;
import zonegate.turn.client.Allocation;
import zonegate.turn.client.AllocationConfig;
import zonegate.turn.client.AllocationEvent;
import zonegate.turn.client.Transmit;

/**
 * Test-only I/O for one {@link IceAgent}: one UDP socket on 127.0.0.1 and, optionally, a TURN
 * {@link Allocation} on a relay through that socket. With an allocation the agent gets the relayed
 * candidate only (no host candidate), so every check and every datagram crosses the relay. The
 * caller runs {@link #step} in a loop; the real shell does the same with its event loop.
 */
final class IceEndpoint implements AutoCloseable {
    private final DatagramChannel channel;
    private final Selector selector;
    private final InetSocketAddress host;
    private final IceAgent agent;
    private final Allocation allocation;
    private final ByteBuffer receive = ByteBuffer.allocateDirect(65_536);
    private final List<IceEvent> events = new ArrayList<>();
    private final List<byte[]> data = new ArrayList<>();
    private InetSocketAddress relayed;

    private IceEndpoint(IceRole role, InetSocketAddress relay) throws IOException {
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        channel.configureBlocking(false);
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
        host = (InetSocketAddress) channel.getLocalAddress();
        SplittableRandom random = new SplittableRandom();
        long nowNs = System.nanoTime();
        agent = new IceAgent(IceConfig.client(), role, IceCredentials.random(random), random, nowNs);
        if (relay == null) {
            allocation = null;
            agent.addLocalCandidate(Candidate.host(host), nowNs);
            agent.endOfLocalCandidates(nowNs);
        } else {
            allocation = new Allocation(AllocationConfig.of(relay, CoturnServer.USER, CoturnServer.PASSWORD), random, nowNs);
        }
    }

    /** Host candidate on 127.0.0.1 only. */
    static IceEndpoint direct(IceRole role) throws IOException {
        return new IceEndpoint(role, null);
    }

    /** The relayed candidate of an allocation on {@code relay} only, added once the relay grants it. */
    static IceEndpoint relayedOnly(IceRole role, InetSocketAddress relay) throws IOException {
        return new IceEndpoint(role, relay);
    }

    IceAgent agent() {
        return agent;
    }

    /** Every agent event so far, in order. */
    List<IceEvent> events() {
        return events;
    }

    /** Every non-STUN datagram received over the connection so far. */
    List<byte[]> data() {
        return data;
    }

    /** Receives what has arrived, runs due timers, sends what is queued; waits at most {@code maxWaitMs}. */
    void step(long maxWaitMs) throws IOException {
        long nowNs = System.nanoTime();
        for (SocketAddress from; (from = channel.receive(receive.clear())) != null; nowNs = System.nanoTime()) {
            receive.flip();
            if (allocation == null || !allocation.handleInput((InetSocketAddress) from, receive, nowNs)) {
                deliver(host, (InetSocketAddress) from, receive, nowNs);
            }
        }
        if (allocation != null) {
            if (allocation.pollTimeout().deadlineNs() <= nowNs) {
                allocation.handleTimeout(nowNs);
            }
            for (AllocationEvent event; (event = allocation.pollEvent()) != null; ) {
                onAllocationEvent(event, nowNs);
            }
        }
        IceTimeout timeout = agent.pollTimeout();
        if (timeout != null && timeout.deadlineNs() <= nowNs) {
            agent.handleTimeout(nowNs);
        }
        flush(nowNs);
        for (IceEvent event; (event = agent.pollEvent()) != null; ) {
            events.add(event);
        }
        long waitNs = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        timeout = agent.pollTimeout();
        if (timeout != null) {
            waitNs = Math.min(waitNs, timeout.deadlineNs() - System.nanoTime());
        }
        if (allocation != null) {
            waitNs = Math.min(waitNs, allocation.pollTimeout().deadlineNs() - System.nanoTime());
        }
        selector.selectedKeys().clear();
        if (waitNs > 0) {
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNs)));
        } else {
            selector.selectNow();
        }
    }

    private void deliver(InetSocketAddress local, InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        if (!agent.handleInput(local, from, datagram, nowNs)) {
            byte[] bytes = new byte[datagram.remaining()];
            datagram.get(bytes);
            data.add(bytes);
            agent.noteTraffic(nowNs);
        }
    }

    private void onAllocationEvent(AllocationEvent event, long nowNs) {
        switch (event) {
            case AllocationEvent.RelayAllocated(List<InetSocketAddress> addresses, long lifetimeSeconds) -> {
                if (relayed == null) {
                    relayed = addresses.getFirst();
                    agent.addLocalCandidate(Candidate.relayed(relayed, allocation.serverReflexiveAddress()), nowNs);
                    agent.endOfLocalCandidates(nowNs);
                }
            }
            case AllocationEvent.PeerData(InetSocketAddress peer, byte[] payload) ->
                    deliver(relayed, peer, ByteBuffer.wrap(payload), nowNs);
            case AllocationEvent.ServerReflexiveAddress ignored -> { }
            case AllocationEvent.ChannelBound ignored -> { }
            case AllocationEvent.Invalidated invalidated -> throw new IllegalStateException("allocation lost: " + invalidated);
        }
    }

    /** Sends {@code payload} over the nominated pair (through the relay when it is relayed). */
    void sendOverSelectedPair(byte[] payload) throws IOException {
        SelectedPair pair = agent.selectedPair().orElseThrow(() -> new IllegalStateException("no nominated pair"));
        long nowNs = System.nanoTime();
        send(pair.localAddress(), pair.remoteAddress(), ByteBuffer.wrap(payload), nowNs);
        agent.noteTraffic(nowNs);
    }

    private void flush(long nowNs) throws IOException {
        for (IceTransmit transmit; (transmit = agent.pollTransmit()) != null; ) {
            send(transmit.source(), transmit.destination(), transmit.payload(), nowNs);
        }
        if (allocation != null) {
            for (Transmit transmit; (transmit = allocation.pollTransmit()) != null; ) {
                channel.send(transmit.payload(), transmit.destination());
            }
        }
    }

    private void send(InetSocketAddress source, InetSocketAddress destination, ByteBuffer payload, long nowNs) throws IOException {
        if (source.equals(relayed)) {
            // Without a channel yet the allocation drops the datagram and binds one; ICE retransmits.
            Transmit framed = allocation.encapsulate(destination, payload, nowNs);
            if (framed != null) {
                channel.send(framed.payload(), framed.destination());
            }
            for (Transmit transmit; (transmit = allocation.pollTransmit()) != null; ) {
                channel.send(transmit.payload(), transmit.destination());
            }
        } else {
            channel.send(payload, destination);
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
