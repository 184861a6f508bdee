package zonegate.portal.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tinylog.Logger;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;
import zonegate.portal.PortalPolicy;
import zonegate.portal.Role;

/**
 * Clients' requests for access: the gateway chosen, the material minted per (client, gateway) pair, the
 * {@code create_authorization} waiting for its gateway's answer, the authorisations each gateway holds,
 * and the candidates forwarded between the two sides of a pair. Bounded by the policy (pairs and held
 * authorisations are per configured client, gateway and resource) and by the sessions (pending requests
 * time out).
 */
final class Authorizations {
    record Pair(String client, String gateway) {
    }

    /** One authorisation a gateway holds. */
    record Held(String client, String resourceId) {
    }

    private record Pending(String client, String clientRef, Wire.Resource resource, Material material,
            Long expiresAtUnixSeconds, long deadlineNs) {
    }

    private final PortalCore core;
    private final Map<Pair, Material> pairs = new HashMap<>();
    /** By gateway name: what the portal created on each gateway. */
    final Map<String, Map<Held, Wire.Authorization>> held = new TreeMap<>();
    private final Map<Session, Map<String, Pending>> pending = new LinkedHashMap<>();

    Authorizations(PortalCore core) {
        this.core = core;
    }

    // ---- session changes

    void clientConnected(Session client) {
        pairs.entrySet().removeIf(e -> e.getKey().client().equals(client.identity)
                && !e.getValue().clientPublicKey().equals(client.publicKey));
    }

    void clientGone(Session client) {
        // The gateways' own timers end idle connections; the pair's material stays for a reconnect.
    }

    void gatewayGone(Session gateway, long nowNs) {
        pairs.keySet().removeIf(p -> p.gateway().equals(gateway.identity));
        Map<String, Pending> waiting = pending.remove(gateway);
        if (waiting != null) {
            waiting.values().forEach(p -> fail(p.client(), p.clientRef(), p.resource().id(), "offline"));
        }
    }

    // ---- gateway messages

    void onGateway(Session gateway, String ref, PortalMessage.FromGateway message, long nowNs) {
        switch (message) {
            case PortalMessage.AuthorizationCreated created -> onCreated(gateway, ref);
            case PortalMessage.NoRelays noRelays -> onNoRelays(gateway, ref);
            case PortalMessage.BroadcastIceCandidates c ->
                    toClients(gateway, c.clientIds(), new PortalMessage.GatewayIceCandidates(gateway.identity, c.candidates()));
            case PortalMessage.BroadcastInvalidatedIceCandidates c -> toClients(gateway, c.clientIds(),
                    new PortalMessage.InvalidateGatewayIceCandidates(gateway.identity, c.candidates()));
            case PortalMessage.Join join -> core.ignore(gateway, "second join", join);
            case PortalMessage.Heartbeat heartbeat -> core.ignore(gateway, "heartbeat", heartbeat);
        }
    }

    private void onCreated(Session gateway, String ref) {
        Map<String, Pending> waiting = pending.get(gateway);
        Pending request = waiting == null || ref == null ? null : waiting.remove(ref);
        if (request == null) {
            Logger.debug("portal: authorization_created for no pending request gid={} ref={}", gateway.identity, ref);
            return;
        }
        if (core.view.grant(request.client(), request.resource().id()) == null) {
            // Revoked while the gateway was busy creating it.
            core.outbox.send(gateway, null, new PortalMessage.RejectAccess(request.client(), request.resource().id()));
            fail(request.client(), request.clientRef(), request.resource().id(), "forbidden");
            return;
        }
        Held key = new Held(request.client(), request.resource().id());
        held.computeIfAbsent(gateway.identity, g -> new TreeMap<>(HELD_ORDER)).put(key,
                new Wire.Authorization(request.client(), request.resource().id(), request.expiresAtUnixSeconds()));
        Session client = core.joined(Role.CLIENT, request.client());
        if (client == null) {
            return;
        }
        TunnelAddresses.Pair iface = core.gatewayAddresses(gateway.identity);
        Material m = request.material();
        Logger.info("portal: access granted cid={} rid={} gid={}", request.client(), request.resource().id(),
                gateway.identity);
        core.outbox.send(client, request.clientRef(), new PortalMessage.AccessGranted(request.resource().id(),
                gateway.identity, m.gatewayPublicKey(), iface.ipv4(), iface.ipv6(), request.resource().siteId(),
                m.presharedKey(), m.clientIce(), m.gatewayIce()));
    }

