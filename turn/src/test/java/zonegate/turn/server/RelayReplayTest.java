package zonegate.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.turn.server.RelayHarness.*;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMethod;

/**
 * Replays of captured signed requests: refused once their nonce has expired and from any other address;
 * within the nonce lifetime, answered again without effect.
 */
class RelayReplayTest {
    private static final InetSocketAddress OTHER_PEER = new InetSocketAddress(address("203.0.113.77"), 7);

    private final RelayHarness h = new RelayHarness();

    @Test
    void signedRefreshReplayedAfterTheNonceLifetimeGets438AndDoesNotExtendTheAllocation() {
        h.allocate(CLIENT);
        byte[] refresh = h.request(StunMethod.REFRESH, w -> w.addLifetime(600));
        assertThat(h.call(CLIENT, refresh).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

        h.advance(61);
        StunMessageView replay = h.call(CLIENT, refresh);

        assertThat(replay.errorCode()).isEqualTo(438);
        assertThat(replay.has(StunAttributeType.MESSAGE_INTEGRITY)).isFalse();
        h.advance(600 - 61 - 1);
        assertThat(h.relay.allocations()).hasSize(1);
        h.advance(1);
        assertThat(h.relay.allocations()).isEmpty();
    }

    @Test
    void signedCreatePermissionReplayedAfterTheNonceLifetimeGets438AndInstallsNothing() {
        h.allocate(CLIENT);
        byte[] permit = h.request(StunMethod.CREATE_PERMISSION,
                w -> w.addAddress(StunAttributeType.XOR_PEER_ADDRESS, OTHER_PEER));
        assertThat(h.call(CLIENT, permit).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        h.advance(300);
        assertThat(h.relay.allocations().getFirst().permissions()).isZero();

        assertThat(h.call(CLIENT, permit).errorCode()).isEqualTo(438);
        assertThat(h.relay.allocations().getFirst().permissions()).isZero();
    }

    @Test
    void refreshReplayedWithinTheNonceLifetimeIsAnsweredButDoesNotExtendTheAllocation() {
        h.allocate(CLIENT);
        byte[] refresh = h.request(StunMethod.REFRESH, w -> w.addLifetime(600));
        assertThat(h.call(CLIENT, refresh).lifetimeSeconds()).isEqualTo(600);

        h.advance(50);
        StunMessageView replay = h.call(CLIENT, refresh);

        assertThat(replay.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(replay.lifetimeSeconds()).isEqualTo(550);
        assertThat(h.relay.count(RelayCounter.REPEATED_REQUEST)).isEqualTo(1);
        h.advance(549);
        assertThat(h.relay.allocations()).hasSize(1);
        h.advance(1);
        assertThat(h.relay.allocations()).isEmpty();
    }

    @Test
    void createPermissionReplayedWithinTheNonceLifetimeDoesNotRenewThePermission() {
        h.allocate(CLIENT);
        long grantedAtNs = h.nowNs;
        byte[] permit = h.request(StunMethod.CREATE_PERMISSION,
                w -> w.addAddress(StunAttributeType.XOR_PEER_ADDRESS, OTHER_PEER));
        h.call(CLIENT, permit);
        h.advance(40);

        assertThat(h.call(CLIENT, permit).messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);

        assertThat(h.relay.pollTimeout()).isEqualTo(grantedAtNs + 300 * SEC);
        h.advance(260);
        assertThat(h.relay.allocations().getFirst().permissions()).isZero();
    }

    @Test
    void aNewRequestWithTheSameContentIsCarriedOut() {
        h.allocate(CLIENT);
        h.call(CLIENT, h.request(StunMethod.REFRESH, w -> w.addLifetime(600)));
        h.advance(50);

        assertThat(h.call(CLIENT, h.request(StunMethod.REFRESH, w -> w.addLifetime(600))).lifetimeSeconds())
                .isEqualTo(600);
        assertThat(h.relay.count(RelayCounter.REPEATED_REQUEST)).isZero();
    }

    @Test
    void signedRequestReplayedFromAnotherAddressGets438() {
        h.allocate(CLIENT);
        byte[] refresh = h.request(StunMethod.REFRESH, w -> w.addLifetime(600));
        InetSocketAddress spoofed = new InetSocketAddress(address("198.51.100.99"), CLIENT.getPort());

        assertThat(h.call(spoofed, refresh).errorCode()).isEqualTo(438);
        assertThat(h.call(new InetSocketAddress(CLIENT.getAddress(), CLIENT.getPort() + 1), refresh).errorCode())
                .isEqualTo(438);
    }

    @Test
    void aClientThatRenewsItsNonceAfter438KeepsItsAllocation() {
        h.allocate(CLIENT);
        h.advance(61);
        StunMessageView stale = h.call(CLIENT, h.request(StunMethod.REFRESH, w -> w.addLifetime(600)));
        assertThat(stale.errorCode()).isEqualTo(438);

        h.nonce = stale.nonce();
        StunMessageView renewed = h.call(CLIENT, h.request(StunMethod.REFRESH, w -> w.addLifetime(600)));

        assertThat(renewed.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(renewed.lifetimeSeconds()).isEqualTo(600);
    }
}
