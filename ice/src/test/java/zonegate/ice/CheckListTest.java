package zonegate.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.ice.InboundCheckTest.LOCAL;
import static zonegate.ice.InboundCheckTest.MINE;
import static zonegate.ice.InboundCheckTest.PEER;
import static zonegate.ice.InboundCheckTest.THEIRS;
import static zonegate.ice.InboundCheckTest.drainEvents;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.stun.StunAttributeType;

/** Our checks and their answers, pairing and its bounds, and which remote candidates are refused. */
class CheckListTest {
    private static final long MS = 1_000_000L;
    private final Wire wire = new Wire();

    private static IceAgent agent(IceConfig config, IceRole role) {
        IceAgent agent = new IceAgent(config, role, MINE, new SplittableRandom(2), 0);
        agent.setRemoteCredentials(THEIRS, 0);
        agent.addLocalCandidate(Candidate.host(LOCAL), 0);
        return agent;
    }

    /** Runs every deadline up to {@code targetNs} in order. */
    private static void advance(IceAgent agent, long targetNs) {
        for (IceTimeout t = agent.pollTimeout(); t != null && t.deadlineNs() <= targetNs; t = agent.pollTimeout()) {
            agent.handleTimeout(t.deadlineNs());
        }
    }

    /** Transmits polled so far, each (source, destination) once, in order of first appearance. */
    private static List<IceTransmit> firstSends(IceAgent agent) {
        List<IceTransmit> out = new ArrayList<>();
        for (IceTransmit t : transmits(agent)) {
            if (out.stream().noneMatch(o -> o.source().equals(t.source()) && o.destination().equals(t.destination()))) {
                out.add(t);
            }
        }
        return out;
    }

    private static List<IceTransmit> transmits(IceAgent agent) {
        List<IceTransmit> out = new ArrayList<>();
        for (IceTransmit t = agent.pollTransmit(); t != null; t = agent.pollTransmit()) {
            out.add(t);
        }
        return out;
    }

    @Test
    void a487AnswerSwitchesRoleAndRetriesThePairAtTheNextTa() {
        IceAgent agent = agent(IceConfig.client(), IceRole.CONTROLLING);
        agent.addRemoteCandidate(Candidate.host(PEER), 0);
        IceTransmit check = agent.pollTransmit();
        assertThat(wire.parse(check.payload()).has(StunAttributeType.ICE_CONTROLLING)).isTrue();

        agent.handleInput(LOCAL, PEER, wire.answer(check.payload(), LOCAL, 487, THEIRS.password()), 10 * MS);
        assertThat(agent.role()).isEqualTo(IceRole.CONTROLLED);
        assertThat(agent.pollTimeout()).isEqualTo(new IceTimeout(50 * MS, IceTimeout.Reason.PACING));
        agent.handleTimeout(50 * MS);

        IceTransmit retry = agent.pollTransmit();
        assertThat(retry.destination()).isEqualTo(PEER);
        assertThat(wire.parse(retry.payload()).has(StunAttributeType.ICE_CONTROLLED)).isTrue();
    }

    @Test
    void anAnswerFromAnotherAddressFailsThePair() {
        IceAgent agent = agent(IceConfig.client(), IceRole.CONTROLLING);
        agent.endOfLocalCandidates(0);
        agent.addRemoteCandidate(Candidate.host(PEER), 0);
        agent.endOfRemoteCandidates(0);
        IceTransmit check = agent.pollTransmit();

        agent.handleInput(LOCAL, Net.address("198.51.100.8", 6000),
                wire.answer(check.payload(), LOCAL, 0, THEIRS.password()), 10 * MS);

        assertThat(agent.state()).isEqualTo(IceState.FAILED);
        assertThat(drainEvents(agent)).contains(new IceEvent.Failed(IceFailure.ALL_PAIRS_FAILED));
        assertThat(agent.handleInput(LOCAL, PEER, wire.check(MINE, THEIRS, IceRole.CONTROLLED, 1, false), 20 * MS))
                .isFalse();
    }

    @Test
    void anAnswerWithBadIntegrityIsDroppedAndTheCheckGoesOn() {
        IceAgent agent = agent(IceConfig.client(), IceRole.CONTROLLING);
        agent.addRemoteCandidate(Candidate.host(PEER), 0);
        IceTransmit check = agent.pollTransmit();

        agent.handleInput(LOCAL, PEER, wire.answer(check.payload(), LOCAL, 0, "notThePeersPasswordAtAll"), 10 * MS);

        assertThat(agent.counters().malformed()).isEqualTo(1);
        assertThat(agent.pollTimeout()).isEqualTo(new IceTimeout(250 * MS, IceTimeout.Reason.RETRANSMIT));
        agent.handleTimeout(250 * MS);
        assertThat(agent.pollTransmit().payload()).isEqualTo(check.payload().rewind());
    }

    @Test
    void pairsAreBoundedAndTheLowestPrioritiesDroppedAndCounted() {
        IceAgent agent = agent(IceConfig.client().withMaxPairs(3), IceRole.CONTROLLING);
        for (int i = 0; i < 5; i++) {
            agent.addRemoteCandidate(new Candidate("f" + i, 1, 1000 + i, Net.address("198.51.100." + (10 + i), 6000),
                    CandidateType.HOST, null), 0);
        }
        advance(agent, 1000 * MS);

        assertThat(agent.counters().prunedPairs()).isEqualTo(2);
        assertThat(firstSends(agent)).extracting(t -> t.destination().getAddress().getHostAddress())
                // .10 was checked at once (in progress, kept); .11 and .12 were the lowest Waiting pairs
                .containsExactly("198.51.100.10", "198.51.100.14", "198.51.100.13");
    }

