package zonegate.controlplane;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.tinylog.Logger;
import zonegate.controlplane.internal.Backoff;

/**
 * The logic of one peer's connection to the portal, sans-IO: states, the join, heartbeats, refs, backoff,
 * refusal and the outbound queue. {@link PortalClient} drives it over a real WebSocket; a simulation can
 * drive it with a manual clock and a seeded random.
 *
 * <pre>
 *  Disconnected(retryAtNs) --timeout--> Connecting --onOpen--> Joining --join reply ok--> Joined
 *        ^                                  |                     |                       |
 *        +---- failure, close, 4002, heartbeats missed, connect timeout (backoff) --------+
 *  any --error reply missing_token/invalid_token/bad_request, close 4000/4001--> Refused (terminal)
 *  any --close()--> Closed (terminal)
 * </pre>
 *
 * <p>Connections are numbered; every input names the connection it is about and inputs about an older one
 * are ignored, so a late callback of a dropped socket never disturbs the next. Refs are {@code "1"},
 * {@code "2"}, ... per connection, the join taking {@code "1"}. A heartbeat goes out every interval from
 * the socket's opening; a heartbeat still unanswered when the next is due is missed, and when more than
 * {@value #MAX_UNANSWERED_HEARTBEATS} in a row went unanswered the connection is dropped (so with interval
 * I the drop comes at 5 I after the last answer at the latest). Reconnects back off per
 * {@link Backoff} from {@code backoffStart} to {@code backoffMax}; a connection joined for
 * {@value #STABLE_AFTER_SECONDS} s or more resets the backoff.
 *
 * <p>Outbound messages ({@link #send}) wait in one FIFO queue of at most {@code maxQueued} entries until the
 * session is joined; when it is full the oldest is dropped and counted. Queued messages survive a reconnect
 * (the portal sends {@code init} again on every connection, so hosts resend their state anyway; a stale
 * candidate is harmless). Messages bound to a connection ({@link #sendWithRef}, {@link #reply}) are only
 * accepted while joined and are dropped (counted) if that connection ends before they leave.
 *
 * <p>Use: after every input, drain {@link #pollCommand()} and {@link #pollEvent()}; call
 * {@link #handleTimeout} when {@link #pollTimeout()} has come. Not thread-safe; time never goes backwards.
 */
public final class PortalSession {
    /** {@link #pollTimeout()} when nothing is due. */
    public static final long NO_TIMEOUT = Long.MAX_VALUE;
    /** Default bound of the outbound queue. */
    public static final int DEFAULT_MAX_QUEUED = 1024;
    /** Heartbeats that may go unanswered in a row; one more drops the connection. */
    public static final int MAX_UNANSWERED_HEARTBEATS = 3;
    /** How long a connection must stay joined to reset the backoff. */
    public static final int STABLE_AFTER_SECONDS = 30;
    /** The reasons of an error reply that refuse the peer for good. */
    public static final Set<String> REFUSAL_REASONS = Set.of("missing_token", "invalid_token", "bad_request");

    private static final long STABLE_AFTER_NS = STABLE_AFTER_SECONDS * 1_000_000_000L;
    private static final String HEARTBEAT_TOPIC = "phoenix";

    /** Where the session is. */
    public sealed interface State {
        /** Waiting to reconnect at {@code retryAtNs}. */
        record Disconnected(long retryAtNs) implements State {
        }

        /** The transport is opening socket {@code connection}. */
        record Connecting(long connection) implements State {
        }

        /** The socket is open, the join sent. */
        record Joining(long connection) implements State {
        }

        /** Joined since {@code sinceNs}: messages flow. */
        record Joined(long connection, long sinceNs) implements State {
        }

        /** Refused by the portal: terminal. */
        record Refused(String reason) implements State {
        }

        /** Closed by the host: terminal. */
        record Closed() implements State {
        }
    }

    /** What the transport must do, in order. Every command names its connection. */
    public sealed interface Command {
        /** Open socket {@code connection}; report {@link #onOpen} or {@link #onFailed}. */
        record Connect(long connection) implements Command {
        }

        /** Send {@code text} as one text message on socket {@code connection}. */
        record Send(long connection, String text) implements Command {
        }

        /**
         * Close socket {@code connection} with {@code code} (or abort it if it is not open); the session
         * has already left it, so what the socket reports afterwards is ignored.
         */
        record Close(long connection, int code, String reason) implements Command {
        }
    }

