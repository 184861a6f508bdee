package zonegate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.GatewayHarness.GATEWAY_V4;
import static zonegate.tunnel.GatewayHarness.GATEWAY_V6;

import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.filter.Authorization;
import zonegate.filter.Filter;
import zonegate.filter.GatewayServices;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.nat64.Nat64Prefix;
import zonegate.packet.IcmpError;
import zonegate.tunnel.GatewayHarness.Client;

/**
 * Client to site: the gateway's own addresses offer only their services (item 5), NAT64-prefix
 * destinations are decided as the IPv4 address they embed (item 9), and a client's ICMP errors pass only
 * about its own flows (item 14).
 */
class GatewayOutboundIsolationTest {
    static final Resource INTERNET = new Resource.Internet(ResourceId.of("internet"));

    @Test
    void aTcpConnectionToAPortTheGatewayHostListensOnIsRefusedWithAdministrativelyProhibited() {
        GatewayHarness h = new GatewayHarness(21);
        Client alice = h.connectClient("alice");

        alice.send(Packets.tcpSyn(alice.ipv4, 40000, GATEWAY_V4, 22));
        alice.send(Packets.udp(alice.ipv6, 40000, GATEWAY_V6, 9100, new byte[] {1}));

        assertThat(h.tun).isEmpty();
        assertThat(alice.received).hasSize(2).allSatisfy(error -> {
            assertThat(Packets.icmpType(error)).isIn(3, 1);
            assertThat(Packets.icmpCode(error)).isIn(13, 1);
        });
        assertThat(Packets.source(alice.received.getFirst())).isEqualTo(GATEWAY_V4);
        assertThat(h.gateway.dropCount(GatewayDropReason.GATEWAY_FILTERED)).isEqualTo(2);
    }

    @Test
    void pingAndDnsOverUdpAndTcpReachTheGatewayWithoutAnyAuthorisation() {
        GatewayHarness h = new GatewayHarness(22);
        Client alice = h.connectClient("alice");

        alice.send(Packets.echoRequest(alice.ipv4, GATEWAY_V4, 1, 1));
        alice.send(Packets.udp(alice.ipv6, 40000, GATEWAY_V6, 53, new byte[] {1}));
        alice.send(Packets.tcpSyn(alice.ipv4, 40001, GATEWAY_V4, 53));

        assertThat(h.tun).hasSize(3);
        assertThat(alice.received).hasSize(2);
        assertThat(h.gateway.dropCount(GatewayDropReason.GATEWAY_FILTERED)).isZero();
    }

    @Test
    void theGatewayHostsRepliesReturnButItsUnsolicitedPacketsDoNot() {
        GatewayHarness h = new GatewayHarness(23);
        Client alice = h.connectClient("alice");
        alice.send(Packets.udp(alice.ipv4, 40000, GATEWAY_V4, 53, new byte[] {1}));

        h.fromResource(Packets.udp(GATEWAY_V4, 53, alice.ipv4, 40000, new byte[] {2}));
        h.fromResource(Packets.udp(GATEWAY_V4, 53, alice.ipv4, 40001, new byte[] {3}));
        h.fromResource(Packets.echoRequest(GATEWAY_V4, alice.ipv4, 1, 1));

        assertThat(alice.received).hasSize(2);
        assertThat(h.gateway.dropCount(GatewayDropReason.UNSOLICITED_INBOUND)).isEqualTo(2);
    }

    @Test
    void allowToGatewayOpensTheConfiguredPortsOnly() {
        GatewayHarness h = new GatewayHarness(24, c -> c.withGatewayServices(
                GatewayServices.of(List.of(new Filter.Tcp(22, 22)))));
        Client alice = h.connectClient("alice");

        alice.send(Packets.tcpSyn(alice.ipv4, 40000, GATEWAY_V4, 22));
        alice.send(Packets.tcpSyn(alice.ipv4, 40001, GATEWAY_V4, 23));

        assertThat(h.tun).hasSize(1);
        assertThat(Packets.parse(h.tun.getFirst()).destinationPort()).isEqualTo(22);
        assertThat(Packets.icmpCode(alice.lastReceived())).isEqualTo(13);
    }

    @Test
    void replacingTheGatewayServicesClosesAPortFromTheNextPacketOn() {
        GatewayHarness h = new GatewayHarness(29, c -> c.withGatewayServices(
                GatewayServices.of(List.of(new Filter.Tcp(22, 22)))));
        Client alice = h.connectClient("alice");
        alice.send(Packets.tcpSyn(alice.ipv4, 40000, GATEWAY_V4, 22));

        h.gateway.setGatewayServices(GatewayServices.DEFAULT, h.nowNs);
        alice.send(Packets.tcpSyn(alice.ipv4, 40000, GATEWAY_V4, 22));

        assertThat(h.tun).hasSize(1);
        assertThat(h.gateway.dropCount(GatewayDropReason.GATEWAY_FILTERED)).isOne();
    }

