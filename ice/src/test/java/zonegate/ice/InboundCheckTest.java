package zonegate.ice;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunCredentials;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMessageWriter;
import zonegate.stun.StunMethod;

/** Checks from a hand-driven peer (shaped like aioice's): answers, refusals, role conflicts, learning. */
class InboundCheckTest {
    static final InetSocketAddress LOCAL = Net.address("192.0.2.1", 5000);
    static final InetSocketAddress PEER = Net.address("198.51.100.7", 6000);
    static final IceCredentials MINE = new IceCredentials("mineUfrag", "minePasswordminePassword");
    static final IceCredentials THEIRS = new IceCredentials("peerUfrag", "peerPasswordpeerPassword12");

    private final Wire wire = new Wire();

    static IceAgent agent(IceRole role) {
        IceAgent agent = new IceAgent(IceConfig.client(), role, MINE, new SplittableRandom(1), 0);
        agent.addLocalCandidate(Candidate.host(LOCAL), 0);
        agent.endOfLocalCandidates(0);
        drainEvents(agent);
        return agent;
    }

    static List<IceEvent> drainEvents(IceAgent agent) {
        List<IceEvent> events = new ArrayList<>();
        for (IceEvent e = agent.pollEvent(); e != null; e = agent.pollEvent()) {
            events.add(e);
        }
        return events;
    }

    @Test
    void answersACheckBeforeRemoteCredentialsOrCandidatesAreKnownThenChecksBackOnceTheyAre() {
        IceAgent agent = agent(IceRole.CONTROLLED);

        assertThat(agent.handleInput(LOCAL, PEER, wire.check(MINE, THEIRS, IceRole.CONTROLLING, 5, false), 0)).isTrue();

        IceTransmit answer = agent.pollTransmit();
        assertThat(answer.source()).isEqualTo(LOCAL);
        assertThat(answer.destination()).isEqualTo(PEER);
        StunMessageView m = wire.parse(answer.payload());
        assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(m.xorMappedAddress()).isEqualTo(PEER);
        assertThat(m.hasFingerprint()).isTrue();
        assertThat(wire.signedWith(answer.payload(), MINE.password())).isTrue();
        assertThat(agent.pollTransmit()).isNull();
        assertThat(agent.remoteCandidates()).singleElement().satisfies(c -> {
            assertThat(c.type()).isEqualTo(CandidateType.PEER_REFLEXIVE);
            assertThat(c.priority()).isEqualTo(1853817087L);
            assertThat(c.address()).isEqualTo(PEER);
        });

        agent.setRemoteCredentials(THEIRS, 1);

        IceTransmit check = agent.pollTransmit();
        assertThat(check.destination()).isEqualTo(PEER);
        StunMessageView c = wire.parse(check.payload());
        assertThat(c.messageClass()).isEqualTo(StunClass.REQUEST);
        assertThat(c.username()).isEqualTo("peerUfrag:mineUfrag");
        assertThat(c.priority()).isEqualTo(Candidate.priority(CandidateType.PEER_REFLEXIVE, 65535, 1));
        assertThat(c.has(StunAttributeType.ICE_CONTROLLED)).isTrue();
        assertThat(c.has(StunAttributeType.USE_CANDIDATE)).isFalse();
        assertThat(c.hasFingerprint()).isTrue();
        assertThat(wire.signedWith(check.payload(), THEIRS.password())).isTrue();
    }

    @Test
    void aCheckForAnotherUfragIsLeftToTheCaller() {
        IceAgent agent = agent(IceRole.CONTROLLED);
        ByteBuffer other = wire.check("someoneElse:peerUfrag", 1, IceRole.CONTROLLING, 5, false, new byte[] {1});

        assertThat(agent.handleInput(LOCAL, PEER, other, 0)).isFalse();
        assertThat(agent.pollTransmit()).isNull();
        assertThat(agent.counters().notForThisAgent()).isEqualTo(1);
    }

