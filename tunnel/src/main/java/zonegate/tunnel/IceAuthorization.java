package zonegate.tunnel;

import java.util.Objects;
import zonegate.filter.Authorization;
import zonegate.ice.IceCredentials;

/**
 * The control plane's {@code createAuthorization} for an {@link IceGatewayState}: who the client is, the
 * ICE credentials of the connection on both sides, and what it may reach until when.
 *
 * @param client the client's id, WireGuard public key, preshared key and tunnel addresses
 * @param clientIce the client's ICE ufrag and password (the remote side for the gateway)
 * @param gatewayIce the gateway's ICE ufrag and password for this connection
 * @param authorization the resource (CIDR, DNS or Internet), its filters and its expiry
 */
public record IceAuthorization(ClientSpec client, IceCredentials clientIce, IceCredentials gatewayIce,
        Authorization authorization) {
    public IceAuthorization {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(clientIce, "clientIce");
        Objects.requireNonNull(gatewayIce, "gatewayIce");
        Objects.requireNonNull(authorization, "authorization");
    }
}