    @Test
    void theInternetResourceDoesNotReachPrivateIpv4ThroughTheNat64Prefix() {
        GatewayHarness h = new GatewayHarness(25, c -> c.withNat64Prefix(Nat64Prefix.WELL_KNOWN));
        Client alice = h.connectClient("alice");
        h.gateway.replaceAuthorizations(alice.spec.id(), List.of(Authorization.permanent(INTERNET, List.of())),
                h.nowNs);

        alice.send(Packets.echoRequest(alice.ipv6, "64:ff9b::a00:5", 1, 1));
        alice.send(Packets.echoRequest(alice.ipv6, "64:ff9b::a9fe:a9fe", 1, 2));
        alice.send(Packets.echoRequest(alice.ipv6, "64:ff9b::808:808", 1, 3));

        assertThat(h.tun).hasSize(1);
        assertThat(Packets.destination(h.tun.getFirst())).isEqualTo("64:ff9b:0:0:0:0:808:808");
        assertThat(h.gateway.dropCount(GatewayDropReason.NO_RESOURCE)).isEqualTo(2);
        assertThat(Packets.icmpType(alice.received.getFirst())).isEqualTo(1);
        assertThat(Packets.icmpType(alice.lastReceived())).isEqualTo(129);
    }

    @Test
    void aCidrResourceCoversItsAddressesEmbeddedInTheNat64PrefixAndTheirRepliesReturn() {
        GatewayHarness h = new GatewayHarness(26, c -> c.withNat64Prefix(Nat64Prefix.WELL_KNOWN));
        Client alice = h.connectClient("alice");
        h.gateway.replaceAuthorizations(alice.spec.id(),
                List.of(Authorization.permanent(GatewayInboundIsolationTest.LAB, List.of())), h.nowNs);

        alice.send(Packets.echoRequest(alice.ipv6, "64:ff9b::a63:5", 1, 1));
        alice.send(Packets.echoRequest(alice.ipv6, "64:ff9b::a64:5", 1, 2));

        assertThat(h.tun).hasSize(1);
        assertThat(Packets.icmpType(alice.received.getFirst())).isEqualTo(129);
        assertThat(Packets.icmpType(alice.lastReceived())).isEqualTo(1);
    }

    @Test
    void aClientIcmpErrorQuotingNoFlowOfItsOwnIsDroppedWithoutAnswer() {
        GatewayHarness h = new GatewayHarness(27);
        Client alice = h.connectClient("alice");
        h.gateway.replaceAuthorizations(alice.spec.id(),
                List.of(Authorization.permanent(GatewayInboundIsolationTest.LAB, List.of())), h.nowNs);
        alice.send(Packets.echoRequest(alice.ipv4, "10.99.0.5", 7, 1));

        byte[] forged = Packets.udp("10.99.0.5", 53, alice.ipv4, 5353, new byte[] {1});
        alice.send(Packets.icmpError(forged, IcmpError.PORT_UNREACHABLE));
        byte[] othersPacket = Packets.udp("10.99.0.5", 53, "100.64.0.99", 5353, new byte[] {1});
        alice.send(Packets.readdressed(Packets.icmpError(othersPacket, IcmpError.PORT_UNREACHABLE), alice.ipv4, null));

        assertThat(h.tun).hasSize(1);
        assertThat(alice.received).hasSize(1);
        assertThat(h.gateway.dropCount(GatewayDropReason.UNMATCHED_ICMP_ERROR)).isEqualTo(2);
    }

    @Test
    void aClientIcmpErrorAboutAReplyItReceivedIsForwarded() {
        GatewayHarness h = new GatewayHarness(28);
        Client alice = h.connectClient("alice");
        h.gateway.replaceAuthorizations(alice.spec.id(),
                List.of(Authorization.permanent(GatewayInboundIsolationTest.LAB, List.of())), h.nowNs);
        alice.send(Packets.udp(alice.ipv4, 5353, "10.99.0.5", 53, new byte[] {1}));

        alice.send(Packets.icmpError(alice.lastReceived(), IcmpError.PORT_UNREACHABLE));

        assertThat(h.tun).hasSize(2);
        assertThat(Packets.destination(h.tun.getLast())).isEqualTo("10.99.0.5");
        assertThat(Packets.icmpType(h.tun.getLast())).isEqualTo(3);
    }
}
