package zonegate.turn.server;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.turn.server.RelayHarness.*;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import zonegate.stun.StunAttributeType;
import zonegate.stun.StunClass;
import zonegate.stun.StunMessageView;
import zonegate.stun.StunMethod;

/** Authentication, ALLOCATE, REFRESH and lifetimes. */
class RelayAllocationTest {
    private final RelayHarness h = new RelayHarness();

    @Test
    void bindingAnswersWithTheMappedAddressWithoutAuthentication() {
        StunMessageView m = h.call(CLIENT, h.message(StunMethod.BINDING, StunClass.REQUEST, false, w -> { }));
        assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(m.xorMappedAddress()).isEqualTo(CLIENT);
        assertThat(m.hasFingerprint()).isTrue();
    }

    @Test
    void allocateWithoutCredentialsIsChallengedThenSucceedsForAStaticUser() {
        h.challenge(CLIENT);
        assertThat(h.relay.count(RelayCounter.CHALLENGED)).isEqualTo(1);
        StunMessageView m = h.call(CLIENT, h.request(StunMethod.ALLOCATE, w -> w.addRequestedTransport(17)));
        assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(m.xorRelayedAddress().getAddress()).isEqualTo(RELAY_V4);
        assertThat(m.xorRelayedAddress().getPort()).isBetween(50000, 50009);
        assertThat(m.lifetimeSeconds()).isEqualTo(600);
        assertThat(m.xorMappedAddress()).isEqualTo(CLIENT);
        RelayEvent event = h.relay.pollEvent();
        assertThat(event).isEqualTo(new RelayEvent.AllocationCreated("alice", CLIENT, m.xorRelayedAddress(), 600));
    }

    @Test
    void restCredentialsAreAcceptedUntilTheirExpiry() {
        String name = h.restUser(h.unixSeconds + 60, "carol");
        h.allocate(CLIENT);
        assertThat(h.relay.allocations()).singleElement().extracting(AllocationStats::username).isEqualTo(name);
    }

    @Test
    void expiredRestUsernameIsRefusedWith401() {
        h.restUser(h.unixSeconds - 1, "carol");
        h.challenge(CLIENT);
        StunMessageView m = h.call(CLIENT, h.request(StunMethod.ALLOCATE, w -> w.addRequestedTransport(17)));
        assertThat(m.errorCode()).isEqualTo(401);
        assertThat(m.has(StunAttributeType.MESSAGE_INTEGRITY)).isFalse();
        assertThat(h.relay.count(RelayCounter.EXPIRED_USERNAME)).isEqualTo(1);
        assertThat(h.relay.allocations()).isEmpty();
    }

    @Test
    void wrongPasswordIsRefusedWith401() {
        h.challenge(CLIENT);
        h.user("alice", "not-the-password");
        StunMessageView m = h.call(CLIENT, h.request(StunMethod.ALLOCATE, w -> w.addRequestedTransport(17)));
        assertThat(m.errorCode()).isEqualTo(401);
        assertThat(h.relay.count(RelayCounter.BAD_INTEGRITY)).isEqualTo(1);
    }

    @Test
    void staleNonceGets438WithAFreshNonce() {
        h.challenge(CLIENT);
        String old = h.nonce;
        h.advance(601);
        StunMessageView m = h.call(CLIENT, h.request(StunMethod.ALLOCATE, w -> w.addRequestedTransport(17)));
        assertThat(m.errorCode()).isEqualTo(438);
        assertThat(m.nonce()).isNotEqualTo(old);
        assertThat(m.realm()).isEqualTo(REALM);
        h.nonce = m.nonce();
        assertThat(h.call(CLIENT, h.request(StunMethod.ALLOCATE, w -> w.addRequestedTransport(17))).messageClass())
                .isEqualTo(StunClass.SUCCESS_RESPONSE);
    }

    @Test
    void nonceFromAnotherClientAddressIsStale() {
        h.challenge(CLIENT);
        InetSocketAddress other = new InetSocketAddress(CLIENT.getAddress(), 40001);
        assertThat(h.call(other, h.request(StunMethod.ALLOCATE, w -> w.addRequestedTransport(17))).errorCode())
                .isEqualTo(438);
    }

    @Test
    void nonUdpTransportGets442() {
        h.challenge(CLIENT);
        assertThat(h.call(CLIENT, h.request(StunMethod.ALLOCATE, w -> w.addRequestedTransport(6))).errorCode())
                .isEqualTo(442);
    }

    @Test
    void missingRequestedTransportGets400() {
        h.challenge(CLIENT);
        assertThat(h.call(CLIENT, h.request(StunMethod.ALLOCATE, w -> { })).errorCode()).isEqualTo(400);
    }

    @Test
    void unknownComprehensionRequiredAttributeGets420ListingIt() {
        h.challenge(CLIENT);
        StunMessageView m = h.call(CLIENT, h.request(StunMethod.ALLOCATE,
                w -> w.addRequestedTransport(17).add(0x7F01, new byte[] {1, 2, 3, 4})));
        assertThat(m.errorCode()).isEqualTo(420);
        assertThat(m.unknownAttributesCount()).isEqualTo(1);
        assertThat(m.unknownAttribute(0)).isEqualTo(0x7F01);
    }

