package zonegate.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.portal.Harness.KEY_A;
import static zonegate.portal.Harness.KEY_B;
import static zonegate.portal.Harness.framesTo;
import static zonegate.portal.Harness.messagesTo;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Tokens;
import zonegate.controlplane.Wire;

class PortalStateReloadTest {
    private final Harness h = new Harness();
    private SessionId gw;
    private SessionId alice;

    /** gw-a holds alice's access to web. */
    private void aliceOnWeb(Harness harness) {
        gw = harness.joined(Role.GATEWAY, "gw-a", KEY_A);
        alice = harness.joined(Role.CLIENT, "alice", KEY_B);
        harness.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of()));
        harness.send(gw, Role.GATEWAY, framesTo(harness.drain(), gw).getFirst().ref(), new PortalMessage.AuthorizationCreated());
        harness.drain();
    }

    private static PortalPolicy withPolicies(PortalPolicy base, List<PortalPolicy.Policy> policies) {
        return new PortalPolicy(base.sites(), base.gateways(), base.relays(), base.clients(), base.resources(), policies);
    }

    private static PortalPolicy withResources(PortalPolicy base, List<Wire.Resource> resources) {
        return new PortalPolicy(base.sites(), base.gateways(), base.relays(), base.clients(), resources, base.policies());
    }

    @Test
    void revokedPolicyRejectsAccessOnTheGatewayAndDeletesTheResourceAtTheClient() {
        aliceOnWeb(h);
        PortalPolicy base = h.state.policy();
        List<PortalPolicy.Policy> policies = new ArrayList<>(base.policies());
        policies.removeIf(p -> p.client().equals("alice") && p.resourceId().equals("web"));

        h.state.reload(withPolicies(base, policies), h.nowNs);

        List<PortalOutput> out = h.drain();
        assertThat(messagesTo(out, gw)).containsExactly(new PortalMessage.RejectAccess("alice", "web"));
        assertThat(messagesTo(out, alice)).containsExactly(new PortalMessage.ResourceDeleted("web"));
    }

    @Test
    void unchangedPolicySendsNothing() {
        aliceOnWeb(h);

        h.state.reload(Harness.policy(List.of()), h.nowNs);

        assertThat(h.drain()).isEmpty();
    }

    @Test
    void changedResourceIsUpdatedOnHoldingGatewaysAndItsClients() {
        aliceOnWeb(h);
        SessionId bob = h.joined(Role.CLIENT, "bob", Harness.KEY_C);
        Wire.Resource changed = new Wire.Resource("cidr", "web", "web name", "10.0.0.0/24", "s1", null,
                List.of(new Wire.Filter("tcp", 443, 443)));
        PortalPolicy base = h.state.policy();
        List<Wire.Resource> resources = new ArrayList<>(base.resources());
        resources.set(0, changed);

        h.state.reload(withResources(base, resources), h.nowNs);

        List<PortalOutput> out = h.drain();
        assertThat(messagesTo(out, gw)).containsExactly(new PortalMessage.ResourceUpdated(
                new Wire.Resource("cidr", "web", "web name", "10.0.0.0/24", null, null, changed.filters())));
        assertThat(messagesTo(out, alice)).containsExactly(new PortalMessage.ResourceCreatedOrUpdated(changed));
        assertThat(messagesTo(out, bob)).containsExactly(new PortalMessage.ResourceCreatedOrUpdated(changed));
    }

    @Test
    void newGrantIsAnnouncedToTheClient() {
        aliceOnWeb(h);

        h.state.reload(Harness.policy(List.of(new PortalPolicy.Policy("alice", "files", null))), h.nowNs);

        List<PortalOutput> out = h.drain();
        assertThat(messagesTo(out, alice)).containsExactly(
                new PortalMessage.ResourceCreatedOrUpdated(Harness.resource("files", "10.0.1.0/24", "s1")));
        assertThat(messagesTo(out, gw)).isEmpty();
    }

    @Test
    void resourceMovedToAnotherSiteIsRevokedOnTheOldSitesGateway() {
        aliceOnWeb(h);
        PortalPolicy base = h.state.policy();
        List<Wire.Resource> resources = new ArrayList<>(base.resources());
        resources.set(0, Harness.resource("web", "10.0.0.0/24", "s2"));

        h.state.reload(withResources(base, resources), h.nowNs);

        List<PortalOutput> out = h.drain();
        assertThat(messagesTo(out, gw)).containsExactly(new PortalMessage.RejectAccess("alice", "web"));
        assertThat(messagesTo(out, alice)).containsExactly(
                new PortalMessage.ResourceCreatedOrUpdated(Harness.resource("web", "10.0.0.0/24", "s2")));
    }

    @Test
    void entityWhoseTokenChangedIsClosed() {
        aliceOnWeb(h);
        PortalPolicy base = h.state.policy();
        List<PortalPolicy.Gateway> gateways = new ArrayList<>(base.gateways());
        gateways.set(0, new PortalPolicy.Gateway("gw-a", "s1", Tokens.sha256Hex("another")));

        h.state.reload(new PortalPolicy(base.sites(), gateways, base.relays(), base.clients(), base.resources(),
                base.policies()), h.nowNs);

        assertThat(h.drain()).contains(new PortalOutput.Close(gw, 4001, "credentials no longer valid"));
    }

    @Test
    void removedClientIsClosed() {
        aliceOnWeb(h);
        PortalPolicy base = h.state.policy();

        h.state.reload(new PortalPolicy(base.sites(), base.gateways(), base.relays(),
                base.clients().subList(1, 2), base.resources(), List.of()), h.nowNs);

        List<PortalOutput> out = h.drain();
        assertThat(out).contains(new PortalOutput.Close(alice, 4001, "credentials no longer valid"));
        assertThat(messagesTo(out, gw)).containsExactly(new PortalMessage.RejectAccess("alice", "web"));
    }

    @Test
    void addedGatewayCanConnectWithoutRestart() {
        PortalPolicy base = h.state.policy();
        List<PortalPolicy.Gateway> gateways = new ArrayList<>(base.gateways());
        gateways.add(new PortalPolicy.Gateway("gw-new", "s2", Tokens.sha256Hex("tok-new")));
        PortalPolicy added = new PortalPolicy(base.sites(), gateways, base.relays(), base.clients(), base.resources(),
                base.policies());

        h.state.reload(added, h.nowNs);

        assertThat(h.state.policy().identify(Role.GATEWAY, "tok-new")).contains("gw-new");
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);
        SessionId fresh = h.joined(Role.GATEWAY, "gw-new", KEY_A);
        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("db", List.of()));
        assertThat(messagesTo(h.drain(), fresh)).hasSize(1);
    }

    @Test
    void expiringPolicyIsRevokedWhenItsExpiryPasses() {
        long expiry = Harness.START_UNIX + 20;
        Harness expiring = new Harness(new PortalPolicy(Harness.policy(List.of()).sites(),
                Harness.policy(List.of()).gateways(), List.of(), Harness.policy(List.of()).clients(),
                Harness.policy(List.of()).resources(), List.of(new PortalPolicy.Policy("alice", "web", expiry))));
        gw = expiring.joined(Role.GATEWAY, "gw-a", KEY_A);
        alice = expiring.joined(Role.CLIENT, "alice", KEY_B);
        expiring.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of()));
        PortalMessage.CreateAuthorization create = (PortalMessage.CreateAuthorization) framesTo(expiring.drain(), gw)
                .getFirst().message();
        assertThat(create.expiresAtUnixSeconds()).isEqualTo(expiry);
        expiring.send(gw, Role.GATEWAY, "1", new PortalMessage.AuthorizationCreated());
        expiring.drain();
        expiring.send(gw, "phoenix", "h", new PortalMessage.Heartbeat());
        expiring.send(alice, "phoenix", "h", new PortalMessage.Heartbeat());
        expiring.advanceSeconds(19);
        expiring.send(gw, "phoenix", "h", new PortalMessage.Heartbeat());
        expiring.send(alice, "phoenix", "h", new PortalMessage.Heartbeat());
        expiring.drain();
        assertThat(expiring.state.pollTimeout()).isEqualTo(expiring.nowNs + Harness.SECOND_NS);

        expiring.advanceSeconds(1);

        List<PortalOutput> out = expiring.drain();
        assertThat(messagesTo(out, gw)).containsExactly(new PortalMessage.RejectAccess("alice", "web"));
        assertThat(messagesTo(out, alice)).containsExactly(new PortalMessage.ResourceDeleted("web"));
    }
}
