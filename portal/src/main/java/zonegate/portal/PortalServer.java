package zonegate.portal;

import io.helidon.common.configurable.Resource;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.websocket.WsRouting;
import java.security.SecureRandom;
import java.util.Objects;
import org.tinylog.Logger;
import zonegate.portal.internal.PeerListener;
import zonegate.portal.internal.Refusals;
import zonegate.portal.internal.StateLoop;

/**
 * The portal's WebSocket server (Helidon WebServer, a virtual thread per connection) around one
 * {@link PortalState}: routes {@code /gateway/websocket}, {@code /client/websocket} and
 * {@code /relay/websocket}; authenticates each upgrade by its {@code X-Authorization: Bearer} header and
 * query ({@code name}, {@code public_key}, relay {@code address}); one JSON frame per text message.
 *
 * <pre>{@code
 * try (PortalServer server = PortalServer.start(config, policy)) {
 *     server.reload(newPolicy);
 * }
 * }</pre>
 *
 * <p>Plain {@code ws://} is refused unless the listen address is loopback or
 * {@link PortalServerConfig#allowInsecure()} is set (then a WARN says so). Thread-safe.
 */
public final class PortalServer implements AutoCloseable {
    private final WebServer server;
    private final StateLoop loop;
    private final Refusals refusals;

    private PortalServer(WebServer server, StateLoop loop, Refusals refusals) {
        this.server = server;
        this.loop = loop;
        this.refusals = refusals;
    }

    /**
     * Starts listening.
     *
     * @throws IllegalArgumentException when plain ws:// is asked for on a non-loopback address without
     *     allowInsecure
     * @throws RuntimeException when the port cannot be bound or the TLS files cannot be read
     */
    public static PortalServer start(PortalServerConfig config, PortalPolicy policy) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(policy, "policy");
        boolean loopback = config.listen().getAddress() != null && config.listen().getAddress().isLoopbackAddress();
        if (config.tls().isEmpty()) {
            if (!loopback && !config.allowInsecure()) {
                throw new IllegalArgumentException("portal: refusing plain ws:// on " + config.listen()
                        + ": tokens would cross the network unencrypted; set portal.tls (certificateFile,"
                        + " privateKeyFile) or, on a trusted network, portal.allowInsecure");
            }
            if (!loopback) {
                Logger.warn("portal: serving plain ws:// on {} (allowInsecure): tokens cross the network unencrypted",
                        config.listen());
            }
        }
        PortalStateConfig stateConfig = PortalStateConfig.DEFAULT.withHeartbeatIntervalNs(config.heartbeatInterval().toNanos());
        PortalState state = new PortalState(policy, stateConfig, new SecureRandom(),
                () -> System.currentTimeMillis() / 1000, System.nanoTime());
        StateLoop loop = new StateLoop(state);
        Refusals refusals = new Refusals();
        WsRouting.Builder routes = WsRouting.builder();
        for (Role role : Role.values()) {
            routes.endpoint("/" + role.topic() + "/websocket", () -> new PeerListener(role, loop, refusals));
        }
        WebServerConfig.Builder builder = WebServer.builder()
                .address(config.listen().getAddress())
                .port(config.listen().getPort())
                .addRouting(routes)
                .shutdownHook(false);
        config.tls().ifPresent(files -> builder.tls(tls -> tls
                .privateKey(keys -> keys.pem(pem -> pem.key(Resource.create(files.privateKeyFile()))))
                .privateKeyCertChain(keys -> keys.pem(pem -> pem.certChain(Resource.create(files.certificateFile()))))));
        WebServer server;
        try {
            server = builder.build().start();
        } catch (RuntimeException e) {
            loop.close();
            throw e;
        }
        Logger.info("portal: listening on {}://{}:{}", config.tls().isPresent() ? "wss" : "ws",
                config.listen().getHostString(), server.port());
        return new PortalServer(server, loop, refusals);
    }

    /** Replaces the policy; peers are told only what changed for them. */
    public void reload(PortalPolicy policy) {
        loop.reload(Objects.requireNonNull(policy, "policy"));
        Logger.info("portal: policy reloaded");
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** Upgrades refused since start. */
    public long refusedUpgrades() {
        return refusals.total();
    }

    /** Stops listening and closes every socket. */
    @Override
    public void close() {
        loop.close();
        server.stop();
    }
}
