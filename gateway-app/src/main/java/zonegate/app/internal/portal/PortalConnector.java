package zonegate.app.internal.portal;

import zonegate.controlplane.PortalEvent;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Opens the connection of a gateway, client or relay to the portal. The connection reconnects by itself
 * (backoff) until closed or refused; everything it receives goes to {@code inbound} as {@link PortalEvent}, on
 * the transport's thread (the runtime puts it on its event loop).
 */
public interface PortalConnector {
    /**
     * @param portal {@code ws://host:port} or {@code wss://host:port}
     * @param role {@code gateway}, {@code client} or {@code relay}
     * @param token the secret of the token file
     * @param query the connect query ({@code name}, {@code public_key}, relay {@code address})
     * @param extraCaPem a PEM certificate to trust besides the system's
     */
    PortalConnection connect(URI portal, String role, String token, Map<String, List<String>> query,
            Optional<Path> extraCaPem, Consumer<PortalEvent> inbound) throws IOException;

    /** An open portal connection. */
    interface PortalConnection extends PortalLink, AutoCloseable {
        /** Reconnects with another query (a client's new public key after a reset). */
        void reconnect(Map<String, List<String>> newQuery);

        /** Closes the socket and stops reconnecting. */
        @Override
        void close();
    }
}
