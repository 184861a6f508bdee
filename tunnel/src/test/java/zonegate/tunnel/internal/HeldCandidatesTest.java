package zonegate.tunnel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.filter.ClientId;
import zonegate.ice.Candidate;
import zonegate.tunnel.GatewayEvent;

class HeldCandidatesTest {
    private static final ClientId ALICE = ClientId.of("alice");
    private static final ClientId BOB = ClientId.of("bob");

    @Test
    void changesAreMergedPerClientAndAnAddThenRemoveCancelsOut() {
        HeldCandidates held = new HeldCandidates();
        Candidate host = Candidate.host(address("198.51.100.1", 5000));
        Candidate relayed = Candidate.host(address("198.51.100.2", 6000));
        held.hold(ALICE, List.of(host, relayed), List.of());
        held.hold(BOB, List.of(host), List.of());
        held.hold(ALICE, List.of(), List.of(relayed));

        assertThat(held.flush()).containsExactly(
                new GatewayEvent.CandidatesChanged(ALICE, List.of(host), List.of()),
                new GatewayEvent.CandidatesChanged(BOB, List.of(host), List.of()));
        assertThat(held.flush()).isEmpty();
    }

    @Test
    void aRemovalOfACandidateSignalledBeforeTheDisconnectIsKept() {
        HeldCandidates held = new HeldCandidates();
        Candidate old = Candidate.host(address("198.51.100.1", 5000));
        held.hold(ALICE, List.of(), List.of(old));
        assertThat(held.flush()).containsExactly(new GatewayEvent.CandidatesChanged(ALICE, List.of(), List.of(old)));
    }

    @Test
    void aForgottenClientFlushesNothing() {
        HeldCandidates held = new HeldCandidates();
        held.hold(ALICE, List.of(Candidate.host(address("198.51.100.1", 5000))), List.of());
        held.forget(ALICE);
        assertThat(held.flush()).isEmpty();
    }

    private static InetSocketAddress address(String ip, int port) {
        return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
    }
}
