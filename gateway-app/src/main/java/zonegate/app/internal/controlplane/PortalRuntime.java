package zonegate.app.internal.controlplane;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.tinylog.Logger;
import zonegate.app.spi.PolicyProblem;
import zonegate.portal.PortalPolicy;
import zonegate.portal.PortalServer;
import zonegate.portal.PortalServerConfig;

/**
 * {@code zonegate portal}'s running parts: the server started from a valid {@code portal.json}, reloaded
 * when the file changes and on SIGHUP. A file that fails to load keeps the running policy (its problems
 * are logged); a changed {@code portal} section (listen, TLS) needs a restart and says so.
 */
public final class PortalRuntime implements AutoCloseable {
    private final Path file;
    private final String source;
    private final PortalServer server;
    private final PortalServerConfig serverConfig;
    private final ReentrantLock lock = new ReentrantLock();
    private final FileWatch watch;
    private final HangupSignal hangup;

    private PortalRuntime(Path file, String source, PortalServer server, PortalServerConfig serverConfig) {
        this.file = file;
        this.source = source;
        this.server = server;
        this.serverConfig = serverConfig;
        this.watch = FileWatch.start(file, StaticControlPlane.DEFAULT_QUIET_NS, StaticControlPlane.DEFAULT_MAX_DELAY_NS,
                () -> reload("file change"));
        this.hangup = HangupSignal.install(() -> reload("SIGHUP"));
    }

    /**
     * Loads {@code file} and starts the portal.
     *
     * @return the running portal, or the rejection (nothing started) as {@link PortalLoad.Rejected}
     * @throws RuntimeException when the server cannot start (port in use, unreadable TLS files, plain ws:// refused)
     */
    public static Started start(Path file, String source) {
        return switch (PortalFile.load(file, source)) {
            case PortalLoad.Rejected rejected -> new Started.Refused(rejected);
            case PortalLoad.Loaded loaded -> {
                loaded.notes().forEach(note -> Logger.info("{}", note));
                describe(loaded.policy(), source, "start");
                PortalServer server = PortalServer.start(loaded.server(), loaded.policy());
                yield new Started.Running(new PortalRuntime(file, source, server, loaded.server()));
            }
        };
    }

    /** What {@link #start} did. */
    public sealed interface Started {
        /** The portal runs. */
        record Running(PortalRuntime runtime) implements Started {
        }

        /** The file was refused; nothing runs. */
        record Refused(PortalLoad.Rejected rejected) implements Started {
        }
    }

    /** The port the portal listens on. */
    public int port() {
        return server.port();
    }

    private void reload(String trigger) {
        lock.lock();
        try {
            switch (PortalFile.load(file, source)) {
                case PortalLoad.Loaded loaded -> {
                    loaded.notes().forEach(note -> Logger.info("{}", note));
                    if (!loaded.server().equals(serverConfig)) {
                        Logger.warn("{}: the portal section (listen, tls, allowInsecure) changed; it takes effect"
                                + " at the next start", source);
                    }
                    server.reload(loaded.policy());
                    describe(loaded.policy(), source, trigger);
                }
                case PortalLoad.Rejected rejected -> {
                    for (PolicyProblem problem : rejected.rejection().problems()) {
                        Logger.warn("{}", problem);
                    }
                    Logger.warn("configuration {} refused ({}): {} problem(s); the previous policy stays in force",
                            source, trigger, rejected.rejection().problems().size());
                }
            }
        } catch (RuntimeException e) {
            Logger.error(e, "reloading {} ({}) failed unexpectedly", source, trigger);
        } finally {
            lock.unlock();
        }
    }

    private static void describe(PortalPolicy policy, String source, String trigger) {
        Logger.info("configuration {} loaded ({}): {} sites, {} gateways, {} relays, {} clients, {} resources, {} policies",
                source, trigger, policy.sites().size(), policy.gateways().size(), policy.relays().size(),
                policy.clients().size(), policy.resources().size(), policy.policies().size());
    }

    @Override
    public void close() {
        hangup.close();
        watch.close();
        server.close();
    }
}
