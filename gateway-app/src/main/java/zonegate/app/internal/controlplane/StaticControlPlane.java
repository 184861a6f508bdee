package zonegate.app.internal.controlplane;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.tinylog.Logger;
import zonegate.app.spi.ControlPlane;
import zonegate.app.spi.ControlPlaneListener;
import zonegate.app.spi.ControlPlaneOptions;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.PolicyProblem;
import zonegate.app.spi.PolicyRejection;

/**
 * The static control plane: one JSON file, read at start and again on SIGHUP, on {@link #reload()}
 * and (debounced) when the file changes. A change is delivered only if the whole file is valid;
 * otherwise the problems are logged at WARN, the listener gets a rejection, and the previous policy
 * stays in force.
 *
 * <p>Threads: {@link #start} loads on the caller's thread; a virtual thread watches the directory;
 * SIGHUP arrives on the JVM's signal thread. A lock serialises loads, so listener calls never overlap.
 */
final class StaticControlPlane implements ControlPlane {
    static final long DEFAULT_QUIET_NS = TimeUnit.MILLISECONDS.toNanos(200);
    static final long DEFAULT_MAX_DELAY_NS = TimeUnit.SECONDS.toNanos(2);

    private final ControlPlaneOptions options;
    private final Function<Path, LoadContext> contexts;
    private final long quietNs;
    private final String source;
    private final ReentrantLock lock = new ReentrantLock();
    private ControlPlaneListener listener;
    private boolean closed;
    private FileWatch watch;
    private HangupSignal hangup;

    StaticControlPlane(ControlPlaneOptions options, Function<Path, LoadContext> contexts, long quietNs) {
        this.options = Objects.requireNonNull(options, "options");
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        this.quietNs = quietNs;
        this.source = options.configFile().toString();
    }

    @Override
    public void start(ControlPlaneListener listener) {
        Objects.requireNonNull(listener, "listener");
        lock.lock();
        try {
            if (this.listener != null || closed) {
                throw new IllegalStateException(closed ? "closed" : "already started");
            }
            this.listener = listener;
            // watch before the first read, so that a change made while it runs is not missed
            if (options.reloadOnFileChange()) {
                watch = FileWatch.start(options.configFile(), quietNs, DEFAULT_MAX_DELAY_NS, this::onFileChanged);
            }
            load("start", PolicyFile.readText(options.configFile()));
            if (options.reloadOnHangupSignal()) {
                hangup = HangupSignal.install(this::onHangup);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void reload() {
        reloadNow("reload request");
    }

    @Override
    public void close() {
        FileWatch stopping;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            stopping = watch;
            if (hangup != null) {
                hangup.close();
            }
        } finally {
            lock.unlock();
        }
        // joined outside the lock: the watch thread may be waiting for it to deliver a change
        if (stopping != null) {
            stopping.close();
        }
    }

    private void reloadNow(String trigger) {
        lock.lock();
        try {
            if (listener != null && !closed) {
                load(trigger, PolicyFile.readText(options.configFile()));
            }
        } finally {
            lock.unlock();
        }
    }

    private void onHangup() {
        try {
            reloadNow("SIGHUP");
        } catch (RuntimeException e) {
            Logger.error(e, "reloading the configuration on SIGHUP failed unexpectedly");
        }
    }

    /**
     * Reloads even when the text is what it was: the key files it names may have changed, and an
     * operator who saves again expects the file to be applied.
     */
    private void onFileChanged() {
        reloadNow("file change");
    }

    /** Must hold the lock. */
    private void load(String trigger, PolicyFile.TextRead read) {
        LoadResult result = switch (read) {
            case PolicyFile.TextRead.Text(String text) -> PolicyFile.parse(text, source,
                    contexts.apply(options.configFile()));
            case PolicyFile.TextRead.Failure(String reason) -> PolicyFile.unreadable(source, reason);
        };
        switch (result) {
            case LoadResult.Loaded(GatewayPolicy policy, var notes) -> {
                notes.forEach(note -> Logger.info("{}", note));
                Logger.info("configuration {} loaded ({}): {} clients, {} resources, {} policies", source, trigger,
                        policy.clients().size(), policy.resources().size(), policy.policies().size());
                listener.onPolicy(policy);
            }
            case LoadResult.Rejected(PolicyRejection rejection) -> {
                for (PolicyProblem problem : rejection.problems()) {
                    Logger.warn("{}", problem);
                }
                Logger.warn("configuration {} refused ({}): {} problem(s); {}", source, trigger,
                        rejection.problems().size(), trigger.equals("start") ? "no policy is in force"
                                : "the previous policy stays in force");
                listener.onRejected(rejection);
            }
        }
    }
}