    @Test
    void retransmittedAllocateGetsTheSameSuccessButANewOneGets437() {
        h.challenge(CLIENT);
        byte[] allocate = h.request(StunMethod.ALLOCATE, w -> w.addRequestedTransport(17));
        h.fromClient(CLIENT, allocate);
        byte[] first = h.transmit().bytes();
        h.fromClient(CLIENT, allocate);
        assertThat(h.transmit().bytes()).isEqualTo(first);
        assertThat(h.relay.count(RelayCounter.ALLOCATE_RETRANSMIT)).isEqualTo(1);
        assertThat(h.call(CLIENT, h.request(StunMethod.ALLOCATE, w -> w.addRequestedTransport(17))).errorCode())
                .isEqualTo(437);
        assertThat(h.relay.allocations()).hasSize(1);
    }

    @Test
    void allocationExpiresAfterItsLifetimeAndFreesItsPort() {
        int port = h.allocate(CLIENT);
        h.advance(599);
        assertThat(h.relay.pollEvent()).isNull();
        h.advance(1);
        assertThat(h.relay.pollEvent()).isInstanceOfSatisfying(RelayEvent.AllocationEnded.class, e -> {
            assertThat(e.reason()).isEqualTo(RelayEvent.EndReason.EXPIRED);
            assertThat(e.relayed().getPort()).isEqualTo(port);
        });
        assertThat(h.relay.allocations()).isEmpty();
        assertThat(h.relay.pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void refreshExtendsTheLifetimeClampedToTheMaximum() {
        h.allocate(CLIENT);
        h.advance(500);
        h.challenge(CLIENT);
        StunMessageView m = h.call(CLIENT, h.request(StunMethod.REFRESH, w -> w.addLifetime(100_000)));
        assertThat(m.lifetimeSeconds()).isEqualTo(3600);
        h.advance(3599);
        assertThat(h.relay.allocations()).hasSize(1);
        h.advance(1);
        assertThat(h.relay.allocations()).isEmpty();
    }

    @Test
    void refreshWithLifetimeZeroDeletesTheAllocation() {
        h.allocate(CLIENT);
        StunMessageView m = h.call(CLIENT, h.request(StunMethod.REFRESH, w -> w.addLifetime(0)));
        assertThat(m.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(m.lifetimeSeconds()).isZero();
        assertThat(h.relay.pollEvent()).isInstanceOfSatisfying(RelayEvent.AllocationEnded.class,
                e -> assertThat(e.reason()).isEqualTo(RelayEvent.EndReason.DELETED));
        assertThat(h.call(CLIENT, h.request(StunMethod.REFRESH, w -> w.addLifetime(600))).errorCode())
                .isEqualTo(437);
    }

    @Test
    void requestOnAnotherUsersAllocationGets441() {
        h.allocate(CLIENT);
        h.user("bob", "builder");
        assertThat(h.call(CLIENT, h.request(StunMethod.REFRESH, w -> w.addLifetime(600))).errorCode())
                .isEqualTo(441);
    }

    @Test
    void perUserQuotaGets486() {
        RelayHarness small = new RelayHarness(RelayConfig.of(REALM, RELAY_V4, null, 50000, 50009)
                .withStaticUsers(java.util.Map.of("alice", "wonderland")).withQuotas(10, 2, 4, 4));
        small.allocate(new InetSocketAddress(CLIENT.getAddress(), 1));
        small.allocate(new InetSocketAddress(CLIENT.getAddress(), 2));
        InetSocketAddress third = new InetSocketAddress(CLIENT.getAddress(), 3);
        small.challenge(third);
        assertThat(small.call(third, small.request(StunMethod.ALLOCATE, w -> w.addRequestedTransport(17)))
                .errorCode()).isEqualTo(486);
        assertThat(small.relay.count(RelayCounter.USER_QUOTA)).isEqualTo(1);
    }

    @Test
    void portExhaustionGets508() {
        RelayHarness tiny = new RelayHarness(RelayConfig.of(REALM, RELAY_V4, null, 50000, 50001)
                .withStaticUsers(java.util.Map.of("alice", "wonderland", "bob", "builder", "carol", "c")));
        tiny.allocate(new InetSocketAddress(CLIENT.getAddress(), 1));
        tiny.user("bob", "builder");
        tiny.allocate(new InetSocketAddress(CLIENT.getAddress(), 2));
        tiny.user("carol", "c");
        InetSocketAddress third = new InetSocketAddress(CLIENT.getAddress(), 3);
        tiny.challenge(third);
        assertThat(tiny.call(third, tiny.request(StunMethod.ALLOCATE, w -> w.addRequestedTransport(17)))
                .errorCode()).isEqualTo(508);
        assertThat(tiny.relay.count(RelayCounter.PORT_CAPACITY)).isEqualTo(1);
    }

    @Test
    void ipv6AllocationWithoutAnIpv6RelayAddressGets440() {
        h.challenge(CLIENT);
        assertThat(h.call(CLIENT, h.request(StunMethod.ALLOCATE,
                w -> w.addRequestedTransport(17).addRequestedAddressFamily(2))).errorCode()).isEqualTo(440);
    }

    @Test
    void malformedAndUnexpectedDatagramsAreDroppedAndCounted() {
        h.fromClient(CLIENT, new byte[] {0, 1, 0, 0});
        h.fromClient(CLIENT, new byte[] {0x40, 0, 0, 9});
        byte[] binding = h.message(StunMethod.BINDING, StunClass.REQUEST, false, w -> { });
        binding[binding.length - 1] ^= 1;
        h.fromClient(CLIENT, binding);
        assertThat(h.relay.pollTransmit()).isNull();
        assertThat(h.relay.count(RelayCounter.UNKNOWN_DATAGRAM)).isEqualTo(1);
        assertThat(h.relay.count(RelayCounter.MALFORMED_CHANNEL_DATA)).isEqualTo(1);
        assertThat(h.relay.count(RelayCounter.MALFORMED_STUN)).isEqualTo(1);
    }
}
