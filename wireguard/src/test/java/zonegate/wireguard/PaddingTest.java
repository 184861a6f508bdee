package zonegate.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.wireguard.SimNetwork.S;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Transport plaintexts are padded to a multiple of 16 bytes, never beyond the tunnel MTU. */
class PaddingTest {
    private final TunnelResult r = new TunnelResult();

    @Test
    void defaultMtuIsTheTunnelMtuOf1280() {
        assertThat(WireGuardConfig.DEFAULT.mtuBytes()).isEqualTo(1280);
    }

    @Test
    void paddingRoundsUpToSixteenButStopsAtTheMtu() {
        WireGuardConfig mtu1420 = WireGuardConfig.DEFAULT.withMtuBytes(1420);
        assertThat(mtu1420.paddingBytes(0)).isZero();
        assertThat(mtu1420.paddingBytes(1)).isEqualTo(15);
        assertThat(mtu1420.paddingBytes(16)).isZero();
        assertThat(mtu1420.paddingBytes(100)).isEqualTo(12);
        assertThat(mtu1420.paddingBytes(1408)).isZero();
        assertThat(mtu1420.paddingBytes(1409)).as("1424 would pass the MTU").isEqualTo(11);
        assertThat(mtu1420.paddingBytes(1415)).isEqualTo(5);
        assertThat(mtu1420.paddingBytes(1420)).isZero();
        assertThat(mtu1420.paddingBytes(1430)).as("last segment of 10 bytes").isEqualTo(6);
        assertThat(mtu1420.paddingBytes(2840)).isZero();
        assertThat(WireGuardConfig.DEFAULT.paddingBytes(1279)).isEqualTo(1);
    }

    @Test
    void packetJustBelowTheMtuIsPaddedOnlyUpToTheMtuAndArrivesIntact() {
        SimNetwork net = new SimNetwork(81, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY,
                WireGuardConfig.DEFAULT.withMtuBytes(1420));
        net.a.send(SimNetwork.ipv4(0, 60));
        net.runFor(1 * S);

        ByteBuffer out = ByteBuffer.allocate(2048);
        assertThat(net.a.tunnel.encapsulate(ByteBuffer.wrap(SimNetwork.ipv4(1, 1415)), out, net.nowNs, r))
                .isEqualTo(Action.WRITE_TO_NETWORK);
        assertThat(r.lengthBytes()).isEqualTo(32 + 1420);
        assertThat(out.position()).isEqualTo(32 + 1420);

        net.a.send(SimNetwork.ipv4(2, 1415));
        net.runFor(1 * S);
        assertThat(net.b.delivered).extracting(SimNetwork::idOf).containsExactly(0, 2);
        assertThat(net.b.delivered.get(1)).isEqualTo(SimNetwork.ipv4(2, 1415));
    }

    @Test
    void smallPacketIsPaddedToAMultipleOfSixteen() {
        SimNetwork net = new SimNetwork(82, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        net.a.send(SimNetwork.ipv4(0, 60));
        net.runFor(1 * S);

        net.a.tunnel.encapsulate(ByteBuffer.wrap(SimNetwork.ipv4(1, 100)), ByteBuffer.allocate(2048), net.nowNs, r);
        assertThat(r.lengthBytes()).isEqualTo(32 + 112);
    }
}