    private void onNoRelays(Session gateway, String ref) {
        Map<String, Pending> waiting = pending.get(gateway);
        if (waiting == null) {
            return;
        }
        // A no_relays with a ref answers that request; without one it is about all of them.
        List<Pending> failed = new ArrayList<>();
        if (ref != null && waiting.containsKey(ref)) {
            failed.add(waiting.remove(ref));
        } else if (ref == null) {
            failed.addAll(waiting.values());
            waiting.clear();
        }
        for (Pending p : failed) {
            Logger.info("portal: gateway has no relays gid={} cid={} rid={}", gateway.identity, p.client(), p.resource().id());
            fail(p.client(), p.clientRef(), p.resource().id(), "offline");
        }
    }

    private void toClients(Session gateway, List<String> clientIds, PortalMessage.ToClient message) {
        for (String clientId : clientIds) {
            Session client = core.joined(Role.CLIENT, clientId);
            if (client == null || !pairs.containsKey(new Pair(clientId, gateway.identity))) {
                Logger.debug("portal: {} for an unrelated or absent client gid={} cid={}", message.event(),
                        gateway.identity, clientId);
                continue;
            }
            core.outbox.send(client, null, message);
        }
    }

    // ---- client messages

    void onClient(Session client, String ref, PortalMessage.FromClient message, long nowNs) {
        switch (message) {
            case PortalMessage.RequestAuthorization request -> onRequest(client, ref, request, nowNs);
            case PortalMessage.NewGatewayIceCandidates c ->
                    toGateways(client, c.gatewayIds(), new PortalMessage.IceCandidates(client.identity, c.candidates()));
            case PortalMessage.InvalidatedGatewayIceCandidates c -> toGateways(client, c.gatewayIds(),
                    new PortalMessage.InvalidateIceCandidates(client.identity, c.candidates()));
            case PortalMessage.NoRelays noRelays -> Logger.debug("portal: client has no relays cid={}", client.identity);
            case PortalMessage.Join join -> core.ignore(client, "second join", join);
            case PortalMessage.Heartbeat heartbeat -> core.ignore(client, "heartbeat", heartbeat);
        }
    }

    private void onRequest(Session client, String ref, PortalMessage.RequestAuthorization request, long nowNs) {
        String resourceId = request.resourceId();
        if (core.policy.resource(resourceId).isEmpty()) {
            fail(client.identity, ref, resourceId, "not_found");
            return;
        }
        GrantView.Grant grant = core.view.grant(client.identity, resourceId);
        if (grant == null) {
            Logger.info("portal: access refused (no policy) cid={} rid={}", client.identity, resourceId);
            fail(client.identity, ref, resourceId, "forbidden");
            return;
        }
        Session gateway = pickGateway(client, grant.resource().siteId(), request.connectedGatewayIds());
        if (gateway == null) {
            Logger.info("portal: no gateway online cid={} rid={} site={}", client.identity, resourceId,
                    grant.resource().siteId());
            fail(client.identity, ref, resourceId, "offline");
            return;
        }
        Pair pair = new Pair(client.identity, gateway.identity);
        Material material = pairs.computeIfAbsent(pair, p -> new Material(client.publicKey, gateway.publicKey,
                core.minting.presharedKey(), core.minting.ice(), core.minting.ice()));
        PortalPolicy.Client configured = core.policy.client(client.identity).orElseThrow();
        String gatewayRef = gateway.nextRef();
        pending.computeIfAbsent(gateway, g -> new LinkedHashMap<>()).put(gatewayRef, new Pending(client.identity, ref,
                grant.resource(), material, grant.expiresAtUnixSeconds(), nowNs + core.config.authorizationTimeoutNs()));
        Logger.debug("portal: creating authorization cid={} rid={} gid={}", client.identity, resourceId, gateway.identity);
        core.outbox.send(gateway, gatewayRef, new PortalMessage.CreateAuthorization(GrantView.forGateway(grant.resource()),
                new Wire.Client(client.identity, client.publicKey, material.presharedKey(), configured.ipv4(),
                        configured.ipv6()), material.clientIce(), material.gatewayIce(), grant.expiresAtUnixSeconds()));
    }

