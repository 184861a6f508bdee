package zonegate.app.internal.portal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.tinylog.Logger;
import zonegate.controlplane.PortalClient;
import zonegate.controlplane.PortalClientConfig;
import zonegate.controlplane.PortalEvent;
import zonegate.controlplane.PortalMessage;

/** The portal connectors the runtimes use. */
public final class PortalConnectors {
    private PortalConnectors() {
    }

    /** {@code connector}, with every event also handed to {@code watch} (after the runtime's own consumer). */
    public static PortalConnector watched(PortalConnector connector, Consumer<PortalEvent> watch) {
        return (portal, role, token, query, extraCaPem, inbound) ->
                connector.connect(portal, role, token, query, extraCaPem, inbound.andThen(watch));
    }

    /** Over the WebSocket client of {@code zonegate.controlplane} ({@link PortalClient}), with its default timings. */
    public static PortalConnector websocket() {
        return WebSocketConnection::open;
    }

    /** One {@link PortalClient} at a time: a reconnect with another query closes it and starts the next. */
    private static final class WebSocketConnection implements PortalConnector.PortalConnection {
        private final PortalClientConfig base;
        private final Consumer<PortalEvent> inbound;
        private volatile PortalClient client;

        private WebSocketConnection(PortalClientConfig base, Consumer<PortalEvent> inbound) {
            this.base = base;
            this.inbound = inbound;
        }

        static PortalConnector.PortalConnection open(URI portal, String role, String token,
                Map<String, List<String>> query, Optional<Path> extraCaPem, Consumer<PortalEvent> inbound)
                throws IOException {
            PortalClientConfig config = PortalClientConfig.of(portal, role, token, query);
            if (extraCaPem.isPresent()) {
                config = config.withExtraCaPem(extraCaPem.get());
            }
            WebSocketConnection connection = new WebSocketConnection(config, inbound);
            connection.client = connection.start(config);
            return connection;
        }

        @Override
        public void send(PortalMessage message) {
            client.send(message);
        }

        @Override
        public void reply(String ref, PortalMessage message) {
            if (!client.reply(ref, message)) {
                Logger.debug("the answer to the portal's request {} was lost with its connection", ref);
            }
        }

        @Override
        public synchronized void reconnect(Map<String, List<String>> newQuery) {
            client.close();
            try {
                client = start(new PortalClientConfig(base.portal(), base.role(), base.token(), newQuery,
                        base.extraCaPem(), base.heartbeatInterval(), base.backoffStart(), base.backoffMax(),
                        base.connectTimeout()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            client.close();
        }

        private PortalClient start(PortalClientConfig config) throws IOException {
            try {
                return PortalClient.start(config, inbound::accept);
            } catch (UncheckedIOException e) {
                throw e.getCause();
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }
}
