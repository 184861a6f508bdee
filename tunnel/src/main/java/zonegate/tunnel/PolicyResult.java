package zonegate.tunnel;

import java.util.Map;
import zonegate.filter.ClientId;
import zonegate.filter.CommandResult;

/**
 * What {@link GatewayState#applyPolicy} changed.
 *
 * @param added clients added
 * @param updated clients whose preshared key, tunnel addresses or public key changed
 * @param removed clients removed because the policy no longer lists them
 * @param unchanged clients left exactly as they were (sessions, counters and NAT flows untouched)
 * @param authorizationsReplaced clients whose authorisation list changed
 * @param refusedClients clients the gateway refused, with why
 * @param refusedAuthorizations authorisation lists the filter engine refused, with why
 */
public record PolicyResult(int added, int updated, int removed, int unchanged, int authorizationsReplaced,
                           Map<ClientId, UpsertResult> refusedClients,
                           Map<ClientId, CommandResult> refusedAuthorizations) {
    public PolicyResult {
        refusedClients = Map.copyOf(refusedClients);
        refusedAuthorizations = Map.copyOf(refusedAuthorizations);
    }
}
