package zonegate.app.internal.admin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import org.tinylog.Logger;
import zonegate.app.internal.status.DropWindow;
import zonegate.app.internal.status.StatusCollector;
import zonegate.app.internal.status.StatusJson;
import zonegate.app.internal.status.StatusReport;
import zonegate.app.internal.status.StatusRequest;
import zonegate.shell.loop.EventLoop;

/**
 * The admin socket's server: one request line, one JSON answer, then close.
 *
 * <pre>
 *   client: status\n
 *   server: {"role":"gateway",...}\n     (or {"error":"..."}\n), then closes
 * </pre>
 *
 * A virtual thread accepts and one serves each connection (at most {@value #MAX_CONNECTIONS} at once; more are
 * closed at once). A peer whose SO_PEERCRED user is neither root nor this process's user is answered with an
 * error and logged at WARN (the file's mode 0600 already keeps others out; this covers a process with
 * CAP_DAC_OVERRIDE). A request is at most {@value #MAX_REQUEST_BYTES} bytes, and a connection lasts at most
 * {@value #CONNECTION_TIMEOUT_MS} ms. The status is collected on the state thread through the event loop's
 * command queue ({@link StatusRequest}), waiting at most {@value #STATE_TIMEOUT_MS} ms, as a metrics scrape does.
 * Every {@link DropWindow#SAMPLE_EVERY_NS} the drop counters are sampled the same way, for "recent drops".
 */
public final class AdminServer implements AutoCloseable {
    /** The longest request line. */
    public static final int MAX_REQUEST_BYTES = 256;
    /** The longest a connection may stay open. */
    public static final long CONNECTION_TIMEOUT_MS = 2_000;
    /** The longest the state thread may take to answer. */
    public static final long STATE_TIMEOUT_MS = 1_000;
    /** Connections served at once. */
    public static final int MAX_CONNECTIONS = 4;

    private record Attached(Predicate<Object> submit, Supplier<List<StatusReport.DropTotal>> loopDrops,
            UnaryOperator<StatusReport> complete, DropWindow window) {
    }

