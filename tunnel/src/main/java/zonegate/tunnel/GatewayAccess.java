package zonegate.tunnel;

import java.util.Objects;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.ice.IceCredentials;
import zonegate.wireguard.PresharedKey;
import zonegate.wireguard.PublicKey;

/**
 * The control plane's answer to a client's connection intent ({@link ClientState#authorizationCreated}):
 * which gateway serves the resource and how to connect to it.
 *
 * @param resourceId the resource the intent was for
 * @param gatewayId the gateway's id (the node's peer id, logged as {@code gid})
 * @param gatewayKey its WireGuard public key
 * @param gatewayAddresses its tunnel addresses
 * @param presharedKey the connection's preshared key, or null (the client keeps its own copy)
 * @param clientIce our ICE ufrag and password for this connection
 * @param gatewayIce the gateway's
 */
public record GatewayAccess(ResourceId resourceId, String gatewayId, PublicKey gatewayKey,
        TunnelAddresses gatewayAddresses, PresharedKey presharedKey, IceCredentials clientIce,
        IceCredentials gatewayIce) {
    public GatewayAccess {
        Objects.requireNonNull(resourceId, "resourceId");
        Objects.requireNonNull(gatewayId, "gatewayId");
        Objects.requireNonNull(gatewayKey, "gatewayKey");
        Objects.requireNonNull(gatewayAddresses, "gatewayAddresses");
        Objects.requireNonNull(clientIce, "clientIce");
        Objects.requireNonNull(gatewayIce, "gatewayIce");
    }
}
