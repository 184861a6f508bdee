package zonegate.app.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import zonegate.filter.Authorization;
import zonegate.filter.ClientId;
import zonegate.filter.ResourceId;
import zonegate.wireguard.PresharedKey;

/**
 * The complete desired state of a gateway, as a control plane delivers it: its own settings, the
 * clients that may connect, the resources, and who may reach what until when. Immutable; lists keep
 * the order of the source.
 *
 * <pre>{@code
 * void onPolicy(GatewayPolicy policy) {
 *     for (ClientSpec client : policy.clients()) {
 *         List<Authorization> access = policy.authorizationsFor(client.id());
 *         ...
 *     }
 * }
 * }</pre>
 *
 * @param gateway the gateway's own settings
 * @param clients the clients, ids unique (copied)
 * @param resources the resources, ids unique (copied)
 * @param policies the grants, each naming a listed client and resource, at most one per pair (copied)
 * @throws IllegalArgumentException if ids repeat or a grant names an unlisted client or resource
 */
public record GatewayPolicy(
        GatewaySettings gateway, List<ClientSpec> clients, List<ResourceSpec> resources, List<AccessPolicy> policies) {
    public GatewayPolicy {
        Objects.requireNonNull(gateway, "gateway");
        clients = List.copyOf(clients);
        resources = List.copyOf(resources);
        policies = List.copyOf(policies);
        Map<ClientId, ClientSpec> clientsById = index(clients, ClientSpec::id);
        Map<ResourceId, ResourceSpec> resourcesById = index(resources, ResourceSpec::id);
        List<String> pairs = new ArrayList<>();
        for (AccessPolicy policy : policies) {
            if (!clientsById.containsKey(policy.client()) || !resourcesById.containsKey(policy.resource())) {
                throw new IllegalArgumentException("policy names an unknown client or resource: " + policy);
            }
            String pair = policy.client() + "\u0000" + policy.resource();
            if (pairs.contains(pair)) {
                throw new IllegalArgumentException("two policies for one client and resource: " + policy);
            }
            pairs.add(pair);
        }
    }

    /** The client called {@code id}, if listed. */
    public Optional<ClientSpec> client(ClientId id) {
        return clients.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** The resource with {@code id}, if listed. */
    public Optional<ResourceSpec> resource(ResourceId id) {
        return resources.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /**
     * What {@code client} may reach: one authorisation per granted resource (with the resource's
     * filters and the grant's expiry), in policy order. Expired grants are included (they never
     * match); an unknown client gets an empty list.
     */
    public List<Authorization> authorizationsFor(ClientId client) {
        return policies.stream()
                .filter(policy -> policy.client().equals(client))
                .map(this::authorization)
                .toList();
    }

    /** {@link #authorizationsFor} for every client, in client order; clients without grants map to empty lists. */
    public Map<ClientId, List<Authorization>> authorizations() {
        Map<ClientId, List<Authorization>> byClient = new LinkedHashMap<>();
        for (ClientSpec client : clients) {
            byClient.put(client.id(), authorizationsFor(client.id()));
        }
        return Collections.unmodifiableMap(byClient);
    }

    /**
     * Overwrites every key this policy holds (the gateway's private key, the clients' preshared keys),
     * for its receiver once it has handed them on; the policy must not be used for keys afterwards.
     */
    public void destroyKeys() {
        gateway.privateKey().destroy();
        clients.forEach(c -> c.presharedKey().ifPresent(PresharedKey::destroy));
    }

    private Authorization authorization(AccessPolicy policy) {
        ResourceSpec spec = resource(policy.resource()).orElseThrow();
        return new Authorization(spec.resource(), spec.filters(), policy.expiresAtUnixSeconds());
    }

    private static <K, V> Map<K, V> index(List<V> values, Function<V, K> key) {
        return values.stream().collect(Collectors.toMap(key, v -> v, (a, b) -> {
            throw new IllegalArgumentException("duplicate id " + key.apply(a));
        }, LinkedHashMap::new));
    }
}
