package zonegate.app.spi;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import zonegate.filter.Cidr;
import zonegate.filter.Filter;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.PublicKey;

/**
 * The gateway's own settings. {@link #toString()} never shows the private key.
 *
 * @param privateKey the gateway's WireGuard private key; owned by the policy's receiver, which may
 *     {@link PrivateKey#destroy() destroy} it once it no longer needs it
 * @param listenPort the WireGuard UDP port, 1..65535 (default {@value #DEFAULT_LISTEN_PORT})
 * @param tunnelIpv4 the gateway's IPv4 tunnel address and range (default {@code 100.64.0.1/11})
 * @param tunnelIpv6 the gateway's IPv6 tunnel address and range (default {@code fd00:2021:1111::1/107})
 * @param mtuBytes the tunnel MTU (default {@value #DEFAULT_MTU_BYTES})
 * @param upstreamDns the resolvers the gateway asks on behalf of clients, at least one (copied)
 * @param nat64Prefix the RFC 6052 NAT64 prefix (default {@code 64:ff9b::/96})
 * @param publicEndpoint where clients reach the gateway, if configured (needed for client configs)
 * @param allowToGateway what clients may send to the gateway's own tunnel addresses besides ping and DNS
 *     (UDP and TCP 53), as resource filters (default none; copied); the rest is refused with ICMP
 *     administratively prohibited
 */
public record GatewaySettings(
        PrivateKey privateKey,
        int listenPort,
        InterfaceAddress tunnelIpv4,
        InterfaceAddress tunnelIpv6,
        int mtuBytes,
        List<InetAddress> upstreamDns,
        Cidr nat64Prefix,
        Optional<PublicEndpoint> publicEndpoint,
        List<Filter> allowToGateway) {
    /** WireGuard's customary port. */
    public static final int DEFAULT_LISTEN_PORT = 51820;
    /** The tunnel MTU of DESIGN.md section 5. */
    public static final int DEFAULT_MTU_BYTES = 1280;

    public GatewaySettings {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(tunnelIpv4, "tunnelIpv4");
        Objects.requireNonNull(tunnelIpv6, "tunnelIpv6");
        Objects.requireNonNull(nat64Prefix, "nat64Prefix");
        Objects.requireNonNull(publicEndpoint, "publicEndpoint");
        upstreamDns = List.copyOf(upstreamDns);
        allowToGateway = List.copyOf(allowToGateway);
        if (tunnelIpv4.version() != 4 || tunnelIpv6.version() != 6 || nat64Prefix.version() != 6) {
            throw new IllegalArgumentException("tunnelIpv4 must be IPv4; tunnelIpv6 and nat64Prefix IPv6");
        }
    }

    /**
     * Settings with the defaults a configuration file gets when it names only the key, the port and the
     * resolvers: tunnel addresses {@code 100.64.0.1/11} and {@code fd00:2021:1111::1/107}, MTU
     * {@value #DEFAULT_MTU_BYTES}, NAT64 prefix {@code 64:ff9b::/96}, no public endpoint, and nothing on the
     * gateway's own addresses but ping and DNS.
     *
     * <pre>{@code
     * GatewaySettings settings = GatewaySettings.of(PrivateKey.generate(new SecureRandom()), 51820,
     *         List.of(InetAddress.ofLiteral("192.0.2.53")));
     * }</pre>
     */
    public static GatewaySettings of(PrivateKey privateKey, int listenPort, List<InetAddress> upstreamDns) {
        return new GatewaySettings(privateKey, listenPort,
                new InterfaceAddress(InetAddress.ofLiteral("100.64.0.1"), 11),
                new InterfaceAddress(InetAddress.ofLiteral("fd00:2021:1111::1"), 107),
                DEFAULT_MTU_BYTES, upstreamDns, Cidr.parse("64:ff9b::/96"), Optional.empty(), List.of());
    }

    /** The gateway's public key, derived from {@link #privateKey()}. */
    public PublicKey publicKey() {
        return privateKey.publicKey();
    }
}
