package zonegate.portal.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.tinylog.Logger;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;
import zonegate.portal.PortalPolicy;
import zonegate.portal.Role;

/**
 * A new policy, or the same one when an expiry passed: tells each peer only what changed for it. An
 * entity removed or whose token changed loses its socket (4001); a gateway moved to another site or a
 * client given other addresses is asked to reconnect (1012); a grant withdrawn is revoked on the gateway
 * ({@code reject_access}) and deleted at the client; a changed resource is updated on both sides; a new
 * grant is announced to the client.
 */
final class Reconciler {
    private final PortalCore core;

    Reconciler(PortalCore core) {
        this.core = core;
    }

    void reload(PortalPolicy newPolicy, long nowNs) {
        PortalPolicy oldPolicy = core.policy;
        GrantView oldView = core.view;
        core.policy = newPolicy;
        core.view = GrantView.of(newPolicy, core.unixSeconds.getAsLong());
        core.scheduleExpiry(nowNs);
        closeChangedEntities(oldPolicy, newPolicy, nowNs);
        reconcileGateways(oldPolicy, newPolicy);
        reconcileClients(oldView);
    }

    private void closeChangedEntities(PortalPolicy oldPolicy, PortalPolicy newPolicy, long nowNs) {
        for (Session session : List.copyOf(core.sessions.values())) {
            Optional<String> before = oldPolicy.tokenSha256Of(session.role, session.identity);
            Optional<String> after = newPolicy.tokenSha256Of(session.role, session.identity);
            String field = PortalCore.idField(session.role);
            if (after.isEmpty() || !after.equals(before)) {
                Logger.info("portal: {} {}={} removed or its token changed: closed", session.role.topic(), field,
                        session.identity);
                core.drop(session, PortalCore.CLOSE_CREDENTIALS, "credentials no longer valid", nowNs);
            } else if (session.role == Role.GATEWAY && !Objects.equals(site(oldPolicy, session.identity),
                    site(newPolicy, session.identity))) {
                Logger.info("portal: gateway gid={} moved to another site: asked to reconnect", session.identity);
                core.drop(session, PortalCore.CLOSE_RECONFIGURED, "configuration changed", nowNs);
            } else if (session.role == Role.CLIENT && !oldPolicy.client(session.identity)
                    .equals(newPolicy.client(session.identity))) {
                Logger.info("portal: client cid={} has new addresses: asked to reconnect", session.identity);
                core.authorizations.forgetClient(session.identity);
                core.drop(session, PortalCore.CLOSE_RECONFIGURED, "configuration changed", nowNs);
            }
        }
    }

    private static String site(PortalPolicy policy, String gateway) {
        return policy.gateway(gateway).map(PortalPolicy.Gateway::siteId).orElse(null);
    }

    private void reconcileGateways(PortalPolicy oldPolicy, PortalPolicy newPolicy) {
        for (Iterator<Map.Entry<String, Map<Authorizations.Held, Wire.Authorization>>> gateways =
                core.authorizations.held.entrySet().iterator(); gateways.hasNext(); ) {
            Map.Entry<String, Map<Authorizations.Held, Wire.Authorization>> entry = gateways.next();
            String gatewayId = entry.getKey();
            String siteId = site(newPolicy, gatewayId);
            Session gateway = core.joined(Role.GATEWAY, gatewayId);
            Set<Wire.Resource> updated = new LinkedHashSet<>();
            for (Iterator<Map.Entry<Authorizations.Held, Wire.Authorization>> it = entry.getValue().entrySet().iterator();
                    it.hasNext(); ) {
                Map.Entry<Authorizations.Held, Wire.Authorization> held = it.next();
                Authorizations.Held key = held.getKey();
                GrantView.Grant grant = core.view.grant(key.client(), key.resourceId());
                if (grant == null || siteId == null || !siteId.equals(grant.resource().siteId())) {
                    it.remove();
                    Logger.info("portal: access revoked cid={} rid={} gid={}", key.client(), key.resourceId(), gatewayId);
                    if (gateway != null) {
                        core.outbox.send(gateway, null, new PortalMessage.RejectAccess(key.client(), key.resourceId()));
                    }
                    continue;
                }
                if (!Objects.equals(held.getValue().expiresAtUnixSeconds(), grant.expiresAtUnixSeconds())) {
                    held.setValue(new Wire.Authorization(key.client(), key.resourceId(), grant.expiresAtUnixSeconds()));
                }
                Optional<Wire.Resource> before = oldPolicy.resource(key.resourceId());
                if (before.isEmpty() || !GrantView.forGateway(before.get()).equals(GrantView.forGateway(grant.resource()))) {
                    updated.add(GrantView.forGateway(grant.resource()));
                }
            }
            if (gateway != null) {
                for (Wire.Resource resource : updated) {
                    Logger.info("portal: resource updated rid={} gid={}", resource.id(), gatewayId);
                    core.outbox.send(gateway, null, new PortalMessage.ResourceUpdated(resource));
                }
            }
            if (entry.getValue().isEmpty()) {
                gateways.remove();
            }
        }
    }

    private void reconcileClients(GrantView oldView) {
        for (Session client : new ArrayList<>(core.sessions.values())) {
            if (client.role != Role.CLIENT || !client.joined) {
                continue;
            }
            Map<String, GrantView.Grant> before = oldView.of(client.identity);
            Map<String, GrantView.Grant> after = core.view.of(client.identity);
            for (String resourceId : before.keySet()) {
                if (!after.containsKey(resourceId)) {
                    Logger.info("portal: resource withdrawn cid={} rid={}", client.identity, resourceId);
                    core.outbox.send(client, null, new PortalMessage.ResourceDeleted(resourceId));
                }
            }
            for (GrantView.Grant grant : after.values()) {
                GrantView.Grant old = before.get(grant.resource().id());
                if (old == null || !old.resource().equals(grant.resource())) {
                    Logger.info("portal: resource granted or changed cid={} rid={}", client.identity, grant.resource().id());
                    core.outbox.send(client, null, new PortalMessage.ResourceCreatedOrUpdated(grant.resource()));
                }
            }
        }
    }
}
