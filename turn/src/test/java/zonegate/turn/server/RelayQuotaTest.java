package zonegate.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static zonegate.turn.server.RelayHarness.*;

import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMethod;

/** Quotas against the relay port count, and allocation lifetimes against TURN REST credential expiry. */
class RelayQuotaTest {

    @Test
    void perUserQuotaNotBelowThePortCountIsRefusedAtConfigTime() {
        RelayConfig tenPorts = RelayConfig.of(REALM, RELAY_V4, null, 50000, 50009);

        assertThatThrownBy(() -> tenPorts.withQuotas(100, 10, 4, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 relay ports");
        assertThat(tenPorts.withQuotas(100, 9, 4, 4).maxAllocationsPerUser()).isEqualTo(9);
    }

    @Test
    void defaultPerUserQuotaIsHalfThePortsSoOneAccountCannotTakeThemAll() {
        RelayHarness h = new RelayHarness(RelayConfig.of(REALM, RELAY_V4, null, 50000, 50009)
                .withStaticUsers(Map.of("alice", "wonderland", "bob", "builder")));
        for (int i = 0; i < 5; i++) {
            h.allocate(new InetSocketAddress(CLIENT.getAddress(), 1 + i));
        }
        InetSocketAddress sixth = new InetSocketAddress(CLIENT.getAddress(), 6);
        h.challenge(sixth);

        assertThat(h.call(sixth, h.request(StunMethod.ALLOCATE, w -> w.addRequestedTransport(17))).errorCode())
                .isEqualTo(486);
        h.user("bob", "builder");
        h.allocate(sixth);
        assertThat(h.relay.allocations()).hasSize(6);
    }

    @Test
    void allocateWithARestCredentialEndsNoLaterThanItsExpiry() {
        RelayHarness h = new RelayHarness();
        h.restUser(h.unixSeconds + 100, "carol");
        h.challenge(CLIENT);

        StunMessageView m = h.call(CLIENT, h.request(StunMethod.ALLOCATE,
                w -> w.addRequestedTransport(17).addLifetime(3600)));

        assertThat(m.lifetimeSeconds()).isEqualTo(100);
        assertThat(((RelayEvent.AllocationCreated) h.relay.pollEvent()).lifetimeSeconds()).isEqualTo(100);
        h.advance(99);
        h.unixSeconds += 99;
        assertThat(h.relay.allocations()).hasSize(1);
        h.advance(1);
        assertThat(h.relay.allocations()).isEmpty();
    }

    @Test
    void refreshWithARestCredentialIsClampedToTheTimeLeftBeforeItsExpiry() {
        RelayHarness h = new RelayHarness();
        h.restUser(h.unixSeconds + 900, "carol");
        h.allocate(CLIENT);
        h.advance(400);
        h.unixSeconds += 400;
        h.challenge(CLIENT);

        StunMessageView m = h.call(CLIENT, h.request(StunMethod.REFRESH, w -> w.addLifetime(3600)));

        assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(m.lifetimeSeconds()).isEqualTo(500);
        h.advance(499);
        assertThat(h.relay.allocations()).hasSize(1);
        h.advance(1);
        assertThat(h.relay.allocations()).isEmpty();
    }

    @Test
    void staticUsersKeepTheRequestedLifetimeUpToTheMaximum() {
        RelayHarness h = new RelayHarness();
        h.challenge(CLIENT);

        StunMessageView m = h.call(CLIENT, h.request(StunMethod.ALLOCATE,
                w -> w.addRequestedTransport(17).addLifetime(3600)));

        assertThat(m.lifetimeSeconds()).isEqualTo(3600);
    }
}
