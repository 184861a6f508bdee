package zonegate.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.portal.Harness.KEY_A;
import static zonegate.portal.Harness.KEY_B;
import static zonegate.portal.Harness.framesTo;
import static zonegate.portal.Harness.messagesTo;

import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;

class PortalStateSessionTest {
    private final Harness h = new Harness();

    @Test
    void joinIsAnsweredOkWithItsRefThenGatewayInit() {
        SessionId gw = h.connect(Role.GATEWAY, "gw-a", KEY_A);
        h.send(gw, Role.GATEWAY, "1", new PortalMessage.Join());

        List<Frame> frames = framesTo(h.drain(), gw);
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).isEqualTo(new Frame("gateway", "1", new PortalMessage.Reply(true, null)));
        PortalMessage.GatewayInit init = (PortalMessage.GatewayInit) frames.get(1).message();
        assertThat(init.iface().ipv4()).isEqualTo("100.95.255.254");
        assertThat(init.iface().ipv6()).isEqualTo("fd00:2021:1111:0:0:0:1f:fffe");
        assertThat(init.relays()).isEmpty();
        assertThat(init.authorizations()).isEmpty();
    }

    @Test
    void gatewayAddressesAreStablePerNameAndDistinct() {
        SessionId a = h.connect(Role.GATEWAY, "gw-a", KEY_A);
        h.send(a, Role.GATEWAY, "1", new PortalMessage.Join());
        SessionId b = h.connect(Role.GATEWAY, "gw-b", KEY_B);
        h.send(b, Role.GATEWAY, "1", new PortalMessage.Join());
        String first = gatewayInit(h.drain(), a).iface().ipv4();
        h.state.disconnect(a, h.nowNs);
        SessionId again = h.connect(Role.GATEWAY, "gw-a", KEY_A);
        h.send(again, Role.GATEWAY, "1", new PortalMessage.Join());

        assertThat(gatewayInit(h.drain(), again).iface().ipv4()).isEqualTo(first);
        assertThat(first).isNotEqualTo("100.95.255.253").isEqualTo("100.95.255.254");
    }

    @Test
    void gatewayAddressSkipsAClientsAddress() {
        PortalPolicy base = Harness.policy(List.of());
        PortalPolicy policy = new PortalPolicy(base.sites(), base.gateways(), base.relays(),
                List.of(new PortalPolicy.Client("alice", "00".repeat(32), "100.95.255.254", "fd00:2021:1111::1f:fffe")),
                base.resources(), List.of());
        Harness custom = new Harness(policy);
        SessionId gw = custom.connect(Role.GATEWAY, "gw-a", KEY_A);
        custom.send(gw, Role.GATEWAY, "1", new PortalMessage.Join());

        assertThat(gatewayInit(custom.drain(), gw).iface().ipv4()).isEqualTo("100.95.255.253");
    }

    @Test
    void clientInitCarriesItsAddressesAndGrantedResourcesWithSite() {
        SessionId alice = h.connect(Role.CLIENT, "alice", KEY_A);
        h.send(alice, Role.CLIENT, "1", new PortalMessage.Join());

        List<PortalMessage> messages = messagesTo(h.drain(), alice);
        PortalMessage.ClientInit init = (PortalMessage.ClientInit) messages.get(1);
        assertThat(init.iface()).isEqualTo(new Wire.Interface("100.64.0.2", "fd00:2021:1111::2", List.of()));
        assertThat(init.resources()).extracting(Wire.Resource::id).containsExactly("db", "web");
        assertThat(init.resources()).extracting(Wire.Resource::siteId).containsExactly("s2", "s1");
    }

    @Test
    void relayJoinGetsRelayInit() {
        SessionId relay = h.connect(Role.RELAY, "r1", null);
        h.send(relay, Role.RELAY, "1", new PortalMessage.Join());

        assertThat(messagesTo(h.drain(), relay)).containsExactly(new PortalMessage.Reply(true, null),
                new PortalMessage.RelayInit());
    }

    @Test
    void heartbeatIsAnsweredOnPhoenixWithItsRef() {
        SessionId gw = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        h.send(gw, "phoenix", "7", new PortalMessage.Heartbeat());

        assertThat(framesTo(h.drain(), gw)).containsExactly(new Frame("phoenix", "7", new PortalMessage.Reply(true, null)));
    }

    @Test
    void silentPeerIsClosedAfterMoreThanThreeIntervals() {
        SessionId gw = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        h.advanceSeconds(30);
        assertThat(h.drain()).isEmpty();

        h.advanceSeconds(1);

        assertThat(h.drain()).containsExactly(new PortalOutput.Close(gw, 4003, "heartbeat timeout"));
        assertThat(h.state.counters().closedHeartbeatTimeout()).isEqualTo(1);
    }

    @Test
    void heartbeatsKeepAPeer() {
        SessionId gw = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        for (int i = 0; i < 10; i++) {
            h.advanceSeconds(10);
            h.send(gw, "phoenix", "h" + i, new PortalMessage.Heartbeat());
        }

        assertThat(h.drain()).noneMatch(o -> o instanceof PortalOutput.Close);
    }

    @Test
    void secondConnectionOfAnIdentityReplacesTheFirst() {
        SessionId first = h.joined(Role.CLIENT, "alice", KEY_A);
        SessionId second = h.connect(Role.CLIENT, "alice", KEY_A);

        assertThat(h.drain()).containsExactly(new PortalOutput.Close(first, 4002, "replaced"));
        h.send(second, Role.CLIENT, "1", new PortalMessage.Join());
        assertThat(messagesTo(h.drain(), second)).hasSize(2);
    }

    @Test
    void sessionThatDoesNotKeepUpIsClosedAsTooSlow() {
        Harness small = new Harness(Harness.policy(List.of()), new PortalStateConfig(10 * Harness.SECOND_NS,
                10 * Harness.SECOND_NS, 100, 3, 3600));
        SessionId gw = small.connect(Role.GATEWAY, "gw-a", KEY_A);
        for (int i = 0; i < 4; i++) {
            small.send(gw, "phoenix", "h" + i, new PortalMessage.Heartbeat());
        }

        List<PortalOutput> out = new java.util.ArrayList<>();
        for (PortalOutput o; (o = small.state.pollOutput()) != null; ) {
            out.add(o);
        }
        assertThat(out).hasSize(4).last().isEqualTo(new PortalOutput.Close(gw, 4004, "too slow"));
        assertThat(small.state.counters().closedTooSlow()).isEqualTo(1);
    }

    @Test
    void sessionsBeyondTheBoundAreClosedAtConnect() {
        Harness small = new Harness(Harness.policy(List.of()), new PortalStateConfig(10 * Harness.SECOND_NS,
                10 * Harness.SECOND_NS, 1, 16, 3600));
        small.connect(Role.GATEWAY, "gw-a", KEY_A);
        SessionId refused = small.connect(Role.GATEWAY, "gw-b", KEY_B);

        assertThat(small.drain()).containsExactly(new PortalOutput.Close(refused, 4005, "too many sessions"));
        assertThat(small.state.counters().refusedTooManySessions()).isEqualTo(1);
    }

    @Test
    void framesBeforeJoinAreIgnored() {
        SessionId alice = h.connect(Role.CLIENT, "alice", KEY_A);
        h.send(alice, Role.CLIENT, "1", new PortalMessage.RequestAuthorization("web", List.of()));

        assertThat(h.drain()).isEmpty();
        assertThat(h.state.counters().ignoredFrames()).isEqualTo(1);
    }

    static PortalMessage.GatewayInit gatewayInit(List<PortalOutput> outputs, SessionId gw) {
        return Harness.ofType(messagesTo(outputs, gw), PortalMessage.GatewayInit.class).getFirst();
    }
}
