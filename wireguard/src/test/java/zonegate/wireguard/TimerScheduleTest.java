package zonegate.wireguard;

import java.time.Instant;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The device's deadline index against a brute-force scan, with 2,000 peers: some handshaking
 * (retransmits with jitter, give-up), some with persistent keepalives at scattered intervals, most
 * idle. Every reported deadline must be the exact minimum, and handleTimeout must visit only peers
 * that are due.
 */
class TimerScheduleTest {
    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;
    private static final int PEERS = 2_000;

    private long nowNs = 10 * S;
    private final TunnelResult r = new TunnelResult();
    private final ByteBuffer out = ByteBuffer.allocate(2048);
    private final Device device = new Device(PrivateKey.generate(new FixedSecureRandom(61)),
            WireGuardConfig.DEFAULT.withRekeyAttemptTimeNs(12 * S), () -> Instant.ofEpochSecond(0, 1_700_000_000L * S + nowNs),
            new FixedSecureRandom(62), new ScriptedRandom(63), nowNs);
    private final List<Tunnel> tunnels = new ArrayList<>();

    private static long bruteForceDeadline(List<Tunnel> tunnels) {
        long min = Long.MAX_VALUE;
        for (Tunnel t : tunnels) {
            min = Math.min(min, t.nextTimerDeadlineNs());
        }
        return min;
    }

    private void addPeers() {
        FixedSecureRandom keys = new FixedSecureRandom(64);
        for (int i = 0; i < PEERS; i++) {
            PeerConfig peer = PeerConfig.of(PrivateKey.generate(keys).publicKey());
            if (i % 10 == 0) {
                peer = peer.withRole(PeerRole.INITIATOR);
            } else if (i % 10 == 1) {
                peer = peer.withRole(PeerRole.RESPONDER_ONLY).withPersistentKeepaliveIntervalNs((i % 97 + 1) * 37 * MS);
            } else {
                peer = peer.withRole(PeerRole.RESPONDER_ONLY);
            }
            Tunnel t = device.addPeer(peer, nowNs);
            t.setEndpoint(new InetSocketAddress("198.51.100.1", 10_000 + i));
            tunnels.add(t);
        }
    }

    @Test
    void deadlineIsTheExactMinimumAndHandleTimeoutVisitsOnlyDuePeers() {
        addPeers();
        assertThat(device.nextTimerDeadlineNs()).isEqualTo(bruteForceDeadline(tunnels));
        for (int i = 0; i < PEERS; i += 10) {
            nowNs += 3 * MS;
            assertThat(tunnels.get(i).encapsulate(ByteBuffer.wrap(SimNetwork.ipv4(i, 60)), out.clear(), nowNs, r))
                    .isEqualTo(Action.WRITE_TO_NETWORK);
            assertThat(device.nextTimerDeadlineNs()).isEqualTo(bruteForceDeadline(tunnels));
        }

        long[] seenBefore = new long[PEERS];
        int rounds = 0;
        long visits = 0;
        while (true) {
            long deadline = device.nextTimerDeadlineNs();
            assertThat(deadline).as("round %d", rounds).isEqualTo(bruteForceDeadline(tunnels));
            if (deadline == Long.MAX_VALUE) {
                break;
            }
            nowNs = Math.max(nowNs, deadline);
            boolean[] due = new boolean[PEERS];
            for (int i = 0; i < PEERS; i++) {
                seenBefore[i] = tunnels.get(i).lastNowNs();
                due[i] = tunnels.get(i).nextTimerDeadlineNs() <= nowNs;
            }
            while (device.handleTimeout(nowNs, out.clear(), r) == Action.WRITE_TO_NETWORK) {
                assertThat(r.tunnel().nextTimerDeadlineNs()).isGreaterThan(nowNs);
            }
            for (int i = 0; i < PEERS; i++) {
                Tunnel t = tunnels.get(i);
                if (t.lastNowNs() != seenBefore[i]) {
                    assertThat(due[i]).as("peer %d visited but not due", i).isTrue();
                    visits++;
                } else {
                    assertThat(due[i]).as("peer %d due but not visited", i).isFalse();
                }
                assertThat(t.nextTimerDeadlineNs()).as("peer %d still due", i).isGreaterThan(nowNs);
            }
            rounds++;
        }

        assertThat(rounds).isGreaterThan(300);
        assertThat(visits).isLessThan(3L * rounds);
        assertThat(device.pollEvent()).isNotNull();
        assertThat(tunnels.stream().filter(t -> t.handshakesSent() >= 2)).hasSize(PEERS / 10);
    }

    @Test
    void peerStillDueAfterAFailedWriteIsVisitedOncePerCallAndDoesNotBlockOthers() {
        addPeers();
        Tunnel first = tunnels.get(0);
        Tunnel second = tunnels.get(10);
        first.encapsulate(ByteBuffer.wrap(SimNetwork.ipv4(1, 60)), out.clear(), nowNs, r);
        nowNs += MS;
        second.encapsulate(ByteBuffer.wrap(SimNetwork.ipv4(2, 60)), out.clear(), nowNs, r);
        nowNs = Math.max(first.nextTimerDeadlineNs(), second.nextTimerDeadlineNs());
        long firstHandshakes = first.handshakesSent();

        assertThat(device.handleTimeout(nowNs, ByteBuffer.allocate(16), r)).isEqualTo(Action.DONE);
        assertThat(first.handshakesSent()).isEqualTo(firstHandshakes);
        assertThat(first.dropCount(DropReason.BUFFER_TOO_SMALL)).isEqualTo(1);
        assertThat(second.dropCount(DropReason.BUFFER_TOO_SMALL)).isEqualTo(1);
        assertThat(device.nextTimerDeadlineNs()).isEqualTo(bruteForceDeadline(tunnels)).isLessThanOrEqualTo(nowNs);

        int written = 0;
        while (device.handleTimeout(nowNs, out.clear(), r) == Action.WRITE_TO_NETWORK) {
            written++;
        }
        assertThat(written).isEqualTo(2);
        assertThat(device.nextTimerDeadlineNs()).isEqualTo(bruteForceDeadline(tunnels)).isGreaterThan(nowNs);
    }
}