    private record Outbound(PortalMessage message, String ref, long connection) {
    }

    private final String topic;
    private final Direction inbound;
    private final long heartbeatIntervalNs;
    private final long connectTimeoutNs;
    private final int maxQueued;
    private final RandomGenerator random;
    private final Backoff backoff;
    private final ArrayDeque<Command> commands = new ArrayDeque<>();
    private final ArrayDeque<Outbound> queue = new ArrayDeque<>();
    private final ArrayDeque<PortalEvent> events = new ArrayDeque<>();
    private final ArrayDeque<String> heartbeatRefs = new ArrayDeque<>();

    private State state;
    private long lastNowNs;
    private long connections;
    private long nextRef;
    private String joinRef;
    private long deadlineNs;
    private String outstandingHeartbeat;
    private int unansweredInRow;
    private String lastDropReason;

    private long connects;
    private long disconnects;
    private long refused;
    private long heartbeatsMissed;
    private long framesDropped;
    private long queueDrops;

    /**
     * A session that connects at once (its first {@link #pollTimeout()} is {@code nowNs}).
     *
     * @param config the role and the timings (the URL, token and CA are the transport's)
     * @param maxQueued the outbound queue's bound, at least 1
     * @param random the backoff jitter's source
     */
    public PortalSession(PortalClientConfig config, int maxQueued, RandomGenerator random, long nowNs) {
        if (maxQueued < 1) {
            throw new IllegalArgumentException("maxQueued must be at least 1, not " + maxQueued);
        }
        this.topic = config.role();
        this.inbound = config.inbound();
        this.heartbeatIntervalNs = config.heartbeatInterval().toNanos();
        this.connectTimeoutNs = config.connectTimeout().toNanos();
        this.maxQueued = maxQueued;
        this.random = Objects.requireNonNull(random, "random");
        this.backoff = new Backoff(config.backoffStart().toNanos(), config.backoffMax().toNanos());
        this.state = new State.Disconnected(nowNs);
        this.lastNowNs = nowNs;
    }

    /** The current state. */
    public State state() {
        return state;
    }

    /** The counters so far. */
    public PortalCounters counters() {
        return new PortalCounters(connects, disconnects, refused, heartbeatsMissed, framesDropped, queueDrops);
    }

    /** Messages waiting in the outbound queue. */
    public int queued() {
        return queue.size();
    }

    // ---- inputs

    /** The deadline of {@link #pollTimeout()} has come (or passed): reconnect, time out, heartbeat. */
    public void handleTimeout(long nowNs) {
        advance(nowNs);
        switch (state) {
            case State.Disconnected d -> {
                if (nowNs >= d.retryAtNs()) {
                    long connection = ++connections;
                    state = new State.Connecting(connection);
                    deadlineNs = nowNs + connectTimeoutNs;
                    commands.add(new Command.Connect(connection));
                }
            }
            case State.Connecting c -> {
                if (nowNs >= deadlineNs) {
                    commands.add(new Command.Close(c.connection(), 1000, "connect timeout"));
                    lost("no connection within " + connectTimeoutNs / 1_000_000 + " ms", nowNs);
                }
            }
            case State.Joining j -> heartbeatIfDue(j.connection(), nowNs);
            case State.Joined j -> heartbeatIfDue(j.connection(), nowNs);
            case State.Refused r -> {
            }
            case State.Closed c -> {
            }
        }
    }

    /** Socket {@code connection} opened: the join goes out, heartbeats start. */
    public void onOpen(long connection, long nowNs) {
        advance(nowNs);
        if (!(state instanceof State.Connecting c) || c.connection() != connection) {
            return;
        }
        connects++;
        state = new State.Joining(connection);
        nextRef = 1;
        heartbeatRefs.clear();
        outstandingHeartbeat = null;
        unansweredInRow = 0;
        joinRef = takeRef();
        commands.add(new Command.Send(connection, PortalCodec.encode(new Frame(topic, joinRef,
                new PortalMessage.Join()))));
        deadlineNs = nowNs + heartbeatIntervalNs;
    }

