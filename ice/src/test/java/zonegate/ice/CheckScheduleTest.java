package zonegate.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.ice.Net.MS;
import static zonegate.ice.Net.S;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Checks into the void: retransmitted at exactly the profile's instants, failing the pair (and, after
 * both end-of-candidates, the agent) at exactly the profile's transaction timeout.
 */
class CheckScheduleTest {

    private static Peer lonePeer(IceConfig config, boolean remoteEnd) {
        Net net = new Net();
        Peer peer = net.peer("lone", config, IceRole.CONTROLLING, null, 1);
        peer.agent.setRemoteCredentials(IceCredentials.random(new SplittableRandom(9)), 0);
        net.gather(peer, false);
        peer.agent.addRemoteCandidate(Candidate.host(Net.address("203.0.113.99", 7000)), 0);
        if (remoteEnd) {
            peer.agent.endOfRemoteCandidates(0);
        }
        net.runUntil(60 * S);
        return peer;
    }

    @Test
    void clientProfileRetransmitsAt250DoublingTo1500TwelveTimesAndFailsAt16750ms() {
        Peer peer = lonePeer(IceConfig.client(), true);

        assertThat(peer.sentAt(Stun.Kind.CHECK)).containsExactly(0L, 250 * MS, 750 * MS, 1750 * MS, 3250 * MS,
                4750 * MS, 6250 * MS, 7750 * MS, 9250 * MS, 10750 * MS, 12250 * MS, 13750 * MS, 15250 * MS);
        assertThat(IceConfig.client().checkTimeoutNs()).isEqualTo(16750 * MS);
        assertThat(peer.enteredAt(IceState.FAILED)).isEqualTo(16750 * MS);
        assertThat(peer.eventsOf(IceEvent.Failed.class)).containsExactly(new IceEvent.Failed(IceFailure.ALL_PAIRS_FAILED));
    }

    @Test
    void gatewayProfileRetransmits45TimesEvery325msAndFailsAt14875ms() {
        Peer peer = lonePeer(IceConfig.gateway(), true);

        List<Long> expected = new ArrayList<>(List.of(0L));
        for (int k = 0; k < 45; k++) {
            expected.add(250 * MS + k * 325 * MS);
        }
        assertThat(peer.sentAt(Stun.Kind.CHECK)).containsExactlyElementsOf(expected);
        assertThat(IceConfig.gateway().checkTimeoutNs()).isEqualTo(14875 * MS);
        assertThat(peer.enteredAt(IceState.FAILED)).isEqualTo(14875 * MS);
    }

    @Test
    void withoutRemoteEndOfCandidatesTheAgentKeepsWaitingAfterEveryPairFailed() {
        Peer peer = lonePeer(IceConfig.client(), false);

        assertThat(peer.agent.state()).isEqualTo(IceState.CHECKING);
        assertThat(peer.agent.pollTimeout()).isNull();
        peer.agent.endOfRemoteCandidates(60 * S);
        assertThat(peer.agent.state()).isEqualTo(IceState.FAILED);
    }

    @Test
    void newChecksArePacedOnePerTa() {
        Net net = new Net();
        Peer peer = net.peer("lone", IceConfig.client(), IceRole.CONTROLLING, null, 1);
        peer.agent.setRemoteCredentials(IceCredentials.random(new SplittableRandom(9)), 0);
        net.gather(peer, false);
        for (int i = 0; i < 4; i++) {
            peer.agent.addRemoteCandidate(Candidate.host(Net.address("203.0.113." + (90 + i), 7000)), 0);
        }
        net.runUntil(200 * MS);

        assertThat(peer.sentAt(Stun.Kind.CHECK)).startsWith(0L, 50 * MS, 100 * MS, 150 * MS);
    }

    @Test
    void noRemoteCandidateWithinTenSecondsFailsTheAgent() {
        Net net = new Net();
        Peer peer = net.peer("lone", IceConfig.client(), IceRole.CONTROLLED, null, 1);
        net.gather(peer, false);
        net.drain();
        assertThat(peer.agent.pollTimeout()).isEqualTo(new IceTimeout(10 * S, IceTimeout.Reason.CANDIDATE_TIMEOUT));

        net.runUntil(30 * S);

        assertThat(peer.enteredAt(IceState.FAILED)).isEqualTo(10 * S);
        assertThat(peer.eventsOf(IceEvent.Failed.class))
                .containsExactly(new IceEvent.Failed(IceFailure.NO_REMOTE_CANDIDATES));
        assertThat(peer.agent.pollTimeout()).isNull();
    }
}
