package zonegate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.GatewayHarness.S;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.tunnel.GatewayHarness.Client;

/** Client to resource and back through {@link GatewayState}, with real WireGuard clients. */
class GatewayDataPathTest {
    static final Resource OFFICE = new Resource.CidrRange(ResourceId.of("office"), Cidr.parse("10.20.0.0/16"));
    static final Authorization OFFICE_ICMP_AND_HTTPS =
            Authorization.permanent(OFFICE, List.of(new Filter.Icmp(), new Filter.Tcp(443, 443)));

    private final GatewayHarness h = new GatewayHarness(1);

    private Client aliceWithOffice() {
        Client alice = h.connectClient("alice");
        h.gateway.replaceAuthorizations(alice.spec.id(), List.of(OFFICE_ICMP_AND_HTTPS), h.nowNs);
        return alice;
    }

    @Test
    void clientPingsCidrResourceAndGetsTheReply() {
        Client alice = aliceWithOffice();

        alice.send(Packets.echoRequest(alice.ipv4, "10.20.0.5", 7, 1));

        assertThat(h.tun).hasSize(1);
        assertThat(Packets.source(h.tun.getFirst())).isEqualTo(alice.ipv4);
        assertThat(Packets.destination(h.tun.getFirst())).isEqualTo("10.20.0.5");
        assertThat(alice.received).hasSize(1);
        assertThat(Packets.icmpType(alice.lastReceived())).isZero();
        assertThat(Packets.source(alice.lastReceived())).isEqualTo("10.20.0.5");
        assertThat(h.events).containsExactly(new GatewayEvent.ClientConnected(alice.spec.id(), alice.address,
                h.nowNs));
    }

    @Test
    void tcpSynToAllowedPortReachesTheResource() {
        Client alice = aliceWithOffice();

        alice.send(Packets.tcpSyn(alice.ipv4, 50000, "10.20.0.5", 443));

        assertThat(h.tun).hasSize(1);
        assertThat(h.tun.getFirst()).isEqualTo(Packets.tcpSyn(alice.ipv4, 50000, "10.20.0.5", 443));
        assertThat(h.gateway.filterAllowedCount()).isOne();
    }

    @Test
    void tcpSynToDeniedPortIsAnsweredWithAdministrativelyProhibited() {
        Client alice = aliceWithOffice();

        alice.send(Packets.tcpSyn(alice.ipv4, 50000, "10.20.0.5", 22));

        assertThat(h.tun).isEmpty();
        assertThat(alice.received).hasSize(1);
        assertThat(Packets.icmpType(alice.lastReceived())).isEqualTo(3);
        assertThat(Packets.icmpCode(alice.lastReceived())).isEqualTo(13);
        assertThat(Packets.source(alice.lastReceived())).isEqualTo("10.20.0.5");
        assertThat(Packets.destination(alice.lastReceived())).isEqualTo(alice.ipv4);
        assertThat(h.gateway.dropCount(GatewayDropReason.FILTERED)).isOne();
        assertThat(h.gateway.filterAllowedCount()).isZero();
    }

    @Test
    void addressOutsideEveryResourceGetsNetworkUnreachable() {
        Client alice = aliceWithOffice();

        alice.send(Packets.echoRequest(alice.ipv6, "2001:db8::5", 1, 1));

        assertThat(h.tun).isEmpty();
        assertThat(Packets.icmpType(alice.lastReceived())).isEqualTo(1);
        assertThat(Packets.icmpCode(alice.lastReceived())).isZero();
        assertThat(h.gateway.dropCount(GatewayDropReason.NO_RESOURCE)).isOne();
    }

    @Test
    void spoofedSourceIsDroppedWithoutIcmp() {
        Client alice = aliceWithOffice();
        alice.send(Packets.echoRequest(alice.ipv4, "10.20.0.5", 7, 1));

        alice.send(Packets.echoRequest("100.64.0.99", "10.20.0.5", 7, 2));
        alice.send(Packets.udp("100.64.0.99", 5000, GatewayHarness.GATEWAY_V4, 53, new byte[4]));

        assertThat(h.tun).hasSize(1);
        assertThat(alice.received).hasSize(1);
        assertThat(h.gateway.dropCount(GatewayDropReason.SPOOFED)).isEqualTo(2);
    }

    @Test
    void packetsToTheGatewaysOwnAddressGoToTheDeviceWithoutAnyResource() {
        Client alice = h.connectClient("alice");

        alice.send(Packets.udp(alice.ipv4, 5000, GatewayHarness.GATEWAY_V4, 53, new byte[] {1, 2, 3}));
        alice.send(Packets.echoRequest(alice.ipv6, GatewayHarness.GATEWAY_V6, 3, 1));

        assertThat(h.tun).hasSize(2);
        assertThat(alice.received).hasSize(2);
        assertThat(Packets.source(alice.received.get(0))).isEqualTo(GatewayHarness.GATEWAY_V4);
        assertThat(Packets.icmpType(alice.received.get(1))).isEqualTo(129);
    }

