package zonegate.tunnel;

import java.net.SocketAddress;
import java.util.List;
import java.util.Objects;
import zonegate.filter.Authorization;
import zonegate.filter.ClientId;
import zonegate.filter.TunnelAddresses;
import zonegate.node.ConnectionDetails;
import zonegate.wireguard.PublicKey;

/**
 * A read-only snapshot of one client, for status pages ({@code zonegate status}; allocates, never on the data
 * path; no per-flow scan: O(1) per client). Only public material: the client's public key, never its preshared key, session keys or ICE password.
 *
 * @param id the client
 * @param publicKey its WireGuard public key (public, as {@code wg show} prints it)
 * @param addresses its tunnel addresses
 * @param endpoint where its datagrams come from and go to, or null before the first
 * @param lastHandshakeNs monotonic time of its latest WireGuard handshake, or {@link zonegate.wireguard.Tunnel#NEVER}
 * @param rxBytes transport bytes received from it (authenticated)
 * @param txBytes transport bytes sent to it
 * @param authorizations what it may reach, with each expiry (expired ones until the timeout removes them)
 * @param natFlows live DNS-resource NAT flows
 * @param connection ICE mode: its connection (path, relay), or null (static mode, or none yet)
 */
public record ClientDetails(ClientId id, PublicKey publicKey, TunnelAddresses addresses, SocketAddress endpoint,
        long lastHandshakeNs, long rxBytes, long txBytes, List<Authorization> authorizations, int natFlows,
        ConnectionDetails connection) {
    public ClientDetails {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(publicKey, "publicKey");
        authorizations = List.copyOf(authorizations);
    }
}
