package zonegate.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.wireguard.SimNetwork.MS;
import static zonegate.wireguard.SimNetwork.S;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Seeded simulations of two peers over a lossy, duplicating, reordering link with a manual clock. */
class TwoPeerSimulationTest {

    @Test
    void handshakeSucceedsAndNothingIsDeliveredTwiceOverALossyDuplicatingReorderingLink() {
        for (long seed = 1; seed <= 20; seed++) {
            SimNetwork net = new SimNetwork(seed, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
            net.lossRate = 0.2;
            net.duplicateRate = 0.2;
            net.jitterNs = 50 * MS;
            for (int i = 0; i < 60; i++) {
                net.a.send(SimNetwork.ipv4(i, 100));
                net.runFor(500 * MS);
            }
            Set<Integer> ids = new HashSet<>();
            for (byte[] p : net.b.delivered) {
                assertThat(ids.add(SimNetwork.idOf(p))).as("seed %d: delivered twice", seed).isTrue();
            }
            assertThat(net.a.count(TunnelEvent.SessionEstablished.class)).as("seed %d", seed).isPositive();
            assertThat(ids.size()).as("seed %d", seed).isGreaterThan(20);
            assertThat(net.b.tunnel.handshakesSent()).isZero();
        }
    }

    @Test
    void latestHandshakeIsTheInstantEachSideCompletedIt() {
        SimNetwork net = new SimNetwork(8, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        assertThat(net.a.tunnel.lastHandshakeNs()).isEqualTo(Tunnel.NEVER);
        assertThat(net.b.tunnel.lastHandshakeNs()).isEqualTo(Tunnel.NEVER);
        long startNs = net.nowNs;
        net.a.send(SimNetwork.ipv4(1, 60));
        net.runFor(1 * S);
        long first = net.b.tunnel.lastHandshakeNs();
        assertThat(net.a.tunnel.lastHandshakeNs()).isBetween(startNs, net.nowNs);
        assertThat(first).isBetween(net.a.tunnel.lastHandshakeNs(), net.nowNs);
        for (int i = 0; i < 150; i++) {
            net.a.send(SimNetwork.ipv4(i, 60));
            net.runFor(1 * S);
        }
        assertThat(net.b.tunnel.handshakesCompleted()).isGreaterThanOrEqualTo(2);
        assertThat(net.b.tunnel.lastHandshakeNs()).isGreaterThan(first + 100 * S);
    }

    @Test
    void queuedPacketsAreDeliveredInOrderOnceTheHandshakeCompletes() {
        SimNetwork net = new SimNetwork(7, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        for (int i = 0; i < 5; i++) {
            net.a.send(SimNetwork.ipv4(i, 60));
        }
        net.runFor(1 * S);
        assertThat(net.b.delivered).extracting(SimNetwork::idOf).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void deviceCountsEachSideOfACompletedHandshake() {
        SimNetwork net = new SimNetwork(7, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        net.a.send(SimNetwork.ipv4(1, 60));
        net.runFor(1 * S);
        assertThat(net.a.device.handshakeCount(HandshakeCounter.INITIATIONS_SENT)).isEqualTo(1);
        assertThat(net.a.device.handshakeCount(HandshakeCounter.RESPONSES_ACCEPTED)).isEqualTo(1);
        assertThat(net.a.device.handshakeCount(HandshakeCounter.INITIATIONS_ANSWERED)).isZero();
        assertThat(net.b.device.handshakeCount(HandshakeCounter.INITIATIONS_RECEIVED)).isEqualTo(1);
        assertThat(net.b.device.handshakeCount(HandshakeCounter.INITIATIONS_ANSWERED)).isEqualTo(1);
        assertThat(net.b.device.handshakeCount(HandshakeCounter.INITIATIONS_SENT)).isZero();
    }

    @Test
    void responderOnlyPeerDropsDataWithoutSessionAndNeverInitiates() {
        SimNetwork net = new SimNetwork(3, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        assertThat(net.b.send(SimNetwork.ipv4(1, 60))).isEqualTo(Action.DROPPED);
        assertThat(net.b.tunnel.dropCount(DropReason.NO_SESSION)).isEqualTo(1);
        assertThat(net.b.tunnel.queuedPackets()).isZero();
        net.runFor(600 * S);
        assertThat(net.b.datagramsSent).isZero();
        assertThat(net.b.tunnel.handshakesSent()).isZero();
    }

    @Test
    void responderNeverStartsACompetingSessionWhileBothSidesTalkForTenMinutes() {
        SimNetwork net = new SimNetwork(4, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        for (int i = 0; i < 600; i++) {
            net.a.send(SimNetwork.ipv4(i, 80));
            net.runFor(200 * MS);
            net.b.send(SimNetwork.ipv4(i, 80));
            net.runFor(800 * MS);
        }
        assertThat(net.b.tunnel.handshakesSent()).isZero();
        assertThat(net.a.delivered).hasSize(600);
        assertThat(net.b.delivered).hasSize(600);
        assertThat(net.b.tunnel.dropCount(DropReason.NO_SESSION)).isZero();
    }

    @Test
    void eitherSideMayStartTheHandshakeWhenBothAreInitiators() {
        SimNetwork net = new SimNetwork(5, PeerRole.INITIATOR, PeerRole.INITIATOR);
        net.b.tunnel.setEndpoint(net.a.address);
        net.b.send(SimNetwork.ipv4(1, 60));
        net.runFor(1 * S);
        net.a.send(SimNetwork.ipv4(2, 60));
        net.runFor(1 * S);
        assertThat(net.a.delivered).extracting(SimNetwork::idOf).containsExactly(1);
        assertThat(net.b.delivered).extracting(SimNetwork::idOf).containsExactly(2);
        assertThat(net.b.tunnel.handshakesSent()).isEqualTo(1);
        assertThat(net.a.tunnel.handshakesSent()).isZero();
    }

    @Test
    void initiatorRekeysAfter120SecondsWithoutLosingTraffic() {
        SimNetwork net = new SimNetwork(6, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        for (int i = 0; i < 400; i++) {
            net.a.send(SimNetwork.ipv4(i, 100));
            net.runFor(1 * S);
        }
        assertThat(net.b.delivered).hasSize(400);
        assertThat(net.a.tunnel.handshakesSent()).isBetween(3L, 4L);
        List<TunnelEvent> established = net.a.events.stream()
                .filter(TunnelEvent.SessionEstablished.class::isInstance).toList();
        assertThat(established.get(1).atNs() - established.get(0).atNs()).isBetween(120 * S, 122 * S);
        assertThat(net.a.count(TunnelEvent.SessionExpired.class)).isZero();
    }

    @Test
    void packetSentAt179SecondsThatWouldArriveAfter180IsNotLost() {
        SimNetwork net = new SimNetwork(8, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        net.latencyNs = 2 * S;
        net.a.send(SimNetwork.ipv4(1, 60));
        net.runFor(6 * S);
        long establishedNs = net.a.events.getFirst().atNs();
        net.runUntil(establishedNs + 179 * S + 500 * MS);
        long handshakesBefore = net.a.tunnel.handshakesSent();
        assertThat(net.a.send(SimNetwork.ipv4(2, 60))).isEqualTo(Action.WRITE_TO_NETWORK);
        assertThat(net.a.tunnel.handshakesSent()).as("re-keyed instead of using the old session")
                .isEqualTo(handshakesBefore + 1);
        assertThat(net.a.tunnel.queuedPackets()).isEqualTo(1);
        net.runFor(10 * S);
        assertThat(net.b.delivered).extracting(SimNetwork::idOf).containsExactly(1, 2);
        assertThat(net.b.tunnel.dropCount(DropReason.SESSION_EXPIRED)).isZero();
    }

    @Test
    void idleSessionExpiresAt180SecondsAndKeysAreErasedLater() {
        SimNetwork net = new SimNetwork(9, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        net.a.send(SimNetwork.ipv4(1, 60));
        net.runFor(1 * S);
        net.runFor(200 * S);
        assertThat(net.a.count(TunnelEvent.SessionExpired.class)).isEqualTo(1);
        assertThat(net.b.count(TunnelEvent.SessionExpired.class)).isEqualTo(1);
        assertThat(net.a.tunnel.hasSendableSession()).isFalse();
        net.runFor(400 * S);
        assertThat(net.a.count(TunnelEvent.KeysErased.class)).isEqualTo(1);
        assertThat(net.a.device.indicesInUse()).isZero();
        assertThat(net.b.device.indicesInUse()).isZero();
        assertThat(net.a.device.nextTimerDeadlineNs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void initiatorUnderLoadGetsACookieRetriesWithMac2AndSucceeds() {
        SimNetwork net = new SimNetwork(10, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        net.b.device.setUnderLoad(true);
        net.a.send(SimNetwork.ipv4(1, 60));
        net.runFor(1 * S);
        assertThat(net.b.device.cookieRepliesSent()).isEqualTo(1);
        assertThat(net.a.device.handshakeCount(HandshakeCounter.COOKIE_REPLIES_ACCEPTED)).isEqualTo(1);
        assertThat(net.b.device.handshakeCount(HandshakeCounter.INITIATIONS_RECEIVED)).as("no DH without mac2").isZero();
        assertThat(net.b.delivered).isEmpty();
        net.runFor(6 * S);
        assertThat(net.b.delivered).extracting(SimNetwork::idOf).containsExactly(1);
        assertThat(net.b.device.cookieRepliesSent()).isEqualTo(1);
    }

    @Test
    void handshakeGivesUpAfterRekeyAttemptTimeAndDropsTheQueue() {
        SimNetwork net = new SimNetwork(11, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        net.lossRate = 1.0;
        net.a.send(SimNetwork.ipv4(1, 60));
        net.runFor(89 * S);
        assertThat(net.a.count(TunnelEvent.HandshakeExpired.class)).isZero();
        net.runFor(2 * S);
        assertThat(net.a.count(TunnelEvent.HandshakeExpired.class)).isEqualTo(1);
        assertThat(net.a.tunnel.handshakesSent()).isBetween(16L, 18L);
        assertThat(net.a.device.handshakeCount(HandshakeCounter.INITIATIONS_SENT)).isEqualTo(net.a.tunnel.handshakesSent());
        assertThat(net.a.device.handshakeCount(HandshakeCounter.RESPONSES_ACCEPTED)).isZero();
        assertThat(net.a.tunnel.dropCount(DropReason.HANDSHAKE_GAVE_UP)).isEqualTo(1);
        assertThat(net.a.tunnel.handshakeInProgress()).isFalse();
    }

    @Test
    void iceRekeyAttemptTimeGivesUpAfter20Seconds() {
        SimNetwork net = new SimNetwork(12, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        net.a.device.updatePeer(net.a.tunnel.config().withRekeyAttemptTimeNs(PeerConfig.ICE_REKEY_ATTEMPT_TIME_NS),
                net.nowNs);
        net.lossRate = 1.0;
        net.a.send(SimNetwork.ipv4(1, 60));
        net.runFor(21 * S);
        assertThat(net.a.count(TunnelEvent.HandshakeExpired.class)).isEqualTo(1);
    }

    @Test
    void clockJumpingForwardByHoursExpiresEverythingAndANewHandshakeWorks() {
        SimNetwork net = new SimNetwork(13, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        net.a.send(SimNetwork.ipv4(1, 60));
        net.runFor(1 * S);
        net.jump(5 * 3600 * S);
        net.a.runTimers();
        net.b.runTimers();
        assertThat(net.a.tunnel.hasSendableSession()).isFalse();
        assertThat(net.a.count(TunnelEvent.KeysErased.class)).isEqualTo(1);
        assertThat(net.b.count(TunnelEvent.KeysErased.class)).isEqualTo(1);
        net.a.send(SimNetwork.ipv4(2, 60));
        net.runFor(1 * S);
        assertThat(net.b.delivered).extracting(SimNetwork::idOf).containsExactly(1, 2);
    }

    @Test
    void responderSendsKeepaliveTenSecondsAfterReceivingDataWhenItHasNothingToSay() {
        SimNetwork net = new SimNetwork(14, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        net.a.send(SimNetwork.ipv4(1, 60));
        net.runFor(9 * S);
        assertThat(net.b.tunnel.keepalivesSent()).isZero();
        net.runFor(2 * S);
        assertThat(net.b.tunnel.keepalivesSent()).isEqualTo(1);
        assertThat(net.a.tunnel.keepalivesReceived()).isEqualTo(1);
    }

    @Test
    void persistentKeepaliveIsOffByDefaultAndSendsWhenConfigured() {
        SimNetwork net = new SimNetwork(15, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        net.a.send(SimNetwork.ipv4(1, 60));
        net.runFor(100 * S);
        long quiet = net.a.tunnel.keepalivesSent();
        assertThat(quiet).isLessThanOrEqualTo(1);
        net.a.device.updatePeer(net.a.tunnel.config().withPersistentKeepaliveIntervalNs(25 * S), net.nowNs);
        net.runFor(60 * S);
        assertThat(net.a.tunnel.keepalivesSent()).isGreaterThanOrEqualTo(quiet + 2);
    }
}
