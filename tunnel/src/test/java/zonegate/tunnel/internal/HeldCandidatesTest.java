package zonegate.tunnel.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.filter.ClientId;
import zonegate.ice.Candidate;
import zonegate.ice.CandidateType;
import zonegate.tunnel.GatewayEvent;

/** Candidate changes held while the control plane is away: merged per client by type and address. */
class HeldCandidatesTest {
    private static final ClientId ALICE = ClientId.of("alice");
    private static final InetSocketAddress BASE = new InetSocketAddress(InetAddress.ofLiteral("10.0.1.2"), 5000);
    private static final InetSocketAddress MAPPED = new InetSocketAddress(InetAddress.ofLiteral("203.0.113.11"), 40003);

    private static Candidate srflx(long priority) {
        return new Candidate("c6d0c7c4", 1, priority, MAPPED, CandidateType.SERVER_REFLEXIVE, BASE);
    }

    @Test
    void aCandidateAddedThenWithdrawnWithAnotherPriorityCancelsOut() {
        HeldCandidates held = new HeldCandidates();
        Candidate host = Candidate.host(BASE);

        held.hold(ALICE, List.of(host, srflx(1694498559L)), List.of());
        held.hold(ALICE, List.of(), List.of(srflx(1694498815L)));

        assertThat(held.flush()).containsExactly(new GatewayEvent.CandidatesChanged(ALICE, List.of(host), List.of()));
        assertThat(held.size()).isZero();
    }

    @Test
    void aCandidateWithdrawnThenAddedAgainIsSignalledAsAddedOnly() {
        HeldCandidates held = new HeldCandidates();

        held.hold(ALICE, List.of(), List.of(srflx(1694498815L)));
        held.hold(ALICE, List.of(srflx(1694498559L)), List.of());

        assertThat(held.flush()).containsExactly(
                new GatewayEvent.CandidatesChanged(ALICE, List.of(srflx(1694498559L)), List.of()));
    }

    @Test
    void aWithdrawalOfACandidateSignalledBeforeIsKept() {
        HeldCandidates held = new HeldCandidates();

        held.hold(ALICE, List.of(), List.of(srflx(1694498815L)));

        assertThat(held.flush()).containsExactly(
                new GatewayEvent.CandidatesChanged(ALICE, List.of(), List.of(srflx(1694498815L))));
        assertThat(held.flush()).isEmpty();
    }
}
