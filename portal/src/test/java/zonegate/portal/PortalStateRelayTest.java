package zonegate.portal;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.portal.Harness.KEY_A;
import static zonegate.portal.Harness.KEY_B;
import static zonegate.portal.Harness.messagesTo;
import static zonegate.portal.Harness.ofType;

import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;
import zonegate.turn.server.RestCredentials;

class PortalStateRelayTest {
    private final Harness h = new Harness();

    @Test
    void stampedRelayIsAnnouncedToEveryReceiverWithCredentialsMintedForIt() throws Exception {
        SessionId gw = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId alice = h.joined(Role.CLIENT, "alice", KEY_B);
        SessionId relay = h.joined(Role.RELAY, "r1", null);

        byte[] secret = h.stampRelay(relay);
        List<PortalOutput> out = h.drain();

        Wire.Relay toGateway = presence(out, gw).connected().getFirst();
        Wire.Relay toClient = presence(out, alice).connected().getFirst();
        assertThat(toGateway.id()).isEqualTo("r1");
        assertThat(toGateway.address()).isEqualTo("203.0.113.9:3478");
        assertThat(toGateway.username()).isEqualTo((Harness.START_UNIX + 3600) + ":gw-a");
        assertThat(toClient.username()).isEqualTo((Harness.START_UNIX + 3600) + ":alice");
        assertThat(toGateway.expiresAtUnixSeconds()).isEqualTo(Harness.START_UNIX + 3600);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret, "HmacSHA1"));
        assertThat(RestCredentials.password(mac, toGateway.username())).isEqualTo(toGateway.password());
        assertThat(RestCredentials.password(mac, toClient.username())).isEqualTo(toClient.password());
        assertThat(messagesTo(out, relay)).isEmpty();
    }

    @Test
    void receiverJoiningLaterGetsTheRelayInItsInit() {
        SessionId relay = h.joined(Role.RELAY, "r1", null);
        h.stampRelay(relay);
        h.drain();
        h.advanceSeconds(5);

        SessionId gw = h.connect(Role.GATEWAY, "gw-a", KEY_A);
        h.send(gw, Role.GATEWAY, "1", new PortalMessage.Join());

        PortalMessage.GatewayInit init = PortalStateSessionTest.gatewayInit(h.drain(), gw);
        assertThat(init.relays()).extracting(Wire.Relay::username).containsExactly((Harness.START_UNIX + 5 + 3600) + ":gw-a");
    }

    @Test
    void credentialsAreRenewedAtHalfTheirLifetime() {
        Harness slow = new Harness(Harness.policy(List.of()),
                PortalStateConfig.DEFAULT.withHeartbeatIntervalNs(3600 * Harness.SECOND_NS));
        SessionId gw = slow.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId relay = slow.joined(Role.RELAY, "r1", null);
        slow.stampRelay(relay);
        slow.drain();

        slow.advanceSeconds(1799);
        assertThat(slow.drain()).isEmpty();
        slow.advanceSeconds(1);

        PortalMessage.RelaysPresence renewal = presence(slow.drain(), gw);
        assertThat(renewal.connected()).extracting(Wire.Relay::username)
                .containsExactly((Harness.START_UNIX + 1800 + 3600) + ":gw-a");
        assertThat(renewal.disconnectedIds()).isEmpty();
    }

    @Test
    void relayThatDisconnectsIsWithdrawnFromEveryone() {
        SessionId gw = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId relay = h.joined(Role.RELAY, "r1", null);
        h.stampRelay(relay);
        h.drain();

        h.state.disconnect(relay, h.nowNs);

        assertThat(messagesTo(h.drain(), gw)).containsExactly(new PortalMessage.RelaysPresence(List.of("r1"), List.of()));
    }

    @Test
    void relayThatNeverStampedIsNotWithdrawn() {
        SessionId gw = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId relay = h.joined(Role.RELAY, "r1", null);

        h.state.disconnect(relay, h.nowNs);

        assertThat(messagesTo(h.drain(), gw)).isEmpty();
    }

    @Test
    void malformedSecretIsIgnored() {
        SessionId gw = h.joined(Role.GATEWAY, "gw-a", KEY_A);
        SessionId relay = h.joined(Role.RELAY, "r1", null);

        h.send(relay, Role.RELAY, "2", new PortalMessage.StampSecret("not base64!"));

        assertThat(messagesTo(h.drain(), gw)).isEmpty();
        assertThat(h.state.counters().ignoredFrames()).isEqualTo(1);
    }

    private static PortalMessage.RelaysPresence presence(List<PortalOutput> out, SessionId to) {
        return ofType(messagesTo(out, to), PortalMessage.RelaysPresence.class).getFirst();
    }
}