    /** A whole text message arrived on socket {@code connection}. */
    public void onText(long connection, String text, long nowNs) {
        advance(nowNs);
        if (openConnection() != connection) {
            return;
        }
        switch (PortalCodec.decode(text, inbound)) {
            case DecodeResult.Decoded d -> onFrame(connection, d.frame(), nowNs);
            case DecodeResult.UnknownEvent u -> dropped("an event this " + topic + " does not know: " + u.event());
            case DecodeResult.Rejected r -> dropped(r.reason());
        }
    }

    /** Socket {@code connection} received a text over {@link PortalCodec#MAX_TEXT_CHARS}: drop it, reconnect. */
    public void onOversizedText(long connection, long nowNs) {
        advance(nowNs);
        if (openConnection() != connection) {
            return;
        }
        framesDropped++;
        commands.add(new Command.Close(connection, 1009, "message too big"));
        lost("a text message over " + PortalCodec.MAX_TEXT_CHARS + " characters", nowNs);
    }

    /** The portal closed socket {@code connection} with {@code code}. */
    public void onClosed(long connection, int code, String reason, long nowNs) {
        advance(nowNs);
        if (liveConnection() != connection) {
            return;
        }
        switch (code) {
            case 4000 -> refuse("bad_request");
            case 4001 -> refuse("invalid_token");
            case 4002 -> lost("replaced by a newer connection of the same identity", nowNs);
            default -> lost("closed by the portal (" + code + (reason == null || reason.isEmpty() ? "" : " " + reason)
                    + ")", nowNs);
        }
    }

    /** Socket {@code connection} failed to open, or broke (I/O error, connect refused, bad upgrade). */
    public void onFailed(long connection, String reason, long nowNs) {
        advance(nowNs);
        if (liveConnection() != connection) {
            return;
        }
        lost(reason, nowNs);
    }

    /**
     * Sends {@code message} with a fresh ref now if joined, else queues it (see the class comment). After a
     * refusal or close it is dropped and counted.
     */
    public void send(PortalMessage message, long nowNs) {
        advance(nowNs);
        if (state instanceof State.Refused || state instanceof State.Closed) {
            queueDrops++;
            return;
        }
        enqueue(new Outbound(Objects.requireNonNull(message, "message"), null, 0));
    }

    /**
     * Sends a request whose answer the host correlates by ref; only while joined.
     *
     * @return the request's ref, or null when not joined (nothing is sent or queued)
     */
    public String sendWithRef(PortalMessage message, long nowNs) {
        advance(nowNs);
        if (!(state instanceof State.Joined j)) {
            return null;
        }
        String ref = takeRef();
        enqueue(new Outbound(Objects.requireNonNull(message, "message"), ref, j.connection()));
        return ref;
    }

    /**
     * Answers the portal's request {@code requestRef} (e.g. {@code authorization_created} to a
     * {@code create_authorization}); only while joined, since a ref means nothing on another socket.
     *
     * @return whether it was accepted
     */
    public boolean reply(String requestRef, PortalMessage message, long nowNs) {
        advance(nowNs);
        if (!(state instanceof State.Joined j)) {
            return false;
        }
        enqueue(new Outbound(Objects.requireNonNull(message, "message"), Objects.requireNonNull(requestRef,
                "requestRef"), j.connection()));
        return true;
    }

    /** Closes the socket (code 1000) and stops for good; queued messages are dropped and counted. */
    public void close(long nowNs) {
        advance(nowNs);
        long connection = liveConnection();
        if (connection != 0) {
            commands.add(new Command.Close(connection, 1000, ""));
        }
        if (!(state instanceof State.Refused)) {
            state = new State.Closed();
        }
        queueDrops += queue.size();
        queue.clear();
    }

    // ---- outputs

    /** The next thing for the transport to do, or null. Queued messages leave only while joined. */
    public Command pollCommand() {
        Command command = commands.poll();
        if (command != null) {
            return command;
        }
        if (state instanceof State.Joined j && !queue.isEmpty()) {
            Outbound o = queue.poll();
            String ref = o.ref() != null ? o.ref() : takeRef();
            return new Command.Send(j.connection(), PortalCodec.encode(new Frame(topic, ref, o.message())));
        }
        return null;
    }

    /** The next event for the host, or null. */
    public PortalEvent pollEvent() {
        return events.poll();
    }

    /** When {@link #handleTimeout} is next due, in ns, or {@link #NO_TIMEOUT}. */
    public long pollTimeout() {
        return switch (state) {
            case State.Disconnected d -> d.retryAtNs();
            case State.Connecting c -> deadlineNs;
            case State.Joining j -> deadlineNs;
            case State.Joined j -> deadlineNs;
            case State.Refused r -> NO_TIMEOUT;
            case State.Closed c -> NO_TIMEOUT;
        };
    }

