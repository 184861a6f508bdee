package zonegate.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.turn.server.RelayHarness.*;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunMethod;

/** The default peer policy of {@link RelayConfig#of}: what CREATE-PERMISSION and CHANNEL-BIND refuse with 403. */
class RelayPeerPolicyTest {
    private static final InetSocketAddress CLIENT_V6 = new InetSocketAddress(address("2001:db8:1::10"), 40000);

    private static RelayHarness dualStack() {
        return new RelayHarness(RelayConfig.of(REALM, RELAY_V4, RELAY_V6, 50000, 50009)
                .withStaticUsers(Map.of("alice", "wonderland")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "172.16.0.1", "172.31.255.254", "192.168.1.1", "100.64.0.1",
            "100.127.255.254", "169.254.169.254", "0.1.2.3", "127.0.0.1", "192.0.2.1"})
    void createPermissionForARefusedIpv4PeerGets403(String peer) {
        RelayHarness h = dualStack();
        h.allocate(CLIENT);

        assertThat(h.permit(CLIENT, new InetSocketAddress(address(peer), 9)).errorCode()).isEqualTo(403);
        assertThat(h.relay.count(RelayCounter.FORBIDDEN_PEER)).isEqualTo(1);
        assertThat(h.relay.allocations().getFirst().permissions()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"fe80::1", "febf::1", "fc00::1", "fd12:3456::1", "64:ff9b::a00:5", "::1",
            "2001:db8::1"})
    void createPermissionForARefusedIpv6PeerGets403(String peer) {
        RelayHarness h = dualStack();
        h.allocate(CLIENT_V6, 2);

        assertThat(h.permit(CLIENT_V6, new InetSocketAddress(address(peer), 9)).errorCode()).isEqualTo(403);
        assertThat(h.relay.allocations().getFirst().permissions()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5", "127.0.0.1", "192.168.0.1", "169.254.169.254"})
    void ipv4MappedIpv6FormsOfRefusedPeersGet403(String ipv4) throws UnknownHostException {
        RelayHarness h = dualStack();
        h.allocate(CLIENT_V6, 2);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        System.arraycopy(address(ipv4).getAddress(), 0, mapped, 12, 4);
        InetAddress peer = Inet6Address.getByAddress(null, mapped, -1);

        assertThat(h.permit(CLIENT_V6, new InetSocketAddress(peer, 9)).errorCode()).isEqualTo(403);
        assertThat(h.bind(CLIENT_V6, 0x4000, new InetSocketAddress(peer, 9)).errorCode()).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.9.9.9", "192.168.7.7", "100.100.100.100", "127.0.0.53"})
    void channelBindToARefusedPeerGets403AndBindsNothing(String peer) {
        RelayHarness h = dualStack();
        h.allocate(CLIENT);

        assertThat(h.bind(CLIENT, 0x4000, new InetSocketAddress(address(peer), 9)).errorCode()).isEqualTo(403);
        assertThat(h.relay.allocations().getFirst().channels()).isZero();
    }

    @Test
    void anotherAllocationOnThisRelayIsAPeerButNoOtherPortOfTheRelayAddressIs() {
        RelayHarness h = dualStack();
        int otherPort = h.allocate(new InetSocketAddress(CLIENT.getAddress(), 1));
        h.allocate(CLIENT);
        InetSocketAddress otherRelayed = new InetSocketAddress(RELAY_V4, otherPort);

        assertThat(h.permit(CLIENT, new InetSocketAddress(RELAY_V4, 3478)).errorCode()).isEqualTo(403);
        assertThat(h.bind(CLIENT, 0x4001, new InetSocketAddress(RELAY_V4, 22)).errorCode()).isEqualTo(403);
        assertThat(h.bind(CLIENT, 0x4000, otherRelayed).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        h.fromClient(CLIENT, h.message(StunMethod.SEND, StunClass.INDICATION, false, w -> w
                .addAddress(StunAttributeType.XOR_PEER_ADDRESS, new InetSocketAddress(RELAY_V4, 22))
                .addData(ByteBuffer.wrap(new byte[] {1}), 0, 1)));
        assertThat(h.relay.pollTransmit()).isNull();
        assertThat(h.relay.count(RelayCounter.SEND_FORBIDDEN_PEER)).isEqualTo(1);
        h.fromClient(CLIENT, h.message(StunMethod.SEND, StunClass.INDICATION, false, w -> w
                .addAddress(StunAttributeType.XOR_PEER_ADDRESS, otherRelayed)
                .addData(ByteBuffer.wrap(new byte[] {2}), 0, 1)));
        assertThat(h.transmit().destination()).isEqualTo(otherRelayed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.5", "8.8.8.8", "172.32.0.1", "100.128.0.1", "11.0.0.1"})
    void publicPeersArePermitted(String peer) {
        RelayHarness h = dualStack();
        h.allocate(CLIENT);

        assertThat(h.permit(CLIENT, new InetSocketAddress(address(peer), 9)).messageClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
    }
}
