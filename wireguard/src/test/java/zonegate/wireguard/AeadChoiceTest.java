package zonegate.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.wireguard.SimNetwork.MS;

import org.junit.jupiter.api.Test;
import zonegate.wireguard.internal.crypto.NativeAeadRequirement;

/** Devices with different transport AEADs talk to each other: the choice changes nothing on the wire. */
class AeadChoiceTest {

    @Test
    void aJceDeviceAndANativeDeviceExchangePacketsBothWays() {
        NativeAeadRequirement.assumeNativeAead();
        SimNetwork net = new SimNetwork(11, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY,
                WireGuardConfig.DEFAULT.withAead(AeadChoice.JCE), WireGuardConfig.DEFAULT.withAead(AeadChoice.NATIVE));
        assertThat(net.a.device.aeadInUse()).isEqualTo(AeadChoice.JCE);
        assertThat(net.b.device.aeadInUse()).isEqualTo(AeadChoice.NATIVE);
        for (int i = 0; i < 40; i++) {
            net.a.send(SimNetwork.ipv4(i, 20 + 37 * i));
            net.runFor(100 * MS);
            net.b.send(SimNetwork.ipv4(100 + i, 1400 - 31 * i));
            net.runFor(100 * MS);
        }
        assertThat(net.b.delivered).extracting(SimNetwork::idOf).hasSize(40).startsWith(0, 1, 2);
        assertThat(net.a.delivered).extracting(SimNetwork::idOf).hasSize(40).startsWith(100, 101, 102);
        assertThat(net.a.tunnel.dropCount(DropReason.DECRYPT_FAILED) + net.b.tunnel.dropCount(DropReason.DECRYPT_FAILED))
                .isZero();
    }

    @Test
    void theDefaultIsAutoAndAJceDeviceNeverNeedsLibcrypto() {
        assertThat(WireGuardConfig.DEFAULT.aead()).isEqualTo(AeadChoice.AUTO);
        SimNetwork net = new SimNetwork(12, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY,
                WireGuardConfig.DEFAULT.withAead(AeadChoice.JCE), WireGuardConfig.DEFAULT.withAead(AeadChoice.JCE));
        assertThat(net.b.device.aeadInUse()).isEqualTo(AeadChoice.JCE);
        net.a.send(SimNetwork.ipv4(1, 100));
        net.runFor(100 * MS);
        assertThat(net.b.delivered).hasSize(1);
    }
}
