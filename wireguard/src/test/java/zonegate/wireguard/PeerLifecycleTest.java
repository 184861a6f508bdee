package zonegate.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.wireguard.SimNetwork.MS;
import static zonegate.wireguard.SimNetwork.S;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import zonegate.wireguard.internal.session.Session;

/**
 * Peers added, updated and removed at run time on a gateway ({@code b}) while another client
 * ({@code a}) keeps sending through it: the client's sessions, counters and traffic are untouched.
 */
class PeerLifecycleTest {
    private final SimNetwork net = new SimNetwork(51, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
    private final SimNetwork.Node c = net.addNode("c", 777, 3, WireGuardConfig.DEFAULT);
    private int nextIdOfA;
    private int nextIdOfC = 1000;

    /** Both clients send one packet every 100 ms for {@code durationNs}. */
    private void traffic(long durationNs, Tunnel cToB) {
        for (long t = 0; t < durationNs; t += 100 * MS) {
            net.a.send(SimNetwork.ipv4(nextIdOfA++, 100));
            if (cToB != null) {
                c.sendTo(cToB, SimNetwork.ipv4(nextIdOfC++, 100));
            }
            net.runFor(100 * MS);
        }
    }

    private List<Integer> deliveredAtBFrom(PublicKey peer) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < net.b.delivered.size(); i++) {
            if (net.b.deliveredFrom.get(i).publicKey().equals(peer)) {
                ids.add(SimNetwork.idOf(net.b.delivered.get(i)));
            }
        }
        return ids;
    }

    private void assertClientAUndisturbed() {
        assertThat(deliveredAtBFrom(net.a.key.publicKey()))
                .containsExactlyElementsOf(IntStream.range(0, nextIdOfA).boxed().toList());
        for (DropReason reason : DropReason.values()) {
            assertThat(net.b.tunnel.dropCount(reason)).as("%s at the gateway", reason).isZero();
            assertThat(net.a.tunnel.dropCount(reason)).as("%s at the client", reason).isZero();
        }
        assertThat(net.a.tunnel.handshakesSent()).isEqualTo(1);
    }

    @Test
    void addingAPeerLetsItConnectWhileTheOtherPeersTrafficFlows() {
        traffic(1 * S, null);
        Tunnel cToB = net.connect(c, PeerRole.INITIATOR, net.b, PeerRole.RESPONDER_ONLY);
        traffic(2 * S, cToB);

        assertClientAUndisturbed();
        assertThat(deliveredAtBFrom(c.key.publicKey())).hasSize(20);
    }

    @Test
    void updatingAPeersPresharedKeyRoleAndEndpointLeavesTheOtherPeerAlone() {
        Tunnel cToB = net.connect(c, PeerRole.INITIATOR, net.b, PeerRole.RESPONDER_ONLY);
        traffic(1 * S, cToB);
        Tunnel bToC = net.b.device.peer(c.key.publicKey());
        PresharedKey psk = PresharedKey.generate(new FixedSecureRandom(52));

        net.b.device.updatePeer(bToC.config().withPresharedKey(psk).withRole(PeerRole.INITIATOR), net.nowNs);
        c.device.updatePeer(cToB.config().withPresharedKey(psk), net.nowNs);
        bToC.setEndpoint(new InetSocketAddress("10.0.0.99", 51820));
        traffic(1 * S, cToB);
        assertThat(bToC.endpoint()).as("roamed back on c's next packet").isEqualTo(c.address);

        // Only a new handshake uses the new preshared key: let c's session reach REKEY_AFTER_TIME.
        net.b.device.updatePeer(bToC.config().withRole(PeerRole.RESPONDER_ONLY), net.nowNs);
        for (int i = 0; i < 125; i++) {
            c.sendTo(cToB, SimNetwork.ipv4(nextIdOfC++, 100));
            net.runFor(1 * S);
        }

        assertThat(cToB.handshakesCompleted()).as("re-keyed with the new preshared key").isEqualTo(2);
        assertThat(bToC.handshakesCompleted()).isEqualTo(2);
        assertThat(deliveredAtBFrom(c.key.publicKey())).hasSize(nextIdOfC - 1000);
        assertThat(net.a.tunnel.keypairs.current().sendCounter).as("a's session is the same one").isEqualTo(nextIdOfA);
        assertClientAUndisturbed();
    }

    @Test
    void removingAPeerErasesItsKeysAndUnroutesItsIndicesWhileTheOtherPeersTrafficFlows() {
        traffic(1 * S, null);
        int indicesOfA = net.b.device.indicesInUse();
        Tunnel cToB = net.connect(c, PeerRole.INITIATOR, net.b, PeerRole.RESPONDER_ONLY);
        traffic(1 * S, cToB);
        Tunnel bToC = net.b.device.peer(c.key.publicKey());
        Session session = bToC.keypairs.current();
        long unknownBefore = net.b.device.dropCount(DropReason.UNKNOWN_RECEIVER);

        assertThat(net.b.device.removePeer(c.key.publicKey())).isTrue();
        traffic(1 * S, cToB);

        assertClientAUndisturbed();
        assertThat(net.b.device.peer(c.key.publicKey())).isNull();
        assertThat(net.b.device.peers()).containsExactly(net.b.tunnel);
        assertThat(net.b.device.indicesInUse()).isEqualTo(indicesOfA);
        assertThat(net.b.device.dropCount(DropReason.UNKNOWN_RECEIVER) - unknownBefore).isEqualTo(10);
        assertThat(session.erased()).isTrue();
        assertThat(session.sendKey.getEncoded()).containsOnly(0);
        assertThat(session.receiveKey.getEncoded()).containsOnly(0);
        assertThat(bToC.keypairs.current()).isNull();
        assertThat(bToC.nextTimerDeadlineNs()).isEqualTo(Long.MAX_VALUE);
        assertThat(bToC.encapsulate(ByteBuffer.wrap(SimNetwork.ipv4(1, 60)), ByteBuffer.allocate(2048), net.nowNs,
                new TunnelResult())).isEqualTo(Action.DROPPED);
        assertThat(net.b.device.indicesInUse()).as("a removed tunnel allocates nothing").isEqualTo(indicesOfA);
    }
}
