package zonegate.app.internal.relay;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.tinylog.Logger;
import zonegate.app.internal.portal.PortalConnector;
import zonegate.app.internal.portal.PortalConnector.PortalConnection;
import zonegate.controlplane.PortalEvent;
import zonegate.app.internal.portal.WireMapping;
import zonegate.controlplane.PortalMessage;

/**
 * A relay's registration with the portal: on every (re)connect it sends the secret the relay made at start
 * ({@code stamp_secret}), from which the portal mints the TURN REST credentials it gives gateways and clients; the
 * portal withdraws the relay when the socket goes. The relay's own state machine never sees the portal: it
 * checks those credentials statelessly with the same secret.
 */
public final class RelayRegistration implements Consumer<PortalEvent>, AutoCloseable {
    private final String stampedSecret;
    private final Runnable onRefused;
    private final CompletableFuture<PortalConnection> connection = new CompletableFuture<>();

    private RelayRegistration(String secretBase64, Runnable onRefused) {
        this.stampedSecret = secretBase64;
        this.onRefused = onRefused;
    }

    /**
     * Connects to the portal as the relay reachable at {@code advertised}.
     *
     * @param secretBase64 the relay's REST secret, as the portal receives it (base64 of its bytes)
     * @param onRefused run once, on the transport's thread, if the portal refuses the token
     */
    public static RelayRegistration start(PortalConnector connector, URI portal, String token, Optional<Path> ca,
            String name, InetSocketAddress advertised, String secretBase64, Runnable onRefused) throws IOException {
        RelayRegistration registration = new RelayRegistration(secretBase64, onRefused);
        Map<String, List<String>> query = Map.of("name", List.of(name),
                "address", List.of(WireMapping.socketAddressText(advertised)));
        registration.connection.complete(connector.connect(portal, "relay", token, query, ca, registration));
        Logger.info("relay registering with the portal {} as {}", portal, WireMapping.socketAddressText(advertised));
        return registration;
    }

    @Override
    public void accept(PortalEvent input) {
        switch (input) {
            case PortalEvent.Connected() ->
                    connection.thenAccept(c -> c.send(new PortalMessage.StampSecret(stampedSecret)));
            case PortalEvent.Disconnected(String reason) ->
                    Logger.info("relay: portal connection lost ({}); reconnecting", reason);
            case PortalEvent.Refused(String reason) -> {
                Logger.error("the portal refused the relay's token: {}", reason);
                onRefused.run();
            }
            case PortalEvent.Message(var frame) -> {
                switch (frame.message()) {
                    case PortalMessage.RelayInit init -> Logger.info("relay registered with the portal");
                    case PortalMessage.Reply(boolean ok, String reason) when !ok ->
                            Logger.warn("the portal refused request {}: {}", frame.ref(), reason);
                    default -> Logger.debug("ignored {} from the portal", frame.message().event());
                }
            }
        }
    }

    @Override
    public void close() {
        connection.thenAccept(PortalConnection::close);
    }
}
