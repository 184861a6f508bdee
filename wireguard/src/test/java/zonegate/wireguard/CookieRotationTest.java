package zonegate.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.wireguard.SimNetwork.S;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import zonegate.wireguard.internal.cookie.CookieResponder;
import zonegate.wireguard.internal.crypto.Blake2s;
import zonegate.wireguard.internal.crypto.HandshakeAead;
import zonegate.wireguard.internal.noise.LocalIdentity;
import zonegate.wireguard.internal.noise.Messages;

/** Under load, mac2 made with a cookie of the previous cookie secret is accepted while it can be fresh. */
class CookieRotationTest {
    private static final byte[] SECRET = filled(32, 7);
    private static final byte[] SOURCE = "192.0.2.1:51820".getBytes(StandardCharsets.UTF_8);

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void cookieIssuedJustBeforeTheSecretRotatesStillCompletesTheHandshake() {
        SimNetwork net = new SimNetwork(71, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        net.b.device.setUnderLoad(true);
        net.b.device.cookieResponder().setSecret(SECRET, net.nowNs);
        net.runFor(119 * S);

        net.a.send(SimNetwork.ipv4(1, 60));
        net.runFor(1 * S);
        assertThat(net.b.device.cookieRepliesSent()).isEqualTo(1);
        net.runFor(6 * S);

        assertThat(net.b.device.cookieRepliesSent()).as("the retry after rotation was accepted").isEqualTo(1);
        assertThat(net.b.delivered).extracting(SimNetwork::idOf).containsExactly(1);
    }

    /** mac2 of a 148-byte initiation as an initiator holding the cookie of {@code secret} writes it. */
    private static byte[] initiationWithMac2Of(byte[] secret) {
        byte[] msg = filled(Messages.INITIATION_BYTES, 3);
        byte[] cookie = new byte[16];
        Blake2s.mac(secret, SOURCE, 0, SOURCE.length, cookie, 0);
        Blake2s.mac(cookie, msg, 0, Messages.INITIATION_MAC2, msg, Messages.INITIATION_MAC2);
        return msg;
    }

    @Test
    void previousSecretIsAcceptedForTwoLifetimesAfterItWasBornAndNotAfter() {
        long lifetime = 120 * S;
        CookieResponder responder = new CookieResponder(new LocalIdentity(filled(32, 1)), new FixedSecureRandom(72),
                new HandshakeAead(), lifetime);
        responder.setSecret(SECRET, 0);
        byte[] msg = initiationWithMac2Of(SECRET);

        assertThat(responder.checkMac2(msg, Messages.INITIATION_MAC2, SOURCE, 119 * S)).isTrue();
        assertThat(responder.checkMac2(msg, Messages.INITIATION_MAC2, SOURCE, 121 * S)).as("rotated once").isTrue();
        assertThat(responder.checkMac2(msg, Messages.INITIATION_MAC2, SOURCE, 239 * S)).isTrue();
        assertThat(responder.checkMac2(msg, Messages.INITIATION_MAC2, SOURCE, 241 * S)).as("rotated twice").isFalse();
    }

    @Test
    void previousSecretOlderThanTwoLifetimesIsNotAcceptedAfterALateRotation() {
        long lifetime = 120 * S;
        CookieResponder responder = new CookieResponder(new LocalIdentity(filled(32, 1)), new FixedSecureRandom(73),
                new HandshakeAead(), lifetime);
        responder.setSecret(SECRET, 0);
        byte[] msg = initiationWithMac2Of(SECRET);

        assertThat(responder.checkMac2(msg, Messages.INITIATION_MAC2, SOURCE, 300 * S)).isFalse();
        assertThat(responder.checkMac2(filled(Messages.INITIATION_BYTES, 3), Messages.INITIATION_MAC2, SOURCE, 301 * S))
                .isFalse();
    }
}