    // ---- internals

    private void onFrame(long connection, Frame frame, long nowNs) {
        if (!(frame.message() instanceof PortalMessage.Reply reply)) {
            events.add(new PortalEvent.Message(frame));
            return;
        }
        String ref = frame.ref();
        if (ref != null && heartbeatRefs.contains(ref)) {
            unansweredInRow = 0;
            if (ref.equals(outstandingHeartbeat)) {
                outstandingHeartbeat = null;
            }
            return;
        }
        boolean answersJoin = ref == null || ref.equals(joinRef);
        if (!reply.ok() && answersJoin && REFUSAL_REASONS.contains(reply.reason())) {
            refuse(reply.reason());
        } else if (state instanceof State.Joining && ref != null && ref.equals(joinRef)) {
            if (reply.ok()) {
                state = new State.Joined(connection, nowNs);
                events.add(new PortalEvent.Connected());
            } else {
                commands.add(new Command.Close(connection, 1000, ""));
                lost("join refused: " + reply.reason(), nowNs);
            }
        } else {
            events.add(new PortalEvent.Message(frame));
        }
    }

    private void heartbeatIfDue(long connection, long nowNs) {
        if (nowNs < deadlineNs) {
            return;
        }
        if (outstandingHeartbeat != null) {
            heartbeatsMissed++;
            unansweredInRow++;
            if (unansweredInRow > MAX_UNANSWERED_HEARTBEATS) {
                commands.add(new Command.Close(connection, 1000, "heartbeat timeout"));
                lost(unansweredInRow + " heartbeats in a row unanswered", nowNs);
                return;
            }
        }
        String ref = takeRef();
        outstandingHeartbeat = ref;
        heartbeatRefs.add(ref);
        if (heartbeatRefs.size() > MAX_UNANSWERED_HEARTBEATS + 1) {
            heartbeatRefs.poll();
        }
        commands.add(new Command.Send(connection, PortalCodec.encode(new Frame(HEARTBEAT_TOPIC, ref,
                new PortalMessage.Heartbeat()))));
        deadlineNs = nowNs + heartbeatIntervalNs;
    }

    private void refuse(String reason) {
        long connection = liveConnection();
        if (connection != 0) {
            commands.add(new Command.Close(connection, 1000, ""));
        }
        refused++;
        state = new State.Refused(reason);
        queueDrops += queue.size();
        queue.clear();
        events.add(new PortalEvent.Refused(reason));
    }

    private void lost(String reason, long nowNs) {
        if (state instanceof State.Joined j && nowNs - j.sinceNs() >= STABLE_AFTER_NS) {
            backoff.reset();
        }
        state = new State.Disconnected(nowNs + backoff.nextDelayNs(random));
        disconnects++;
        int before = queue.size();
        queue.removeIf(o -> o.connection() != 0);
        queueDrops += before - queue.size();
        events.add(new PortalEvent.Disconnected(reason));
    }

    private void enqueue(Outbound outbound) {
        if (queue.size() >= maxQueued) {
            queue.poll();
            queueDrops++;
        }
        queue.add(outbound);
    }

    private void dropped(String reason) {
        framesDropped++;
        if (!reason.equals(lastDropReason)) {
            lastDropReason = reason;
            Logger.debug("portal frame dropped: {} (further drops for this reason only counted)", reason);
        }
    }

    private String takeRef() {
        return Long.toString(nextRef++);
    }

    /** The connection with an open socket (Joining, Joined), or 0. */
    private long openConnection() {
        return switch (state) {
            case State.Joining j -> j.connection();
            case State.Joined j -> j.connection();
            case State.Disconnected d -> 0;
            case State.Connecting c -> 0;
            case State.Refused r -> 0;
            case State.Closed c -> 0;
        };
    }

    /** The connection being opened or open, or 0. */
    private long liveConnection() {
        return state instanceof State.Connecting c ? c.connection() : openConnection();
    }

    private void advance(long nowNs) {
        if (nowNs < lastNowNs) {
            throw new IllegalArgumentException("time went backwards: " + nowNs + " < " + lastNowNs);
        }
        lastNowNs = nowNs;
    }
}