    @Test
    void checksGoToTheHighestPriorityPairFirst() {
        IceAgent agent = agent(IceConfig.client(), IceRole.CONTROLLING);
        agent.addLocalCandidate(Candidate.relayed(Net.address("198.51.100.2", 50000), null), 0);
        agent.addRemoteCandidate(Candidate.relayed(Net.address("198.51.100.3", 50001), null), 0);
        agent.addRemoteCandidate(Candidate.host(PEER), 0);
        advance(agent, 200 * MS);

        assertThat(firstSends(agent)).extracting(IceTransmit::source, IceTransmit::destination).containsExactly(
                org.assertj.core.groups.Tuple.tuple(LOCAL, Net.address("198.51.100.3", 50001)), // first come, sent at once
                org.assertj.core.groups.Tuple.tuple(LOCAL, PEER),
                org.assertj.core.groups.Tuple.tuple(Net.address("198.51.100.2", 50000), PEER),
                org.assertj.core.groups.Tuple.tuple(Net.address("198.51.100.2", 50000), Net.address("198.51.100.3", 50001)));
    }

    @Test
    void localPrioritiesAreMadeUniqueAndServerReflexiveCandidatesAreSignalledNotPaired() {
        IceAgent agent = new IceAgent(IceConfig.client(), IceRole.CONTROLLING, MINE, new SplittableRandom(2), 0);
        InetSocketAddress second = Net.address("192.0.2.2", 5000);
        agent.addLocalCandidate(Candidate.host(LOCAL), 0);
        agent.addLocalCandidate(Candidate.host(second), 0);
        agent.addLocalCandidate(Candidate.serverReflexive(Net.address("203.0.113.9", 40000), LOCAL), 0);

        assertThat(drainEvents(agent)).extracting(e -> ((IceEvent.LocalCandidateGathered) e).candidate().priority())
                .containsExactly(2130706431L, 2130706431L - 256, 1694498815L);

        agent.setRemoteCredentials(THEIRS, 0);
        agent.addRemoteCandidate(Candidate.host(PEER), 0);
        advance(agent, 500 * MS);
        assertThat(firstSends(agent)).extracting(IceTransmit::source).containsExactlyInAnyOrder(LOCAL, second);
    }

    @Test
    void remoteCandidatesAreRefusedWithAReason() {
        IceAgent agent = agent(IceConfig.client(), IceRole.CONTROLLING);
        agent.endOfLocalCandidates(0);
        Candidate ok = Candidate.host(PEER);
        Candidate v6 = Candidate.host(Net.address("2001:db8::1", 6000));
        Candidate component2 = new Candidate("x", 2, 100, Net.address("198.51.100.9", 1), CandidateType.HOST, null);
        agent.addRemoteCandidate(ok, 0);
        agent.addRemoteCandidate(ok, 0);
        agent.addRemoteCandidate(v6, 0);
        agent.addRemoteCandidate(component2, 0);

        assertThat(drainEvents(agent)).filteredOn(e -> !(e instanceof IceEvent.StateChanged)).containsExactly(
                new IceEvent.LocalCandidateGathered(Candidate.host(LOCAL)),
                new IceEvent.RemoteCandidateAdded(ok),
                new IceEvent.RemoteCandidateIgnored(ok, IgnoredReason.DUPLICATE),
                new IceEvent.RemoteCandidateIgnored(v6, IgnoredReason.WRONG_FAMILY),
                new IceEvent.RemoteCandidateIgnored(component2, IgnoredReason.INVALID));
        assertThat(agent.counters().ignoredCandidates()).isEqualTo(3);
    }

    @Test
    void remoteCandidatesAreBounded() {
        IceAgent agent = agent(IceConfig.client(), IceRole.CONTROLLING);
        for (int i = 0; i < IceAgent.MAX_REMOTE_CANDIDATES + 1; i++) {
            agent.addRemoteCandidate(Candidate.host(Net.address("198.51.100.1", 1000 + i)), 0);
        }
        assertThat(agent.remoteCandidates()).hasSize(IceAgent.MAX_REMOTE_CANDIDATES);
        assertThat(drainEvents(agent).getLast()).isInstanceOf(IceEvent.RemoteCandidateIgnored.class)
                .extracting("reason").isEqualTo(IgnoredReason.LIMIT);
    }

    @Test
    void aSignalledCandidateReplacesTheLearnedPeerReflexiveOne() {
        IceAgent agent = agent(IceConfig.client(), IceRole.CONTROLLED);
        agent.handleInput(LOCAL, PEER, wire.check(MINE, THEIRS, IceRole.CONTROLLING, 5, false), 0);
        Candidate signalled = Candidate.serverReflexive(PEER, Net.address("10.0.0.5", 6000));

        agent.addRemoteCandidate(signalled, 0);

        assertThat(agent.remoteCandidates()).containsExactly(signalled);
    }
}
