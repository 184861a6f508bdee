package zonegate.ice;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.ice.Net.S;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Nomination, role conflicts, candidates after nomination, and what gets logged. */
class NominationTest {

    @Test
    void controllingNominatesWithUseCandidateAndControlledFollows() {
        Net net = Net.connectedPair(IceConfig.client(), IceRole.CONTROLLING, IceConfig.gateway(), IceRole.CONTROLLED);

        assertThat(net.client().sentAt(Stun.Kind.NOMINATION)).hasSize(1);
        assertThat(net.gateway().sentAt(Stun.Kind.NOMINATION)).isEmpty();
        SelectedPair c = net.client().agent.selectedPair().orElseThrow();
        SelectedPair g = net.gateway().agent.selectedPair().orElseThrow();
        assertThat(c.remoteAddress()).isEqualTo(g.localAddress());
        assertThat(g.remoteAddress()).isEqualTo(c.localAddress());
        assertThat(c.relayed()).isFalse();
    }

    @Test
    void bothControllingResolvesToOneControllingAgent() {
        Net net = Net.connectedPair(IceConfig.client(), IceRole.CONTROLLING, IceConfig.client(), IceRole.CONTROLLING);

        assertRolesResolved(net);
    }

    @Test
    void bothControlledResolvesToOneControllingAgent() {
        Net net = Net.connectedPair(IceConfig.gateway(), IceRole.CONTROLLED, IceConfig.gateway(), IceRole.CONTROLLED);

        assertRolesResolved(net);
    }

    private static void assertRolesResolved(Net net) {
        Peer a = net.client();
        Peer b = net.gateway();
        assertThat(a.agent.state()).isEqualTo(IceState.CONNECTED);
        assertThat(b.agent.state()).isEqualTo(IceState.CONNECTED);
        assertThat(List.of(a.agent.role(), b.agent.role()))
                .containsExactlyInAnyOrder(IceRole.CONTROLLING, IceRole.CONTROLLED);
        assertThat(Stream.of(a, b).mapToInt(p -> p.eventsOf(IceEvent.RoleChanged.class).size()).sum()).isEqualTo(1);
        Peer controlling = a.agent.role() == IceRole.CONTROLLING ? a : b;
        Peer controlled = controlling == a ? b : a;
        assertThat(controlling.sentAt(Stun.Kind.NOMINATION)).isNotEmpty();
        assertThat(controlled.sentAt(Stun.Kind.NOMINATION)).isEmpty();
        assertThat(controlled.agent.selectedPair().orElseThrow().remoteAddress())
                .isEqualTo(controlling.agent.selectedPair().orElseThrow().localAddress());
    }

    @Test
    void aCandidateAfterNominationIsIgnoredWithAnEventAndExactlyOneLogLine() {
        Net net = Net.connectedPair(IceConfig.client(), IceRole.CONTROLLING, IceConfig.gateway(), IceRole.CONTROLLED);
        Peer client = net.client();
        Candidate late = Candidate.host(Net.address("203.0.113.77", 9999));
        int before = LogCapture.linesContaining(client.tag()).size();

        client.agent.addRemoteCandidate(late, net.nowNs);
        net.drain();

        assertThat(client.events.getLast().event())
                .isEqualTo(new IceEvent.RemoteCandidateIgnored(late, IgnoredReason.AFTER_NOMINATION));
        List<String> lines = LogCapture.linesContaining(client.tag());
        assertThat(lines.subList(before, lines.size())).singleElement().asString()
                .startsWith("INFO").contains(late.toSdp());
        assertThat(client.agent.remoteCandidates()).doesNotContain(late);
        assertThat(client.agent.counters().ignoredCandidates()).isEqualTo(1);
    }

    @Test
    void nothingIsLoggedPerTickOnceConnectedIdleOrBusy() {
        Net net = Net.connectedPair(IceConfig.client(), IceRole.CONTROLLING, IceConfig.gateway(), IceRole.CONTROLLED);
        Peer client = net.client();
        Peer gateway = net.gateway();
        int clientLines = LogCapture.linesContaining(client.tag()).size();
        int gatewayLines = LogCapture.linesContaining(gateway.tag()).size();

        net.runUntil(net.nowNs + 600 * S);
        for (int s = 0; s < 120; s++) {
            net.runUntil(net.nowNs + S);
            client.agent.noteTraffic(net.nowNs);
            gateway.agent.noteTraffic(net.nowNs);
        }

        assertThat(client.sentAt(Stun.Kind.CHECK).size()).isGreaterThan(40);
        assertThat(LogCapture.linesContaining(client.tag())).hasSize(clientLines);
        assertThat(LogCapture.linesContaining(gateway.tag())).hasSize(gatewayLines);
    }

    @Test
    void checkingLogsStateChangesNotRetransmissions() {
        Net net = new Net();
        Peer peer = net.peer("lone", IceConfig.client(), IceRole.CONTROLLING, null, 7);
        peer.agent.setRemoteCredentials(IceCredentials.random(new java.util.SplittableRandom(3)), 0);
        net.gather(peer, false);
        peer.agent.addRemoteCandidate(Candidate.host(Net.address("203.0.113.99", 7000)), 0);
        net.runUntil(S);
        int lines = LogCapture.linesContaining(peer.tag()).size();

        net.runUntil(16 * S);

        assertThat(peer.sentAt(Stun.Kind.CHECK)).hasSize(13);
        assertThat(LogCapture.linesContaining(peer.tag())).hasSize(lines);
    }
}
