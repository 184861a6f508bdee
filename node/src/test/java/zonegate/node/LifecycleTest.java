package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.node.SimNet.MS;
import static zonegate.node.SimNet.S;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.stun.DatagramKind;

/** Idle and wake, reset while connected, and sessions across their 180 s expiry. */
@ExtendWith(NoErrorLogs.class)
class LifecycleTest {


    @Test
    void goesIdleAfter20sChecksConsentEvery25sAndWakesOnAPacket() {
        SimNet net = new SimNet(40);
        Host[] h = net.connectedPair(null, null, 3 * S);
        Host client = h[0];
        Host gateway = h[1];
        client.sendPacket("gateway", Packets.ipv4(1, 100));
        net.runFor(MS);
        client.events.clear();

        net.runFor(20 * S - 2 * MS);
        assertThat(client.node.state("gateway")).isEqualTo(ConnectionState.CONNECTED);
        net.runFor(20 * MS);
        assertThat(client.node.state("gateway")).isEqualTo(ConnectionState.IDLE);
        assertThat(client.events).contains(new NodeEvent.StateChanged("gateway", ConnectionState.CONNECTED,
                ConnectionState.IDLE));

        List<Long> stunAtNs = new ArrayList<>();
        int before = client.sent.size();
        long idleStartNs = net.nowNs;
        while (net.nowNs < idleStartNs + 100 * S) {
            net.runFor(S);
            for (NodeTransmit t : client.sent.subList(before, client.sent.size())) {
                ByteBuffer p = t.payload();
                if (DatagramKind.classify(p, p.position(), p.remaining()) == DatagramKind.STUN
                        && (p.getShort(p.position()) & 0x0110) == 0) {
                    stunAtNs.add(net.nowNs);
                }
            }
            before = client.sent.size();
        }
        assertThat(stunAtNs).hasSizeBetween(3, 5);
        for (int i = 1; i < stunAtNs.size(); i++) {
            assertThat(stunAtNs.get(i) - stunAtNs.get(i - 1)).isBetween(24 * S, 26 * S);
        }

        assertThat(gateway.sendPacket("client", Packets.ipv4(2, 100))).isEqualTo(NodeAction.WRITE_TO_NETWORK);
        net.runFor(50 * MS);
        assertThat(client.tun).extracting(Packets::seq).contains(2);
        assertThat(client.node.state("gateway")).isEqualTo(ConnectionState.CONNECTED);
        assertThat(gateway.node.state("client")).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void resetClosesEveryConnectionRotatesTheKeyAndANewConnectionWorks() {
        SimNet net = new SimNet(41);
        Host[] h = net.connectedPair(null, null, 3 * S);
        Host client = h[0];
        Host gateway = h[1];
        var oldKey = client.node.publicKey();

        client.node.reset(List.of(client.socket), net.nowNs);
        net.runFor(10 * MS);

        assertThat(client.events).contains(new NodeEvent.ConnectionClosed("gateway", CloseReason.RESET));
        assertThat(client.node.publicKey()).isNotEqualTo(oldKey);
        assertThat(client.events).contains(new NodeEvent.PublicKeyChanged(client.node.publicKey()));
        assertThat(client.node.connectionCount()).isZero();

        net.connect(client, gateway); // the control plane hands both sides the new key
        net.runFor(2 * S);
        assertThat(client.node.state("gateway")).isEqualTo(ConnectionState.CONNECTED);
        assertThat(gateway.eventsOf(NodeEvent.ConnectionClosed.class))
                .containsExactly(new NodeEvent.ConnectionClosed("client", CloseReason.REPLACED));
        client.sendPacket("gateway", Packets.ipv4(9, 100));
        net.runFor(50 * MS);
        assertThat(gateway.tun).extracting(Packets::seq).containsExactly(9);
    }

    @Test
    void trafficBothWaysCrossesEverySessionExpiryWithoutLossOrFailure() {
        int mark = LogCapture.mark();
        SimNet net = new SimNet(42);
        Host[] h = net.connectedPair(null, null, 3 * S);
        Host client = h[0];
        Host gateway = h[1];

        int sent = 0;
        for (long t = 0; t < 400 * S; t += 250 * MS, sent++) {
            client.sendPacket("gateway", Packets.ipv4(sent, 200));
            gateway.sendPacket("client", Packets.ipv4(sent, 200));
            net.runFor(250 * MS);
        }

        assertThat(gateway.tun).hasSize(sent);
        assertThat(client.tun).hasSize(sent);
        assertThat(client.eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
        assertThat(gateway.initiationsSent()).isZero();
        assertThat(LogCapture.since(mark)).noneMatch(l -> l.startsWith("ERROR") || l.startsWith("WARN"));
    }

    @Test
    void aGatewayOnlySendingKeepsDeliveringPastTheSessionLifetime() {
        SimNet net = new SimNet(43);
        Host[] h = net.connectedPair(null, null, 3 * S);
        Host client = h[0];
        Host gateway = h[1];

        int sent = 0;
        for (long t = 0; t < 400 * S; t += 100 * MS, sent++) {
            gateway.sendPacket("client", Packets.ipv4(sent, 200));
            net.runFor(100 * MS);
        }

        assertThat(client.tun).hasSize(sent);
        assertThat(gateway.node.count(NodeCounter.WIREGUARD_OUTBOUND)).isZero();
    }

    @Test
    void noRemoteCandidateWithinTenSecondsFailsTheConnection() {
        SimNet net = new SimNet(44);
        Host[] h = net.pair(null, null);
        net.signalCandidates = false;
        net.connect(h[0], h[1]);

        net.runFor(10 * S - 10 * MS);
        assertThat(h[0].eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
        net.runFor(20 * MS);

        assertThat(h[0].eventsOf(NodeEvent.ConnectionFailed.class))
                .containsExactly(new NodeEvent.ConnectionFailed("gateway", FailureReason.NO_REMOTE_CANDIDATES));
        assertThat(h[1].eventsOf(NodeEvent.ConnectionFailed.class))
                .containsExactly(new NodeEvent.ConnectionFailed("client", FailureReason.NO_REMOTE_CANDIDATES));
        assertThat(h[0].node.connectionCount()).isZero();
    }

    @Test
    void aHandshakeThatNeverCompletesFailsTheClientConnectionAfterTwentySeconds() {
        SimNet net = new SimNet(45);
        Host[] h = net.pair(null, null);
        net.dropIf = bytes -> bytes.length >= 4 && bytes[0] >= 1 && bytes[0] <= 4 && bytes[1] == 0 && bytes[2] == 0
                && bytes[3] == 0;
        net.connect(h[0], h[1]);
        net.runFor(S);
        assertThat(h[0].initiationsSent()).isPositive();
        long firstInitiationNs = net.nowNs;

        net.runFor(19 * S);
        assertThat(h[0].eventsOf(NodeEvent.ConnectionFailed.class)).isEmpty();
        net.runFor(2 * S);

        assertThat(h[0].eventsOf(NodeEvent.ConnectionFailed.class))
                .containsExactly(new NodeEvent.ConnectionFailed("gateway", FailureReason.HANDSHAKE_TIMEOUT));
        assertThat(net.nowNs - firstInitiationNs).isLessThan(22 * S);
        assertThat(h[1].initiationsSent()).isZero();
    }
}