    private final AdminSocketFile file;
    private final Predicate<UserPrincipal> peerAllowed;
    private final AtomicReference<Attached> attached = new AtomicReference<>();
    private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
    /** The connections being served (at most {@link #MAX_CONNECTIONS}), closed by {@link #close()}. */
    private final java.util.Set<SocketChannel> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("zonegate-admin-timer").factory());
    private final Thread acceptor;

    private AdminServer(AdminSocketFile file, Predicate<UserPrincipal> peerAllowed) {
        this.file = file;
        this.peerAllowed = peerAllowed;
        this.acceptor = Thread.ofVirtual().name("zonegate-admin-accept").unstarted(this::acceptLoop);
    }

    /** Serves {@code file} to root and this process's user. */
    public static AdminServer start(AdminSocketFile file) throws IOException {
        return start(file, rootOrOwnUser());
    }

    /** Serves {@code file} to the peers {@code peerAllowed} accepts (their SO_PEERCRED user). */
    public static AdminServer start(AdminSocketFile file, Predicate<UserPrincipal> peerAllowed) {
        AdminServer server = new AdminServer(file, peerAllowed);
        server.acceptor.start();
        Logger.info("status on the admin socket {} (zonegate status --socket {})", file.path(), file.path());
        return server;
    }

    /** Root, or the owner of {@code /proc/self} (this process's user). */
    public static Predicate<UserPrincipal> rootOrOwnUser() throws IOException {
        UserPrincipal root = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root");
        UserPrincipal self = Files.getOwner(Path.of("/proc/self"));
        return user -> user.equals(root) || user.equals(self);
    }

    /** The runtime is up: requests go to {@code loop}'s state thread; {@code complete} adds what the shell knows. */
    public void attach(EventLoop loop, UnaryOperator<StatusReport> complete) {
        attach(loop::submit, () -> StatusCollector.loopDrops(loop.counters()), complete);
    }

    /** As {@link #attach(EventLoop, UnaryOperator)}, with the loop's parts given separately (tests). */
    public void attach(Predicate<Object> submit, Supplier<List<StatusReport.DropTotal>> loopDrops,
            UnaryOperator<StatusReport> complete) {
        Attached a = new Attached(submit, loopDrops, complete, new DropWindow(System.nanoTime()));
        attached.set(a);
        timer.scheduleAtFixedRate(() -> sample(a), DropWindow.SAMPLE_EVERY_NS, DropWindow.SAMPLE_EVERY_NS,
                TimeUnit.NANOSECONDS);
    }

    /** The socket's path. */
    public Path path() {
        return file.path();
    }

    @Override
    public void close() {
        attached.set(null);
        file.close();
        timer.shutdownNow();
        open.forEach(AdminServer::closeQuietly);
        try {
            acceptor.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel channel;
            try {
                channel = file.channel().accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                Logger.warn("admin socket {}: accept failed: {}", file.path(), e.getMessage());
                return;
            }
            if (!slots.tryAcquire()) {
                Logger.debug("admin socket {}: {} connections already served, one closed", file.path(), MAX_CONNECTIONS);
                closeQuietly(channel);
                continue;
            }
            Thread.ofVirtual().name("zonegate-admin").start(() -> serve(channel));
        }
    }

    private void serve(SocketChannel channel) {
        ScheduledFuture<?> deadline = null;
        open.add(channel);
        try (channel) {
            deadline = timer.schedule(() -> closeQuietly(channel), CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            UnixDomainPrincipal peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            // The request is read even from a refused peer: closing with its bytes unread would reset the
            // connection, and the peer would see no reason.
            String request = readLine(channel);
            String answer;
            if (!peerAllowed.test(peer.user())) {
                Logger.warn("admin socket {}: refused a connection from user {} (only root and this process's user "
                        + "may read the status)", file.path(), peer.user().getName());
                answer = StatusJson.error("refused: only root and the gateway's own user may read the status");
            } else if (request == null) {
                answer = StatusJson.error("request longer than " + MAX_REQUEST_BYTES + " bytes");
            } else if (request.strip().equals("status")) {
                answer = status();
            } else {
                answer = StatusJson.error("unknown request (the only one is \"status\")");
            }
            write(channel, answer);
        } catch (RejectedExecutionException stopping) {
            // accepted while the server closed: the connection just closes
        } catch (AsynchronousCloseException timedOut) {
            Logger.debug("admin socket {}: a connection timed out after {} ms", file.path(), CONNECTION_TIMEOUT_MS);
        } catch (IOException e) {
            Logger.debug("admin socket {}: {}", file.path(), e.getMessage());
        } catch (RuntimeException bug) {
            Logger.error(bug, "bug while answering on the admin socket {}", file.path());
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            open.remove(channel);
            slots.release();
        }
    }

    private String status() {
        Attached a = attached.get();
        if (a == null) {
            return StatusJson.error("not running yet (starting, or stopping)");
        }
        StatusRequest request = new StatusRequest(System.currentTimeMillis(), false, new CompletableFuture<>());
        if (!a.submit().test(request)) {
            return StatusJson.error("the event loop's command queue is full; try again");
        }
        StatusReport report;
        try {
            report = StatusCollector.report(request.result().get(STATE_TIMEOUT_MS, TimeUnit.MILLISECONDS),
                    request.wallClockMs());
        } catch (TimeoutException e) {
            return StatusJson.error("the state thread did not answer within " + STATE_TIMEOUT_MS + " ms");
        } catch (ExecutionException e) {
            Logger.error(e.getCause(), "bug while collecting the status");
            return StatusJson.error("collecting the status failed (a bug, logged)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return StatusJson.error("interrupted");
        }
        report = a.complete().apply(report.withDrops(a.loopDrops().get()));
        long nowNs = System.nanoTime();
        DropWindow.Recent recent = a.window().recent(nowNs, report.drops());
        a.window().record(nowNs, report.drops());
        return StatusJson.write(report, recent);
    }

    /** A drops-only collection for the window; its answer is taken on the timer's thread, never the state thread's. */
    private void sample(Attached a) {
        StatusRequest request = new StatusRequest(System.currentTimeMillis(), true, new CompletableFuture<>());
        if (attached.get() != a || !a.submit().test(request)) {
            return;
        }
        request.result().orTimeout(STATE_TIMEOUT_MS, TimeUnit.MILLISECONDS).thenAcceptAsync(snapshot -> {
            List<StatusReport.DropTotal> drops = new java.util.ArrayList<>(snapshot.drops());
            drops.addAll(a.loopDrops().get());
            a.window().record(System.nanoTime(), drops);
        }, timer);
    }

    /** The request line (without its newline), or null when it is longer than {@link #MAX_REQUEST_BYTES}. */
    private static String readLine(SocketChannel channel) throws IOException {
        ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST_BYTES + 1);
        while (in.hasRemaining()) {
            int n = channel.read(in);
            if (n < 0) {
                break;
            }
            for (int i = in.position() - n; i < in.position(); i++) {
                if (in.get(i) == '\n') {
                    return new String(in.array(), 0, i, StandardCharsets.UTF_8);
                }
            }
        }
        return in.hasRemaining() ? new String(in.array(), 0, in.position(), StandardCharsets.UTF_8) : null;
    }

    private static void write(SocketChannel channel, String answer) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8));
        while (out.hasRemaining()) {
            channel.write(out);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the connection is being abandoned
        }
    }
}