    /** The preferred connected gateway, else the one this client uses in the site, else the least loaded. */
    private Session pickGateway(Session client, String siteId, List<String> preferred) {
        List<Session> online = new ArrayList<>();
        for (Session s : core.sessions.values()) {
            if (s.role == Role.GATEWAY && s.joined && core.policy.gateway(s.identity)
                    .map(g -> g.siteId().equals(siteId)).orElse(false)) {
                online.add(s);
            }
        }
        for (String id : preferred) {
            for (Session s : online) {
                if (s.identity.equals(id)) {
                    return s;
                }
            }
        }
        for (Session s : online) {
            if (pairs.containsKey(new Pair(client.identity, s.identity))) {
                return s;
            }
        }
        return online.stream().min(Comparator.comparingLong((Session s) -> clientsOn(s.identity))
                .thenComparing(s -> s.identity)).orElse(null);
    }

    private long clientsOn(String gateway) {
        return pairs.keySet().stream().filter(p -> p.gateway().equals(gateway)).count();
    }

    private void toGateways(Session client, List<String> gatewayIds, PortalMessage.ToGateway message) {
        for (String gatewayId : gatewayIds) {
            Session gateway = core.joined(Role.GATEWAY, gatewayId);
            if (gateway == null || !pairs.containsKey(new Pair(client.identity, gatewayId))) {
                Logger.debug("portal: {} for an unrelated or absent gateway cid={} gid={}", message.event(),
                        client.identity, gatewayId);
                continue;
            }
            core.outbox.send(gateway, null, message);
        }
    }

    private void fail(String clientId, String clientRef, String resourceId, String reason) {
        Session client = core.joined(Role.CLIENT, clientId);
        if (client != null) {
            core.outbox.send(client, clientRef, new PortalMessage.AuthorizationCreationFailed(resourceId, reason));
        }
    }

    // ---- timers and views

    void expirePending(long nowNs) {
        for (Map<String, Pending> waiting : pending.values()) {
            for (Iterator<Pending> it = waiting.values().iterator(); it.hasNext(); ) {
                Pending p = it.next();
                if (nowNs >= p.deadlineNs()) {
                    it.remove();
                    Logger.info("portal: gateway did not answer in time cid={} rid={}", p.client(), p.resource().id());
                    fail(p.client(), p.clientRef(), p.resource().id(), "offline");
                }
            }
        }
    }

    long earliestDeadlineNs() {
        long earliest = Long.MAX_VALUE;
        for (Map<String, Pending> waiting : pending.values()) {
            for (Pending p : waiting.values()) {
                earliest = Math.min(earliest, p.deadlineNs());
            }
        }
        return earliest;
    }

    /** What the gateway holds and the policy still allows (its init's full list). */
    List<Wire.Authorization> heldBy(String gateway) {
        return List.copyOf(held.getOrDefault(gateway, Map.of()).values());
    }

    /** Forgets the pairs of a client whose configuration changed. */
    void forgetClient(String client) {
        pairs.keySet().removeIf(p -> p.client().equals(client));
    }

    static final Comparator<Held> HELD_ORDER = Comparator.comparing(Held::client).thenComparing(Held::resourceId);
}
