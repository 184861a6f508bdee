package zonegate.controlplane;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import javax.net.ssl.SSLContext;
import org.tinylog.Logger;
import zonegate.controlplane.internal.ExtraTrust;
import zonegate.controlplane.internal.PortalUris;
import zonegate.controlplane.internal.SocketInput;
import zonegate.controlplane.internal.SocketListener;
import zonegate.controlplane.internal.WsConnection;

/**
 * A gateway's, client's or relay's connection to the portal: a {@link PortalSession} driven over a
 * WebSocket ({@code ws://} or {@code wss://}, RFC 6455 over a blocking socket: {@link WsConnection}), on
 * one virtual thread of its own; each socket is opened and read on a virtual thread of its own.
 *
 * <p>It connects to {@code portal/ROLE/websocket?query} with the header
 * {@code X-Authorization: Bearer TOKEN}, joins, heartbeats, and reconnects with backoff until
 * {@link #close()} or a refusal (see {@link PortalSession} for the rules). Events reach the
 * {@link Listener} on the client's thread, in order, one at a time: post them to your event loop rather
 * than doing long work there. Text messages are assembled from their fragments up to
 * {@link PortalCodec#MAX_TEXT_CHARS} characters; a longer one drops the connection (counted).
 *
 * <pre>{@code
 * PortalClientConfig config = PortalClientConfig.of(URI.create("wss://portal.example.com:8443"), "gateway",
 *         token, Map.of("name", List.of("gw-1"), "public_key", List.of(publicKeyBase64)))
 *         .withExtraCaPem(Path.of("/etc/zonegate/portal-ca.pem"));
 * PortalClient portal = PortalClient.start(config, event -> loop.post(() -> switch (event) {
 *     case PortalEvent.Connected c -> log("joined");
 *     case PortalEvent.Message m -> handle(m.frame());          // init first, then the portal's requests
 *     case PortalEvent.Disconnected d -> log("portal lost: " + d.reason());
 *     case PortalEvent.Refused r -> exit(3, "the portal refused the token: " + r.reason());
 * }));
 * portal.send(new PortalMessage.BroadcastIceCandidates(clientIds, candidates));
 * portal.reply(requestRef, new PortalMessage.AuthorizationCreated());
 * ...
 * portal.close();
 * }</pre>
 *
 * <p>Thread-safe: {@link #send}, {@link #sendWithRef}, {@link #reply}, {@link #counters()} and
 * {@link #close()} may be called from any thread, the listener included.
 */
public final class PortalClient implements AutoCloseable {
    /** Receives the client's events, on the client's thread. */
    @FunctionalInterface
    public interface Listener {
        /** One event; an exception thrown here is logged and otherwise ignored. */
        void onEvent(PortalEvent event);
    }

    /** How long {@link #close()} waits for the close handshake before dropping the socket. */
    private static final Duration CLOSE_GRACE = Duration.ofSeconds(1);

    private final PortalClientConfig config;
    private final URI uri;
    private final Listener listener;
    private final SSLContext tls;
    private final ReentrantLock lock = new ReentrantLock();
    private final PortalSession session;
    private final LinkedBlockingQueue<SocketInput> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;

    // Owned by the client's thread.
    private long liveConnection;
    private WsConnection socket;
    private WsConnection opening;
    private String lastDisconnect;

