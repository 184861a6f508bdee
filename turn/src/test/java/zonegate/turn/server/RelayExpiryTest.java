package zonegate.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.turn.server.RelayHarness.*;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zonegate.stun.StunClass;
import zonegate.stun.StunMethod;

/** Expiry from the deadline heap: exact deadlines, many allocations, bounded under churn. */
class RelayExpiryTest {

    @Test
    void eachOfManyAllocationsExpiresExactlyAtItsOwnDeadline() {
        RelayHarness h = new RelayHarness(RelayConfig.of(REALM, RELAY_V4, null, 50000, 50099)
                .withStaticUsers(Map.of("alice", "wonderland")));
        List<InetSocketAddress> clients = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            InetSocketAddress client = new InetSocketAddress(CLIENT.getAddress(), 41000 + i);
            h.allocate(client);
            clients.add(client);
            h.advance(3);
        }
        long firstExpiryNs = h.nowNs - 40 * 3 * SEC + 600 * SEC;
        assertThat(h.relay.pollTimeout()).isEqualTo(firstExpiryNs);

        List<InetSocketAddress> ended = new ArrayList<>();
        List<Long> endedAtNs = new ArrayList<>();
        while (ended.size() < clients.size()) {
            h.advance(1);
            for (RelayEvent e; (e = h.relay.pollEvent()) != null; ) {
                if (e instanceof RelayEvent.AllocationEnded end) {
                    ended.add(end.client());
                    endedAtNs.add(h.nowNs);
                }
            }
        }

        assertThat(ended).isEqualTo(clients);
        for (int i = 0; i < clients.size(); i++) {
            assertThat(endedAtNs.get(i)).isEqualTo(firstExpiryNs + i * 3 * SEC);
        }
        assertThat(h.relay.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void permissionDeadlineComesFirstAndARefreshedAllocationOutlivesItsFirstDeadline() {
        RelayHarness h = new RelayHarness();
        h.allocate(CLIENT);
        long allocatedAtNs = h.nowNs;
        h.advance(10);

        h.permit(CLIENT, PEER);
        assertThat(h.relay.pollTimeout()).isEqualTo(h.nowNs + 300 * SEC);
        h.call(CLIENT, h.request(StunMethod.REFRESH, w -> w.addLifetime(3600)));
        h.advance(300);

        assertThat(h.relay.allocations().getFirst().permissions()).isZero();
        assertThat(h.relay.pollTimeout()).isEqualTo(allocatedAtNs + 10 * SEC + 3600 * SEC);
        h.advance(290);
        assertThat(h.relay.allocations()).hasSize(1);
    }

    @Test
    void createAndDeleteChurnKeepsTheDeadlineHeapBounded() {
        RelayHarness h = new RelayHarness(RelayConfig.of(REALM, RELAY_V4, null, 50000, 50009)
                .withStaticUsers(Map.of("alice", "wonderland")).withQuotas(4, 4, 4, 4));
        for (int i = 0; i < 500; i++) {
            InetSocketAddress client = new InetSocketAddress(CLIENT.getAddress(), 42000 + i);
            h.allocate(client);
            h.permit(client, PEER);
            assertThat(h.call(client, h.request(StunMethod.REFRESH, w -> w.addLifetime(0))).messageClass())
                    .isEqualTo(StunClass.SUCCESS_RESPONSE);
            h.relay.pollEvent();
            h.advance(1);
        }

        assertThat(h.relay.scheduledDeadlines()).isLessThanOrEqualTo(4 * 4 + 64);
        assertThat(h.relay.allocations()).isEmpty();
    }
}
