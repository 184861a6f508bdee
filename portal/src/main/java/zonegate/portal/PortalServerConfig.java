package zonegate.portal;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the portal listens.
 *
 * @param listen the address and port (port 0: any free port, see {@link PortalServer#port()})
 * @param tls the certificate chain and private key (PEM files), or empty for plain {@code ws://}, which
 *     is only allowed on a loopback address or with {@code allowInsecure}
 * @param allowInsecure allow plain {@code ws://} on a non-loopback address (tokens then cross the network
 *     in clear text)
 * @param heartbeatInterval the peers' heartbeat interval; a peer silent for more than three is dropped
 */
public record PortalServerConfig(InetSocketAddress listen, Optional<TlsFiles> tls, boolean allowInsecure,
        Duration heartbeatInterval) {
    public PortalServerConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive");
        }
    }

    /** The default heartbeat interval, 10 s. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(10);

    /**
     * PEM files for TLS.
     *
     * @param certificateFile the certificate chain, leaf first
     * @param privateKeyFile the private key (PKCS#8 or PKCS#1, unencrypted)
     */
    public record TlsFiles(Path certificateFile, Path privateKeyFile) {
        public TlsFiles {
            Objects.requireNonNull(certificateFile, "certificateFile");
            Objects.requireNonNull(privateKeyFile, "privateKeyFile");
        }
    }
}