    @Test
    void badIntegrityIsAnswered401WithoutIntegrity() {
        IceAgent agent = agent(IceRole.CONTROLLED);
        ByteBuffer forged = wire.check("mineUfrag:peerUfrag", 1, IceRole.CONTROLLING, 5, false, new byte[] {1, 2, 3});

        assertThat(agent.handleInput(LOCAL, PEER, forged, 0)).isTrue();

        ByteBuffer answer = agent.pollTransmit().payload();
        assertThat(wire.parse(answer).errorCode()).isEqualTo(401);
        assertThat(wire.parse(answer).has(StunAttributeType.MESSAGE_INTEGRITY)).isFalse();
        assertThat(agent.remoteCandidates()).isEmpty();
        assertThat(agent.counters().refusedChecks()).isEqualTo(1);
    }

    @Test
    void missingIntegrityIsAnswered400() {
        IceAgent agent = agent(IceRole.CONTROLLED);

        agent.handleInput(LOCAL, PEER, wire.check("mineUfrag:peerUfrag", 1, IceRole.CONTROLLING, 5, false, null), 0);

        assertThat(wire.parse(agent.pollTransmit().payload()).errorCode()).isEqualTo(400);
    }

    @Test
    void anUnknownComprehensionRequiredAttributeIsAnswered420Signed() {
        IceAgent agent = agent(IceRole.CONTROLLED);
        byte[] key = StunCredentials.shortTermKey(MINE.password());
        ByteBuffer check = ByteBuffer.allocate(512);
        StunMessageWriter writer = new StunMessageWriter();
        int length = writer.begin(check, 0, check.capacity(),
                        StunMethod.BINDING.type(StunClass.REQUEST), 7, 7L)
                .addText(StunAttributeType.USERNAME, "mineUfrag:peerUfrag").addPriority(7)
                .addIceControlling(5).addEmpty(0x7F01)
                .addMessageIntegrity(key).addFingerprint().finish();

        agent.handleInput(LOCAL, PEER, check.limit(length), 0);

        ByteBuffer answer = agent.pollTransmit().payload();
        StunMessageView view = wire.parse(answer);
        assertThat(view.errorCode()).isEqualTo(420);
        assertThat(view.unknownAttributesCount()).isEqualTo(1);
        assertThat(view.unknownAttribute(0)).isEqualTo(0x7F01);
        assertThat(wire.signedWith(answer, MINE.password())).isTrue();
        assertThat(agent.remoteCandidates()).isEmpty();
        assertThat(agent.counters().refusedChecks()).isEqualTo(1);
    }

    @Test
    void missingPriorityOrRoleIsAnswered400Signed() {
        IceAgent agent = agent(IceRole.CONTROLLED);
        byte[] key = StunCredentials.shortTermKey(MINE.password());

        agent.handleInput(LOCAL, PEER, wire.check("mineUfrag:peerUfrag", 0, IceRole.CONTROLLING, 5, false, key), 0);
        agent.handleInput(LOCAL, PEER, wire.check("mineUfrag:peerUfrag", 7, null, 5, false, key), 0);

        for (int i = 0; i < 2; i++) {
            ByteBuffer answer = agent.pollTransmit().payload();
            assertThat(wire.parse(answer).errorCode()).isEqualTo(400);
            assertThat(wire.signedWith(answer, MINE.password())).isTrue();
        }
        assertThat(agent.remoteCandidates()).isEmpty();
    }

    @Test
    void controllingAgentWithTheLargerTieBreakerAnswers487AndKeepsItsRole() {
        IceAgent agent = agent(IceRole.CONTROLLING);

        agent.handleInput(LOCAL, PEER, wire.check(MINE, THEIRS, IceRole.CONTROLLING, 0, false), 0);

        ByteBuffer answer = agent.pollTransmit().payload();
        assertThat(wire.parse(answer).errorCode()).isEqualTo(487);
        assertThat(wire.signedWith(answer, MINE.password())).isTrue();
        assertThat(agent.role()).isEqualTo(IceRole.CONTROLLING);
    }

