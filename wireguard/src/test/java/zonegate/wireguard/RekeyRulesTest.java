package zonegate.wireguard;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.wireguard.SimNetwork.MS;
import static zonegate.wireguard.SimNetwork.S;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The re-key and reject rules other than sending after REKEY_AFTER_TIME: message limits (with small
 * limits, 100 and 200, so a test can reach them) and the initiator's receive-side rule.
 */
class RekeyRulesTest {
    private static final WireGuardConfig SMALL_LIMITS = WireGuardConfig.DEFAULT.withMessageLimits(100, 200);

    @Test
    void defaultMessageLimitsAreThoseOfTheProtocol() {
        assertThat(WireGuardConfig.DEFAULT.rekeyAfterMessages()).isEqualTo(1L << 60);
        assertThat(Long.toUnsignedString(WireGuardConfig.DEFAULT.rejectAfterMessages()))
                .isEqualTo("18446744073709543423");
    }

    @Test
    void initiatorRekeysAfterRekeyAfterMessagesWithoutLosingTraffic() {
        SimNetwork net = new SimNetwork(31, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY, SMALL_LIMITS);
        for (int i = 0; i < 150; i++) {
            net.a.send(SimNetwork.ipv4(i, 80));
            net.runFor(10 * MS);
        }
        net.runFor(100 * MS);

        assertThat(net.a.tunnel.handshakesSent()).isEqualTo(2);
        assertThat(net.a.count(TunnelEvent.SessionEstablished.class)).isEqualTo(2);
        assertThat(Long.compareUnsigned(net.a.tunnel.keypairs.current().sendCounter, 100)).isNegative();
        assertThat(net.b.delivered).extracting(SimNetwork::idOf)
                .containsExactlyElementsOf(IntStream.range(0, 150).boxed().toList());
    }

    @Test
    void initiatorNeverSendsAtRejectAfterMessagesAndQueuesWhileItRekeys() {
        SimNetwork net = new SimNetwork(32, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY, SMALL_LIMITS);
        net.a.send(SimNetwork.ipv4(0, 80));
        net.runFor(1 * S);
        net.lossRate = 1.0;
        int written = 0;
        for (int i = 1; i <= 230; i++) {
            if (net.a.send(SimNetwork.ipv4(i, 80)) == Action.WRITE_TO_NETWORK) {
                written++;
            }
            net.runFor(1 * MS);
        }

        assertThat(written).as("counters 1..199 on the session").isEqualTo(199);
        assertThat(net.a.tunnel.keypairs.current().sendCounter).isEqualTo(200);
        assertThat(net.a.tunnel.handshakeInProgress()).isTrue();
        assertThat(net.a.tunnel.queuedPackets()).isEqualTo(WireGuardConfig.DEFAULT.maxQueuedPacketsPerPeer());
        assertThat(net.a.tunnel.dropCount(DropReason.QUEUE_FULL)).isEqualTo(230 - 199 - 16);
    }

    @Test
    void receiverDropsCountersAtOrAboveRejectAfterMessages() {
        SimNetwork net = new SimNetwork(33, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY, WireGuardConfig.DEFAULT,
                SMALL_LIMITS);
        net.a.send(SimNetwork.ipv4(0, 80));
        net.runFor(1 * S);
        for (int i = 1; i < 251; i++) {
            net.a.send(SimNetwork.ipv4(i, 80));
            net.runFor(1 * MS);
        }
        net.runFor(100 * MS);

        assertThat(net.a.tunnel.handshakesSent()).isEqualTo(1);
        assertThat(net.b.delivered).extracting(SimNetwork::idOf)
                .containsExactlyElementsOf(IntStream.range(0, 200).boxed().toList());
        assertThat(net.b.tunnel.dropCount(DropReason.SESSION_EXPIRED)).isEqualTo(51);
    }

    @Test
    void responderStopsSendingAtRejectAfterMessages() {
        SimNetwork net = new SimNetwork(34, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY, SMALL_LIMITS);
        net.a.send(SimNetwork.ipv4(0, 80));
        net.runFor(1 * S);
        for (int i = 0; i < 210; i++) {
            net.b.send(SimNetwork.ipv4(i, 80));
        }
        net.runFor(100 * MS);

        assertThat(net.a.delivered).hasSize(200);
        assertThat(net.b.tunnel.dropCount(DropReason.NO_SESSION)).isEqualTo(10);
        assertThat(net.b.tunnel.handshakesSent()).isZero();
    }

    @Test
    void initiatorRekeysWhenItReceivesOnASessionOlderThan165Seconds() {
        SimNetwork net = new SimNetwork(35, PeerRole.INITIATOR, PeerRole.RESPONDER_ONLY);
        net.a.send(SimNetwork.ipv4(0, 80));
        net.runFor(1 * S);
        long establishedNs = net.a.events.getFirst().atNs();

        net.runUntil(establishedNs + 160 * S);
        net.b.send(SimNetwork.ipv4(1, 80));
        net.runUntil(establishedNs + 165 * S);
        assertThat(net.a.tunnel.handshakesSent()).as("received at 160 s: no re-key yet").isEqualTo(1);

        net.runUntil(establishedNs + 165 * S + 500 * MS);
        net.b.send(SimNetwork.ipv4(2, 80));
        net.runFor(30 * MS);
        assertThat(net.a.tunnel.handshakesSent()).as("received at 165.5 s without sending").isEqualTo(2);
        net.runFor(1 * S);
        assertThat(net.a.count(TunnelEvent.SessionEstablished.class)).isEqualTo(2);
        assertThat(net.a.delivered).extracting(SimNetwork::idOf).containsExactly(1, 2);
    }
}
