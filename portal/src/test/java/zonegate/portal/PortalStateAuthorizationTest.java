package zonegate.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.portal.Harness.KEY_A;
import static zonegate.portal.Harness.KEY_B;
import static zonegate.portal.Harness.KEY_C;
import static zonegate.portal.Harness.framesTo;
import static zonegate.portal.Harness.messagesTo;
import static zonegate.portal.Harness.ofType;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalMessage;

class PortalStateAuthorizationTest {
    private static final String ICE_CHARS = "[A-Za-z0-9+/]";
    private final Harness h = new Harness();

    @Test
    void grantedRequestCreatesAnAuthorizationOnTheGatewayThenGrantsTheClient() {
        SessionId gw = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);

        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of()));
        Frame create = framesTo(h.drain(), gw).getFirst();
        PortalMessage.CreateAuthorization request = (PortalMessage.CreateAuthorization) create.message();
        h.send(gw, Role.GATEWAY, create.ref(), new PortalMessage.AuthorizationCreated());
        Frame granted = framesTo(h.drain(), alice).getFirst();

        assertThat(create.ref()).isEqualTo("1");
        assertThat(request.resource().id()).isEqualTo("web");
        assertThat(request.resource().siteId()).isNull();
        assertThat(request.client().id()).isEqualTo("alice");
        assertThat(request.client().publicKey()).isEqualTo(KEY_B);
        assertThat(request.client().ipv4()).isEqualTo("100.64.0.2");
        assertThat(Base64.getDecoder().decode(request.client().presharedKey())).hasSize(32);
        assertThat(request.clientIce().username()).matches(ICE_CHARS + "{4,}");
        assertThat(request.clientIce().password()).matches(ICE_CHARS + "{22,}");
        assertThat(granted.ref()).isEqualTo("2");
        PortalMessage.AccessGranted access = (PortalMessage.AccessGranted) granted.message();
        assertThat(access.gatewayId()).isEqualTo("gw-a");
        assertThat(access.gatewayPublicKey()).isEqualTo(KEY_A);
        assertThat(access.gatewayIpv4()).isEqualTo("100.95.255.254");
        assertThat(access.siteId()).isEqualTo("s1");
        assertThat(access.presharedKey()).isEqualTo(request.client().presharedKey());
        assertThat(access.clientIce()).isEqualTo(request.clientIce());
        assertThat(access.gatewayIce()).isEqualTo(request.gatewayIce());
    }

    @Test
    void resourceWithoutPolicyIsForbidden() {
        h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);

        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("files", List.of()));

        assertThat(messagesTo(h.drain(), alice)).containsExactly(
                new PortalMessage.AuthorizationCreationFailed("files", "forbidden"));
    }

    @Test
    void unknownResourceIsNotFound() {
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);

        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("nope", List.of()));

        assertThat(messagesTo(h.drain(), alice)).containsExactly(
                new PortalMessage.AuthorizationCreationFailed("nope", "not_found"));
    }

    @Test
    void noGatewayOfTheSiteOnlineIsOffline() {
        h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);

        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("db", List.of("gw-a")));

        assertThat(messagesTo(h.drain(), alice)).containsExactly(
                new PortalMessage.AuthorizationCreationFailed("db", "offline"));
    }

    @Test
    void preferredConnectedGatewayOfTheSiteIsChosen() {
        SessionId a = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId b = h.joined(Role.GATEWAY, "gw-b", KEY_C);
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);

        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of("gw-c", "gw-b")));

        List<PortalOutput> out = h.drain();
        assertThat(messagesTo(out, b)).hasSize(1);
        assertThat(messagesTo(out, a)).isEmpty();
    }

    @Test
    void gatewayWithFewestClientsIsChosenTiesByName() {
        SessionId a = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId b = h.joined(Role.GATEWAY, "gw-b", KEY_C);
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);
        SessionId bob = h.joined(Role.CLIENT, "bob", KEY_C);

        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of()));
        List<PortalOutput> first = h.drain();
        h.send(bob, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of()));
        List<PortalOutput> second = h.drain();

        assertThat(messagesTo(first, a)).hasSize(1);
        assertThat(messagesTo(second, b)).hasSize(1);
        assertThat(messagesTo(second, a)).isEmpty();
    }

    @Test
    void clientStaysOnTheGatewayItAlreadyUsesInTheSite() {
        Harness withFiles = new Harness(Harness.policy(List.of(new PortalPolicy.Policy("alice", "files", null))));
        SessionId a = withFiles.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId b = withFiles.joined(Role.GATEWAY, "gw-b", KEY_C);
        SessionId alice = withFiles.joined(Role.CLIENT, "alice", KEY_B);
        withFiles.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of("gw-b")));
        withFiles.drain();

        // gw-a has fewer clients (none), but alice already uses gw-b in this site.
        withFiles.send(alice, Role.CLIENT, "3", new PortalMessage.RequestAuthorization("files", List.of()));

        List<PortalOutput> out = withFiles.drain();
        assertThat(messagesTo(out, b)).hasSize(1);
        assertThat(messagesTo(out, a)).isEmpty();
    }

    @Test
    void materialIsReusedForFurtherResourcesOnTheSamePair() {
        PortalPolicy policy = Harness.policy(List.of(new PortalPolicy.Policy("alice", "files", null)));
        Harness withFiles = new Harness(policy);
        SessionId gw = withFiles.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId alice = withFiles.joined(Role.CLIENT, "alice", KEY_B);

        withFiles.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of()));
        withFiles.send(alice, Role.CLIENT, "3", new PortalMessage.RequestAuthorization("files", List.of()));
        List<PortalMessage.CreateAuthorization> creates = ofType(messagesTo(withFiles.drain(), gw),
                PortalMessage.CreateAuthorization.class);

        assertThat(creates).hasSize(2);
        assertThat(creates.get(1).client().presharedKey()).isEqualTo(creates.get(0).client().presharedKey());
        assertThat(creates.get(1).clientIce()).isEqualTo(creates.get(0).clientIce());
        assertThat(creates.get(1).gatewayIce()).isEqualTo(creates.get(0).gatewayIce());
    }

    @Test
    void clientReconnectingWithANewKeyGetsNewMaterial() {
        SessionId gw = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);
        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of()));
        String firstPsk = ofType(messagesTo(h.drain(), gw), PortalMessage.CreateAuthorization.class).getFirst()
                .client().presharedKey();

        SessionId again = h.joined(Role.CLIENT, "alice", KEY_C);
        h.send(again, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of()));

        PortalMessage.CreateAuthorization second = ofType(messagesTo(h.drain(), gw),
                PortalMessage.CreateAuthorization.class).getFirst();
        assertThat(second.client().presharedKey()).isNotEqualTo(firstPsk);
        assertThat(second.client().publicKey()).isEqualTo(KEY_C);
    }

    @Test
    void gatewayThatDoesNotAnswerInTimeMakesTheRequestOffline() {
        h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);
        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of()));
        h.drain();

        h.advanceSeconds(10);

        assertThat(messagesTo(h.drain(), alice)).containsExactly(
                new PortalMessage.AuthorizationCreationFailed("web", "offline"));
    }

    @Test
    void gatewayWithoutRelaysMakesTheRequestOffline() {
        SessionId gw = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);
        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of()));
        String ref = framesTo(h.drain(), gw).getFirst().ref();

        h.send(gw, Role.GATEWAY, ref, new PortalMessage.NoRelays());

        assertThat(messagesTo(h.drain(), alice)).containsExactly(
                new PortalMessage.AuthorizationCreationFailed("web", "offline"));
    }

    @Test
    void gatewayCandidatesGoToConnectedClientsOfThePairOnly() {
        SessionId gw = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);
        SessionId bob = h.joined(Role.CLIENT, "bob", KEY_C);
        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of()));
        h.drain();

        h.send(gw, Role.GATEWAY, null, new PortalMessage.BroadcastIceCandidates(List.of("alice", "bob", "ghost"),
                List.of("candidate:1 1 UDP 1 192.0.2.1 5000 typ host")));
        h.send(gw, Role.GATEWAY, null, new PortalMessage.BroadcastInvalidatedIceCandidates(List.of("alice"),
                List.of("candidate:1 1 UDP 1 192.0.2.1 5000 typ host")));

        List<PortalOutput> out = h.drain();
        assertThat(messagesTo(out, alice)).containsExactly(
                new PortalMessage.GatewayIceCandidates("gw-a", List.of("candidate:1 1 UDP 1 192.0.2.1 5000 typ host")),
                new PortalMessage.InvalidateGatewayIceCandidates("gw-a",
                        List.of("candidate:1 1 UDP 1 192.0.2.1 5000 typ host")));
        assertThat(messagesTo(out, bob)).isEmpty();
    }

    @Test
    void clientCandidatesGoToConnectedGatewaysOfThePairOnly() {
        SessionId a = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId b = h.joined(Role.GATEWAY, "gw-b", KEY_C);
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);
        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of("gw-a")));
        h.drain();

        h.send(alice, Role.CLIENT, null, new PortalMessage.NewGatewayIceCandidates(List.of("gw-a", "gw-b"),
                List.of("candidate:2 1 UDP 1 198.51.100.1 6000 typ srflx")));
        h.send(alice, Role.CLIENT, null, new PortalMessage.InvalidatedGatewayIceCandidates(List.of("gw-a"),
                List.of("candidate:2 1 UDP 1 198.51.100.1 6000 typ srflx")));

        List<PortalOutput> out = h.drain();
        assertThat(messagesTo(out, a)).containsExactly(
                new PortalMessage.IceCandidates("alice", List.of("candidate:2 1 UDP 1 198.51.100.1 6000 typ srflx")),
                new PortalMessage.InvalidateIceCandidates("alice", List.of("candidate:2 1 UDP 1 198.51.100.1 6000 typ srflx")));
        assertThat(messagesTo(out, b)).isEmpty();
    }

    @Test
    void gatewayReconnectingGetsItsAuthorizationsInInit() {
        SessionId gw = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);
        h.send(alice, Role.CLIENT, "2", new PortalMessage.RequestAuthorization("web", List.of()));
        h.send(gw, Role.GATEWAY, framesTo(h.drain(), gw).getFirst().ref(), new PortalMessage.AuthorizationCreated());
        h.drain();
        h.state.disconnect(gw, h.nowNs);

        SessionId again = h.connect(Role.GATEWAY, "gw-a", KEY_A);
        h.send(again, Role.GATEWAY, "1", new PortalMessage.Join());

        assertThat(PortalStateSessionTest.gatewayInit(h.drain(), again).authorizations())
                .containsExactly(new zonegate.controlplane.Wire.Authorization("alice", "web", null));
    }
}
