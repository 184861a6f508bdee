package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static zonegate.node.SimNet.MS;
import static zonegate.node.SimNet.S;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.ice.Candidate;
import zonegate.ice.IceCredentials;
import zonegate.wireguard.Device;
import zonegate.wireguard.PeerConfig;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.TunnelResult;
import zonegate.wireguard.WireGuardConfig;

/** The seed behaviours of issue 11, each on its own. */
@ExtendWith(NoErrorLogs.class)
class SeedBehaviourTest {

    private static SimNet connecting(long seed, Host[] hosts) {
        SimNet net = new SimNet(seed);
        hosts[0] = net.host("client", NodeConfig.client(), null);
        hosts[1] = net.host("gateway", NodeConfig.server(), null);
        net.signalCandidates = false;
        net.connect(hosts[0], hosts[1]);
        net.runFor(10 * MS);
        return net;
    }

    @Test
    void serverDropsPacketsWithoutANominatedPairAndNeverInitiates() {
        Host[] h = new Host[2];
        SimNet net = connecting(10, h);
        Host client = h[0];
        Host gateway = h[1];

        for (int i = 0; i < 5; i++) {
            assertThat(gateway.sendPacket("client", Packets.ipv4(i, 100))).isEqualTo(NodeAction.DROPPED);
        }
        assertThat(gateway.result.dropReason()).isEqualTo(NodeCounter.NOT_NOMINATED);
        assertThat(gateway.node.count(NodeCounter.NOT_NOMINATED)).isEqualTo(5);
        net.signalCandidates = true;
        net.upsertAgain(client, gateway); // same parameters: candidates signalled again
        net.runFor(3 * S);
        assertThat(client.node.state("gateway")).isEqualTo(ConnectionState.CONNECTED);
        net.runFor(200 * S); // rekeys, session expiry: still only the client initiates

        assertThat(client.tun).isEmpty();
        assertThat(gateway.initiationsSent()).isZero();
        assertThat(client.initiationsSent()).isPositive();
    }

    @Test
    void serverWhoseSessionExpiredDropsPacketsAndStillDoesNotInitiate() {
        SimNet net = new SimNet(16);
        Host[] h = net.connectedPair(null, null, 3 * S);
        Host client = h[0];
        Host gateway = h[1];
        net.runFor(200 * S); // no traffic: the session expires at 180 s

        assertThat(gateway.sendPacket("client", Packets.ipv4(1, 100))).isEqualTo(NodeAction.DROPPED);
        net.runFor(30 * S);

        assertThat(gateway.node.count(NodeCounter.WIREGUARD_OUTBOUND)).isEqualTo(1);
        assertThat(gateway.initiationsSent()).isZero();
        assertThat(client.tun).isEmpty();
        assertThat(client.sendPacket("gateway", Packets.ipv4(2, 100))).isNotEqualTo(NodeAction.DROPPED);
        net.runFor(S);
        assertThat(gateway.tun).extracting(Packets::seq).containsExactly(2);
    }

    @Test
    void clientBuffers128PacketsWhileConnectingAndFlushesThemAfterNomination() {
        Host[] h = new Host[2];
        SimNet net = connecting(11, h);
        Host client = h[0];
        Host gateway = h[1];

        for (int i = 0; i < 200; i++) {
            assertThat(client.sendPacket("gateway", Packets.ipv4(i, 300))).isEqualTo(NodeAction.BUFFERED);
        }
        net.runFor(5 * S);
        assertThat(client.initiationsSent()).as("no handshake before nomination").isZero();
        assertThat(client.node.count(NodeCounter.BUFFER_OVERFLOW)).isEqualTo(72);

        net.signalCandidates = true;
        net.upsertAgain(client, gateway);
        net.runFor(3 * S);

        assertThat(gateway.tun).extracting(Packets::seq).containsExactlyElementsOf(
                java.util.stream.IntStream.range(72, 200).boxed().toList());
        assertThat(client.initiationsSent()).isEqualTo(1);
    }

    @Test
    void aRemoteCandidateAfterNominationIsIgnoredWithOneLogLine() {
        SimNet net = new SimNet(12);
        Host client = net.connectedPair(null, null, 3 * S)[0];
        int mark = LogCapture.mark();

        Candidate late = Candidate.host(SimNet.address("198.18.7.7", 7777));
        client.node.addRemoteCandidate("gateway", late, net.nowNs);
        net.runFor(30 * S);

        assertThat(LogCapture.since(mark)).filteredOn(l -> l.contains("198.18.7.7")).hasSize(1);
        assertThat(client.node.state("gateway")).isIn(ConnectionState.CONNECTED, ConnectionState.IDLE);
    }

    @Test
    void pollTimeoutIsTheLastNowWhileOutputIsQueued() {
        SimNet net = new SimNet(13);
        Host client = net.host("client", NodeConfig.client(), null);
        Host gateway = net.host("gateway", NodeConfig.server(), null);
        net.connect(client, gateway);

        assertThat(client.node.pollTimeout().deadlineNs()).isEqualTo(net.nowNs);
        client.drain();
        NodeTimeout next = client.node.pollTimeout();
        assertThat(next.deadlineNs()).isGreaterThan(net.nowNs);
    }

    @Test
    void timeNeverGoesBackwards() {
        SimNet net = new SimNet(14);
        Host client = net.host("client", NodeConfig.client(), null);
        client.node.handleTimeout(net.nowNs + S);

        assertThatThrownBy(() -> client.node.handleTimeout(net.nowNs)).isInstanceOf(AssertionError.class);
    }

    @Test
    void handshakesBeyondTheNodeWideRateGetCookieReplies() {
        SimNet net = new SimNet(15);
        Host gateway = net.host("gateway", NodeConfig.server(), null);
        SplittableRandom random = new SplittableRandom(15);
        PrivateKey peerKey = SimNet.key(random);
        gateway.node.upsertConnection("client", new ConnectionParams(peerKey.publicKey(), null,
                IceCredentials.random(random), IceCredentials.random(random)), net.nowNs);
        Device peer = new Device(peerKey, WireGuardConfig.DEFAULT, InstantSource.fixed(Instant.EPOCH),
                SimNet.seededSecureRandom(1), random, net.nowNs);
        ByteBuffer initiation = ByteBuffer.allocate(256);
        peer.addPeer(PeerConfig.of(gateway.node.publicKey()), net.nowNs)
                .encapsulate(ByteBuffer.wrap(Packets.ipv4(0, 100)), initiation, net.nowNs, new TunnelResult());
        initiation.flip();
        var from = SimNet.address("198.18.0.9", 4000);

        for (int i = 0; i < NodeConfig.server().handshakesPerSecond(); i++) {
            gateway.receive(from, initiation.duplicate());
        }
        assertThat(gateway.node.count(NodeCounter.HANDSHAKE_RATE_LIMITED)).isZero();
        gateway.receive(from, initiation.duplicate());

        assertThat(gateway.node.count(NodeCounter.HANDSHAKE_RATE_LIMITED)).isEqualTo(1);
        List<NodeTransmit> replies = List.of(gateway.node.pollTransmit(), gateway.node.pollTransmit());
        assertThat(replies.get(1).payload().getInt(0)).as("cookie reply").isEqualTo(0x03000000);
    }
}