    @Test
    void controllingAgentWithTheSmallerTieBreakerSwitchesToControlledAndAnswers() {
        IceAgent agent = agent(IceRole.CONTROLLING);

        agent.handleInput(LOCAL, PEER, wire.check(MINE, THEIRS, IceRole.CONTROLLING, -1L, false), 0);

        assertThat(Stun.kind(agent.pollTransmit().payload())).isEqualTo(Stun.Kind.SUCCESS);
        assertThat(agent.role()).isEqualTo(IceRole.CONTROLLED);
        assertThat(drainEvents(agent)).contains(new IceEvent.RoleChanged(IceRole.CONTROLLED));
    }

    @Test
    void controlledAgentAnswers487ToAControlledCheckWithALargerTieBreaker() {
        IceAgent agent = agent(IceRole.CONTROLLED);

        agent.handleInput(LOCAL, PEER, wire.check(MINE, THEIRS, IceRole.CONTROLLED, -1L, false), 0);

        assertThat(wire.parse(agent.pollTransmit().payload()).errorCode()).isEqualTo(487);
        assertThat(agent.role()).isEqualTo(IceRole.CONTROLLED);
    }

    @Test
    void aggressiveNominationFromAioiceIsFollowedOnceOurTriggeredCheckSucceeds() {
        IceAgent agent = agent(IceRole.CONTROLLED);
        agent.setRemoteCredentials(THEIRS, 0);

        agent.handleInput(LOCAL, PEER, wire.check(MINE, THEIRS, IceRole.CONTROLLING, 5, true), 0);
        assertThat(Stun.kind(agent.pollTransmit().payload())).isEqualTo(Stun.Kind.SUCCESS);
        IceTransmit triggered = agent.pollTransmit();
        assertThat(triggered.destination()).isEqualTo(PEER);
        assertThat(agent.state()).isEqualTo(IceState.CHECKING);

        agent.handleInput(LOCAL, PEER, wire.answer(triggered.payload(), LOCAL, 0, THEIRS.password()), 20_000_000L);

        assertThat(agent.state()).isEqualTo(IceState.CONNECTED);
        SelectedPair pair = agent.selectedPair().orElseThrow();
        assertThat(pair.localAddress()).isEqualTo(LOCAL);
        assertThat(pair.remoteAddress()).isEqualTo(PEER);
        assertThat(pair.relayed()).isFalse();
        assertThat(drainEvents(agent)).contains(new IceEvent.PairNominated(pair));
    }

    @Test
    void useCandidateOnAnAlreadyValidPairNominatesAtOnce() {
        IceAgent agent = agent(IceRole.CONTROLLED);
        agent.setRemoteCredentials(THEIRS, 0);
        agent.addRemoteCandidate(Candidate.host(PEER), 0);
        IceTransmit check = agent.pollTransmit();
        agent.handleInput(LOCAL, PEER, wire.answer(check.payload(), LOCAL, 0, THEIRS.password()), 10_000_000L);
        assertThat(agent.state()).isEqualTo(IceState.CHECKING);

        agent.handleInput(LOCAL, PEER, wire.check(MINE, THEIRS, IceRole.CONTROLLING, 5, true), 20_000_000L);

        assertThat(agent.state()).isEqualTo(IceState.CONNECTED);
        assertThat(agent.selectedPair().orElseThrow().remote().type()).isEqualTo(CandidateType.HOST);
    }

    @Test
    void nonStunDatagramsAreLeftToTheCaller() {
        IceAgent agent = agent(IceRole.CONTROLLED);
        ByteBuffer wireguard = ByteBuffer.wrap(new byte[] {4, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8});

        assertThat(agent.handleInput(LOCAL, PEER, wireguard, 0)).isFalse();
        assertThat(wireguard.position()).isZero();
    }
}