    @Test
    void authorizationExpiryAtTheExactInstantCutsAccess() {
        Client alice = h.connectClient("alice");
        long expiresAt = GatewayHarness.EPOCH_SECONDS + h.nowNs / S + 60;
        h.gateway.replaceAuthorizations(alice.spec.id(),
                List.of(new Authorization(OFFICE, List.of(), expiresAt)), h.nowNs);
        long expiryNs = h.nowNs + 60 * S;
        alice.send(Packets.echoRequest(alice.ipv4, "10.20.0.5", 7, 1));

        h.advance(expiryNs - 1 - h.nowNs);
        alice.send(Packets.echoRequest(alice.ipv4, "10.20.0.5", 7, 2));
        assertThat(h.tun).hasSize(2);

        h.advance(1);
        alice.send(Packets.echoRequest(alice.ipv4, "10.20.0.5", 7, 3));

        assertThat(h.tun).hasSize(2);
        assertThat(Packets.icmpType(alice.lastReceived())).isEqualTo(3);
        assertThat(Packets.icmpCode(alice.lastReceived())).isZero();
        assertThat(h.events).contains(new GatewayEvent.AuthorizationExpired(alice.spec.id(), OFFICE.id()),
                new GatewayEvent.NoAuthorizationLeft(alice.spec.id()));
    }

    @Test
    void secondClientCannotReachTheFirstOnesResources() {
        aliceWithOffice();
        Client bob = h.connectClient("bob");
        h.gateway.replaceAuthorizations(bob.spec.id(), List.of(Authorization.permanent(
                new Resource.CidrRange(ResourceId.of("lab"), Cidr.parse("10.99.0.0/16")), List.of())), h.nowNs);

        bob.send(Packets.echoRequest(bob.ipv4, "10.20.0.5", 9, 1));
        bob.send(Packets.echoRequest(bob.ipv4, "10.99.0.5", 9, 2));

        assertThat(h.tun).hasSize(1);
        assertThat(Packets.destination(h.tun.getFirst())).isEqualTo("10.99.0.5");
        assertThat(Packets.icmpType(bob.received.get(0))).isEqualTo(3);
        assertThat(Packets.icmpType(bob.received.get(1))).isZero();
    }

    @Test
    void gatewayNeverInitiatesAHandshakeAndDropsTrafficForClientsWithoutSession() {
        Client alice = aliceWithOffice();
        Client carol = h.connectClient("carol");
        alice.send(Packets.echoRequest(alice.ipv4, "10.20.0.5", 7, 1));

        h.fromResource(Packets.echoRequest("10.20.0.5", carol.ipv4, 1, 1));
        h.advance(200 * S);
        h.fromResource(Packets.echoRequest("10.20.0.5", alice.ipv4, 1, 2));

        assertThat(h.gateway.dropCount(GatewayDropReason.NO_SESSION)).isEqualTo(2);
        assertThat(h.sent).allSatisfy(datagram -> assertThat(datagram[0]).isNotEqualTo((byte) 1));
        assertThat(carol.received).isEmpty();
        assertThat(h.events).contains(new GatewayEvent.ClientSessionExpired(alice.spec.id(),
                h.events.stream().filter(e -> e instanceof GatewayEvent.ClientSessionExpired)
                        .map(e -> ((GatewayEvent.ClientSessionExpired) e).atNs()).findFirst().orElse(-1L)));
    }

    @Test
    void packetsForUnknownDestinationsAndMalformedDevicePacketsAreDroppedAndCounted() {
        aliceWithOffice();

        h.fromResource(Packets.echoRequest("10.20.0.5", "100.64.0.200", 1, 1));
        h.fromResource(new byte[] {0x45, 0, 0});

        assertThat(h.gateway.dropCount(GatewayDropReason.UNKNOWN_DESTINATION)).isOne();
        assertThat(h.gateway.dropCount(GatewayDropReason.MALFORMED_DEVICE_PACKET)).isOne();
        assertThat(h.sent).isEmpty();
    }

    @Test
    void malformedAndUnauthenticatedDatagramsAreDroppedAndDoNotDisturbALiveClient() {
        Client alice = aliceWithOffice();
        alice.send(Packets.echoRequest(alice.ipv4, "10.20.0.5", 7, 1));
        int sentBefore = h.sent.size();
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        var attacker = new java.net.InetSocketAddress("203.0.113.9", 1234);

        byte[] garbage = new byte[37];
        random.nextBytes(garbage);
        h.toGateway(attacker, ByteBuffer.wrap(garbage));
        byte[] initiation = new byte[148];
        random.nextBytes(initiation);
        initiation[0] = 1;
        initiation[1] = initiation[2] = initiation[3] = 0;
        h.toGateway(attacker, ByteBuffer.wrap(initiation));
        byte[] transport = new byte[64];
        random.nextBytes(transport);
        transport[0] = 4;
        transport[1] = transport[2] = transport[3] = 0;
        h.toGateway(attacker, ByteBuffer.wrap(transport));
        h.toGateway(attacker, ByteBuffer.allocate(0));
        h.pump();

        assertThat(h.gateway.dropCount(GatewayDropReason.WIREGUARD_REJECTED)).isEqualTo(4);
        assertThat(h.sent).hasSize(sentBefore);
        alice.send(Packets.echoRequest(alice.ipv4, "10.20.0.5", 7, 2));
        assertThat(alice.received).hasSize(2);
        assertThat(h.gateway.clientStatus(alice.spec.id()).handshakesCompleted()).isOne();
    }
}
