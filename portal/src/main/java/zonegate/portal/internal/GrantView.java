package zonegate.portal.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import zonegate.controlplane.Wire;
import zonegate.portal.PortalPolicy;

/**
 * What every client may reach at one instant: the resources its unexpired policies grant, with the latest
 * expiry among them (null: none). Recomputed on reload and when an expiry passes, and compared with the
 * previous view to tell gateways and clients what changed.
 */
final class GrantView {
    record Grant(Wire.Resource resource, Long expiresAtUnixSeconds) {
    }

    private final Map<String, Map<String, Grant>> byClient;
    private final long nextExpiryUnixSeconds;

    private GrantView(Map<String, Map<String, Grant>> byClient, long nextExpiryUnixSeconds) {
        this.byClient = byClient;
        this.nextExpiryUnixSeconds = nextExpiryUnixSeconds;
    }

    static GrantView of(PortalPolicy policy, long unixSeconds) {
        Map<String, Wire.Resource> resources = new HashMap<>();
        policy.resources().forEach(r -> resources.put(r.id(), r));
        Map<String, Map<String, Grant>> byClient = new HashMap<>();
        long nextExpiry = Long.MAX_VALUE;
        for (PortalPolicy.Policy p : policy.policies()) {
            Wire.Resource resource = resources.get(p.resourceId());
            if (resource == null || policy.client(p.client()).isEmpty()) {
                continue;
            }
            Long expiry = p.expiresAtUnixSeconds();
            if (expiry != null && expiry <= unixSeconds) {
                continue;
            }
            if (expiry != null) {
                nextExpiry = Math.min(nextExpiry, expiry);
            }
            Map<String, Grant> grants = byClient.computeIfAbsent(p.client(), c -> new TreeMap<>());
            Grant before = grants.get(resource.id());
            Long merged = before == null ? expiry
                    : before.expiresAtUnixSeconds() == null || expiry == null ? null
                    : Math.max(before.expiresAtUnixSeconds(), expiry);
            grants.put(resource.id(), new Grant(resource, merged));
        }
        return new GrantView(byClient, nextExpiry);
    }

    /** The client's grants by resource id, in id order. */
    Map<String, Grant> of(String client) {
        return byClient.getOrDefault(client, Map.of());
    }

    Grant grant(String client, String resourceId) {
        return of(client).get(resourceId);
    }

    /** The earliest expiry still ahead, in Unix seconds, or {@link Long#MAX_VALUE}. */
    long nextExpiryUnixSeconds() {
        return nextExpiryUnixSeconds;
    }

    /** The resource as a gateway is told it (gateways are in one site: no site id). */
    static Wire.Resource forGateway(Wire.Resource r) {
        return new Wire.Resource(r.type(), r.id(), r.name(), r.address(), null, r.ipStack(), r.filters());
    }
}