    private PortalClient(PortalClientConfig config, Listener listener, RandomGenerator random) {
        this.config = config;
        this.uri = PortalUris.socketUri(config.portal(), config.role(), config.query());
        this.listener = listener;
        try {
            this.tls = "wss".equalsIgnoreCase(uri.getScheme()) || config.extraCaPem().isPresent()
                    ? ExtraTrust.context(config.extraCaPem()) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the portal CA " + config.extraCaPem().orElseThrow(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the portal CA " + config.extraCaPem().orElseThrow()
                    + " is not a PEM certificate: " + e.getMessage(), e);
        }
        this.session = new PortalSession(config, PortalSession.DEFAULT_MAX_QUEUED, random, System.nanoTime());
        this.thread = Thread.ofVirtual().name("portal-" + config.role()).unstarted(this::run);
    }

    /**
     * Starts connecting.
     *
     * @throws UncheckedIOException if {@code extraCaPem} cannot be read
     * @throws IllegalArgumentException if it holds no certificate
     */
    public static PortalClient start(PortalClientConfig config, Listener listener) {
        return start(config, listener, RandomGenerator.of("L64X128MixRandom"));
    }

    /** Starts connecting, with the backoff jitter from {@code random}. */
    public static PortalClient start(PortalClientConfig config, Listener listener, RandomGenerator random) {
        PortalClient client = new PortalClient(config, listener, random);
        client.thread.start();
        return client;
    }

    /** The socket URL (without the token, which travels in a header). */
    public URI uri() {
        return uri;
    }

    /** Sends now if joined, else queues (bounded, oldest dropped and counted); see {@link PortalSession#send}. */
    public void send(PortalMessage message) {
        withSession(now -> {
            session.send(message, now);
            return null;
        });
    }

    /** Sends a request on the current connection; its ref, or null when not joined. */
    public String sendWithRef(PortalMessage message) {
        return withSession(now -> session.sendWithRef(message, now));
    }

    /** Answers the portal's request {@code requestRef} on the current connection; false when not joined. */
    public boolean reply(String requestRef, PortalMessage message) {
        return withSession(now -> session.reply(requestRef, message, now));
    }

    /** The counters so far. */
    public PortalCounters counters() {
        lock.lock();
        try {
            return session.counters();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the socket (code 1000) and stops reconnecting; waits up to a second for the client's thread
     * unless called on it. Idempotent.
     */
    @Override
    public void close() {
        withSession(now -> {
            session.close(now);
            return null;
        });
        if (Thread.currentThread() != thread) {
            try {
                thread.join(CLOSE_GRACE.plusMillis(500));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private interface SessionCall<T> {
        T call(long nowNs);
    }

    private <T> T withSession(SessionCall<T> call) {
        T result;
        lock.lock();
        try {
            result = call.call(System.nanoTime());
        } finally {
            lock.unlock();
        }
        inbox.offer(new SocketInput.Wake());
        return result;
    }

    // ---- the client's thread

    private void run() {
        List<PortalSession.Command> commands = new ArrayList<>();
        List<PortalEvent> events = new ArrayList<>();
        SocketInput first = null;
        boolean running = true;
        while (running) {
            long waitNs;
            lock.lock();
            try {
                long now = System.nanoTime();
                for (SocketInput input = first != null ? first : inbox.poll(); input != null; input = inbox.poll()) {
                    dispatch(input, now);
                }
                if (now - session.pollTimeout() >= 0) {
                    session.handleTimeout(now);
                }
                for (var c = session.pollCommand(); c != null; c = session.pollCommand()) {
                    commands.add(c);
                }
                for (var e = session.pollEvent(); e != null; e = session.pollEvent()) {
                    events.add(e);
                }
                running = !(session.state() instanceof PortalSession.State.Refused
                        || session.state() instanceof PortalSession.State.Closed);
                long deadline = session.pollTimeout();
                waitNs = deadline == PortalSession.NO_TIMEOUT ? Long.MAX_VALUE : Math.max(0, deadline - now);
            } finally {
                lock.unlock();
            }
            commands.forEach(this::execute);
            commands.clear();
            events.forEach(this::deliver);
            events.clear();
            first = null;
            if (running && waitNs > 0) {
                try {
                    first = inbox.poll(waitNs, TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    close();
                }
            }
        }
    }

    private void dispatch(SocketInput input, long nowNs) {
        switch (input) {
            case SocketInput.Opened o -> {
                if (o.connection() == liveConnection) {
                    socket = o.socket();
                    opening = null;
                    session.onOpen(o.connection(), nowNs);
                } else {
                    o.socket().abort();
                }
            }
            case SocketInput.Text t -> {
                session.onText(t.connection(), t.text(), nowNs);
                if (t.connection() == liveConnection) {
                    t.socket().request();
                }
            }
            case SocketInput.Oversized o -> session.onOversizedText(o.connection(), nowNs);
            case SocketInput.Closed c -> {
                session.onClosed(c.connection(), c.code(), c.reason(), nowNs);
                forget(c.connection());
            }
            case SocketInput.Failed f -> {
                session.onFailed(f.connection(), f.reason(), nowNs);
                if (f.connection() == liveConnection && socket != null) {
                    socket.abort();
                }
                forget(f.connection());
            }
            case SocketInput.Wake w -> {
            }
        }
    }

    private void execute(PortalSession.Command command) {
        switch (command) {
            case PortalSession.Command.Connect c -> connect(c.connection());
            case PortalSession.Command.Send s -> {
                if (s.connection() != liveConnection || socket == null) {
                    return;
                }
                try {
                    socket.sendText(s.text());
                } catch (IOException e) {
                    socket.abort();
                    inbox.offer(new SocketInput.Failed(s.connection(), "send failed: " + WsConnection.describe(e)));
                }
            }
            case PortalSession.Command.Close c -> {
                if (c.connection() != liveConnection) {
                    return;
                }
                if (socket != null) {
                    socket.close(c.code(), c.reason());
                } else if (opening != null) {
                    opening.abort();
                }
                forget(c.connection());
            }
        }
    }

    private void connect(long connection) {
        liveConnection = connection;
        socket = null;
        opening = new WsConnection(uri, config.token(), tls, config.connectTimeout(), CLOSE_GRACE,
                PortalCodec.MAX_TEXT_CHARS);
        Thread.ofVirtual().name("portal-socket-" + connection).start(new SocketListener(connection, opening,
                inbox::offer));
    }

    private void forget(long connection) {
        if (connection == liveConnection) {
            liveConnection = 0;
            socket = null;
            opening = null;
        }
    }

    private void deliver(PortalEvent event) {
        switch (event) {
            case PortalEvent.Connected c -> {
                Logger.info("portal: joined {} as {}", uri, config.role());
                lastDisconnect = null;
            }
            case PortalEvent.Message m -> {
            }
            case PortalEvent.Disconnected d -> {
                if (d.reason().equals(lastDisconnect)) {
                    Logger.debug("portal: disconnected again ({}), reconnecting with backoff", d.reason());
                } else {
                    Logger.info("portal: disconnected ({}), reconnecting with backoff", d.reason());
                }
                lastDisconnect = d.reason();
            }
            case PortalEvent.Refused r -> Logger.warn("portal: {} refused this {} ({}); not reconnecting", uri,
                    config.role(), r.reason());
        }
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            Logger.error(e, "portal: the listener failed on {}", event);
        }
    }
}
