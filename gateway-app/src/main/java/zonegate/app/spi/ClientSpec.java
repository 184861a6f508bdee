package zonegate.app.spi;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.Objects;
import java.util.Optional;
import zonegate.filter.ClientId;
import zonegate.filter.TunnelAddresses;
import zonegate.wireguard.PresharedKey;
import zonegate.wireguard.PublicKey;

/**
 * A client allowed to connect: its identity, WireGuard key and tunnel addresses. {@link #toString()}
 * never shows the preshared key.
 *
 * @param id the client's name (logged as {@code cid})
 * @param publicKey its WireGuard public key, unique among clients
 * @param ipv4 its IPv4 tunnel address, inside the gateway's IPv4 tunnel range, unique
 * @param ipv6 its IPv6 tunnel address, inside the gateway's IPv6 tunnel range, unique
 * @param presharedKey the optional preshared key of the pair
 * @param persistentKeepaliveSeconds the keepalive interval written into its wg-quick file, 0 for none
 */
public record ClientSpec(
        ClientId id,
        PublicKey publicKey,
        Inet4Address ipv4,
        Inet6Address ipv6,
        Optional<PresharedKey> presharedKey,
        int persistentKeepaliveSeconds) {
    public ClientSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(ipv4, "ipv4");
        Objects.requireNonNull(ipv6, "ipv6");
        Objects.requireNonNull(presharedKey, "presharedKey");
        if (persistentKeepaliveSeconds < 0 || persistentKeepaliveSeconds > 65535) {
            throw new IllegalArgumentException("persistent keepalive must be 0..65535 s");
        }
    }

    /** The addresses its packets must come from, for the filter engine. */
    public TunnelAddresses tunnelAddresses() {
        return TunnelAddresses.of(ipv4, ipv6);
    }
}
