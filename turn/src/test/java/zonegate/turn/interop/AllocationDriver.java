package zonegate.turn.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import zonegate.stun.DatagramKind;
import zonegate.stun.StunClass;
import zonegate.stun.StunMethod;
import zonegate.stun.StunParseResult;
import zonegate.stun.StunParser;
import zonegate.turn.client.Allocation;
import zonegate.turn.client.AllocationConfig;
import zonegate.turn.client.AllocationEvent;
import zonegate.turn.client.AllocationTimeout;
import zonegate.turn.client.Transmit;

/**
 * A minimal shell for one sans-IO {@link Allocation} over a real UDP socket on 127.0.0.1, the way the
 * gateway's loop drives it: each cycle samples {@link System#nanoTime()} once, feeds every datagram
 * received, runs the timeout if it is due, sends every transmit and collects the events, then waits for
 * input or the next deadline (at most 10 ms). Single-threaded: the test thread drives it.
 */
final class AllocationDriver implements AutoCloseable {
    private static final long MAX_WAIT_MS = 10;

    final Allocation allocation;
    final List<AllocationEvent> events = new ArrayList<>();
    private final DatagramChannel socket;
    private final Selector selector;
    private final ByteBuffer receive = ByteBuffer.allocateDirect(65_536);
    private final StunParser parser = new StunParser();
    private final Map<StunMethod, Integer> requestsSent = new EnumMap<>(StunMethod.class);
    private final Map<Integer, Integer> errorsReceived = new HashMap<>();
    private final Map<StunMethod, Integer> successesReceived = new EnumMap<>(StunMethod.class);
    private int channelDataReceived;
    private int stunReceived;

    AllocationDriver(AllocationConfig config, long seed) throws IOException {
        socket = DatagramChannel.open();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).configureBlocking(false);
        selector = Selector.open();
        socket.register(selector, SelectionKey.OP_READ);
        allocation = new Allocation(config, new SplittableRandom(seed), System.nanoTime());
    }

    /** The socket's local address: what the relay must report as server-reflexive on loopback. */
    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) socket.getLocalAddress();
    }

    /** ChannelData datagrams received from the relay so far. */
    int channelDataReceived() {
        return channelDataReceived;
    }

    /** STUN datagrams (responses, Data indications) received from the relay so far. */
    int stunReceived() {
        return stunReceived;
    }

    /** STUN requests of {@code method} sent so far, retransmissions included. */
    int requestsSent(StunMethod method) {
        return requestsSent.getOrDefault(method, 0);
    }

    /** Success responses to {@code method} received so far. */
    int successesReceived(StunMethod method) {
        return successesReceived.getOrDefault(method, 0);
    }

    /** Error responses with {@code code} received so far. */
    int errorsReceived(int code) {
        return errorsReceived.getOrDefault(code, 0);
    }

    /**
     * Runs cycles until an event of {@code type} matching {@code condition} has been collected (now or
     * earlier and not yet taken), and takes it out of {@link #events}.
     *
     * @throws AssertionError after {@code timeoutMs} with the events seen
     */
    <T extends AllocationEvent> T await(Class<T> type, Predicate<T> condition, long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            for (int i = 0; i < events.size(); i++) {
                if (type.isInstance(events.get(i)) && condition.test(type.cast(events.get(i)))) {
                    return type.cast(events.remove(i));
                }
            }
            if (System.nanoTime() >= deadline) {
                throw new AssertionError("no " + type.getSimpleName() + " within " + timeoutMs + " ms; events: "
                        + events + ", dropped: " + allocation.dropped());
            }
            cycle();
        }
    }

    /** Frames {@code payload} for {@code peer} and sends it; returns whether a channel was bound to carry it. */
    boolean send(InetSocketAddress peer, byte[] payload) throws IOException {
        Transmit transmit = allocation.encapsulate(peer, ByteBuffer.wrap(payload), System.nanoTime());
        if (transmit != null) {
            socket.send(transmit.payload().duplicate(), transmit.destination());
        }
        flush();
        return transmit != null;
    }

    /** Runs cycles until {@code done} holds, or fails after {@code timeoutMs}. */
    void runUntil(BooleanSupplier done, String what, long timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() >= deadline) {
                throw new AssertionError(what + " did not happen within " + timeoutMs + " ms; events: " + events);
            }
            cycle();
        }
    }

    /** One duty cycle. */
    void cycle() throws IOException {
        long nowNs = System.nanoTime();
        for (InetSocketAddress from; (from = (InetSocketAddress) socket.receive(receive.clear())) != null; ) {
            receive.flip();
            switch (DatagramKind.classify(receive, 0, receive.remaining())) {
                case CHANNEL_DATA -> channelDataReceived++;
                case STUN -> {
                    stunReceived++;
                    if (parser.parse(receive, 0, receive.remaining()) instanceof StunParseResult.Parsed(var m)) {
                        if (m.messageClass() == StunClass.ERROR_RESPONSE) {
                            errorsReceived.merge(m.errorCode(), 1, Integer::sum);
                        } else if (m.messageClass() == StunClass.SUCCESS_RESPONSE && m.method() != null) {
                            successesReceived.merge(m.method(), 1, Integer::sum);
                        }
                    }
                }
                case WIREGUARD, OTHER -> { }
            }
            allocation.handleInput(from, receive, nowNs);
        }
        if (allocation.pollTimeout().deadlineNs() <= nowNs) {
            allocation.handleTimeout(nowNs);
        }
        flush();
        AllocationTimeout next = allocation.pollTimeout();
        long waitMs = Math.clamp((next.deadlineNs() - System.nanoTime()) / 1_000_000L, 1, MAX_WAIT_MS);
        selector.select(waitMs);
        selector.selectedKeys().clear();
    }

    private void flush() throws IOException {
        for (Transmit t; (t = allocation.pollTransmit()) != null; ) {
            ByteBuffer payload = t.payload();
            if (parser.parse(payload, payload.position(), payload.remaining()) instanceof StunParseResult.Parsed(var m)
                    && m.messageClass() == StunClass.REQUEST && m.method() != null) {
                requestsSent.merge(m.method(), 1, Integer::sum);
            }
            socket.send(payload.duplicate(), t.destination());
        }
        for (AllocationEvent e; (e = allocation.pollEvent()) != null; ) {
            events.add(e);
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
        socket.close();
    }
}
