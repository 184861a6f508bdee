package zonegate.tunnel;

import java.util.Objects;
import zonegate.filter.ClientId;
import zonegate.filter.ResourceId;

/**
 * One entry of the control plane's full authorisation list ({@link IceGatewayState#init}): the client may
 * keep reaching the resource until the expiry; an authorisation the gateway holds and the list does not
 * name is revoked.
 *
 * @param expiresAtUnixSeconds the new expiry, or {@link zonegate.filter.Authorization#NEVER}
 */
public record AuthorizationRef(ClientId clientId, ResourceId resourceId, long expiresAtUnixSeconds) {
    public AuthorizationRef {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(resourceId, "resourceId");
    }
}
