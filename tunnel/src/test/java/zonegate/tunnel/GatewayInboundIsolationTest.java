package zonegate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.GatewayHarness.S;
import static zonegate.tunnel.GatewayHarness.address;

import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.packet.IcmpError;
import zonegate.tunnel.GatewayHarness.Client;

/**
 * Site to client: only what belongs to a flow the client opened reaches it (issue 16, items 2 and 4).
 * The harness's host kernel echoes the client's UDP and answers its pings, which are the replies here.
 */
class GatewayInboundIsolationTest {
    static final Resource LAB = new Resource.CidrRange(ResourceId.of("lab"), Cidr.parse("10.99.0.0/16"));

    private final GatewayHarness h = new GatewayHarness(11);

    private Client clientWithLab(String name) {
        Client c = h.connectClient(name);
        h.gateway.replaceAuthorizations(c.spec.id(), List.of(Authorization.permanent(LAB, List.of())), h.nowNs);
        return c;
    }

    @Test
    void anUnsolicitedUdpDatagramFromTheSiteNeverReachesTheClient() {
        Client alice = clientWithLab("alice");
        alice.send(Packets.echoRequest(alice.ipv4, "10.99.0.5", 7, 1));

        h.fromResource(Packets.udp("10.99.0.5", 5000, alice.ipv4, 6000, new byte[] {1}));
        h.fromResource(Packets.tcpSyn("10.99.0.5", 5000, alice.ipv4, 22));
        h.fromResource(Packets.echoRequest("10.99.0.5", alice.ipv4, 7, 1));

        assertThat(alice.received).hasSize(1);
        assertThat(h.gateway.dropCount(GatewayDropReason.UNSOLICITED_INBOUND)).isEqualTo(3);
    }

    @Test
    void repliesArriveOnlyFromTheFlowsRemoteAddressAndPort() {
        Client alice = clientWithLab("alice");
        alice.send(Packets.udp(alice.ipv4, 5353, "10.99.0.5", 53, new byte[] {1}));
        assertThat(alice.received).hasSize(1);

        h.fromResource(Packets.udp("10.99.0.5", 53, alice.ipv4, 5353, new byte[] {2}));
        h.fromResource(Packets.udp("10.99.0.5", 54, alice.ipv4, 5353, new byte[] {3}));
        h.fromResource(Packets.udp("10.99.0.6", 53, alice.ipv4, 5353, new byte[] {4}));
        h.fromResource(Packets.udp("10.99.0.5", 53, alice.ipv4, 5354, new byte[] {5}));

        assertThat(alice.received).hasSize(2);
        assertThat(h.gateway.dropCount(GatewayDropReason.UNSOLICITED_INBOUND)).isEqualTo(3);
    }

    @Test
    void aFlowIdlePastItsTimeoutOrWithoutItsAuthorisationTakesNoMoreReplies() {
        Client alice = clientWithLab("alice");
        Client bob = clientWithLab("bob");
        alice.send(Packets.udp(alice.ipv4, 5353, "10.99.0.5", 53, new byte[] {1}));
        bob.send(Packets.udp(bob.ipv4, 5353, "10.99.0.5", 53, new byte[] {1}));

        h.gateway.replaceAuthorizations(bob.spec.id(), List.of(), h.nowNs);
        h.fromResource(Packets.udp("10.99.0.5", 53, bob.ipv4, 5353, new byte[] {2}));
        h.advance(119 * S);
        h.fromResource(Packets.udp("10.99.0.5", 53, alice.ipv4, 5353, new byte[] {2}));
        h.advance(120 * S + 1);
        alice.send(Packets.echoRequest(alice.ipv4, "10.99.0.6", 7, 1));
        h.fromResource(Packets.udp("10.99.0.5", 53, alice.ipv4, 5353, new byte[] {3}));

        assertThat(bob.received).hasSize(1);
        assertThat(alice.received).hasSize(3);
        assertThat(Packets.source(alice.lastReceived())).isEqualTo("10.99.0.6");
        assertThat(h.gateway.dropCount(GatewayDropReason.UNSOLICITED_INBOUND)).isEqualTo(2);
    }

    @Test
    void anIcmpErrorAboutTheClientsFlowArrivesButOneAboutNoFlowDoesNot() {
        Client alice = clientWithLab("alice");
        byte[] probe = Packets.udp(alice.ipv4, 5353, "10.99.0.5", 33434, new byte[] {1});
        alice.send(probe);

        h.fromResource(Packets.icmpError(probe, IcmpError.PORT_UNREACHABLE));
        h.fromResource(Packets.icmpError(Packets.udp(alice.ipv4, 5353, "10.99.0.5", 33435, new byte[] {1}),
                IcmpError.PORT_UNREACHABLE));

        assertThat(alice.received).hasSize(2);
        assertThat(Packets.icmpType(alice.lastReceived())).isEqualTo(3);
        assertThat(h.gateway.dropCount(GatewayDropReason.UNSOLICITED_INBOUND)).isOne();
    }

    @Test
    void anIcmpErrorQuotingAnotherClientsFlowReachesNeitherClient() {
        Client alice = clientWithLab("alice");
        Client bob = clientWithLab("bob");
        byte[] bobsProbe = Packets.udp(bob.ipv4, 5353, "10.99.0.5", 33434, new byte[] {1});
        bob.send(bobsProbe);
        alice.send(Packets.echoRequest(alice.ipv4, "10.99.0.5", 7, 1));

        h.fromResource(Packets.readdressed(Packets.icmpError(bobsProbe, IcmpError.PORT_UNREACHABLE), null, alice.ipv4));

        assertThat(alice.received).hasSize(1);
        assertThat(bob.received).hasSize(1);
        assertThat(h.gateway.dropCount(GatewayDropReason.UNSOLICITED_INBOUND)).isOne();
    }

    @Test
    void anIcmpErrorQuotingAnotherClientsDnsResourceNatFlowIsNotTranslatedForTheClientItIsSentTo() {
        Client alice = h.connectClient("alice");
        Client bob = h.connectClient("bob");
        for (Client c : List.of(alice, bob)) {
            h.gateway.replaceAuthorizations(c.spec.id(),
                    List.of(Authorization.permanent(GatewayDnsResourceTest.WEB, List.of())), h.nowNs);
        }
        String aliceProxy = h.gateway.assignDnsProxies(address(alice.ipv4), "app.example.com",
                List.of(address("10.30.0.7")), h.nowNs).ipv4().getFirst().getHostAddress();
        String bobProxy = h.gateway.assignDnsProxies(address(bob.ipv4), "app.example.com",
                List.of(address("10.30.0.7")), h.nowNs).ipv4().getFirst().getHostAddress();
        alice.send(Packets.udp(alice.ipv4, 5353, aliceProxy, 8080, new byte[] {1}));
        bob.send(Packets.udp(bob.ipv4, 5353, bobProxy, 8080, new byte[] {1}));
        byte[] bobsTranslated = h.tun.getLast();

        h.fromResource(Packets.readdressed(Packets.icmpError(bobsTranslated, IcmpError.PORT_UNREACHABLE),
                null, alice.ipv4));
        h.fromResource(Packets.icmpError(bobsTranslated, IcmpError.PORT_UNREACHABLE));

        assertThat(alice.received).hasSize(1);
        assertThat(bob.received).hasSize(2);
        assertThat(Packets.source(bob.lastReceived())).isEqualTo(bobProxy);
        assertThat(h.gateway.dropCount(GatewayDropReason.UNSOLICITED_INBOUND)).isOne();
    }

    @Test
    void aRepliesFirstFragmentAdmitsTheRestOfItsFragmentsButNoOtherFragments() {
        Client alice = clientWithLab("alice");
        alice.send(Packets.udp(alice.ipv4, 5353, "10.99.0.5", 53, new byte[] {1}));
        byte[] first = Packets.fragment(Packets.udp("10.99.0.5", 53, alice.ipv4, 5353, new byte[32]), true, 0);
        byte[] rest = Packets.fragment(Packets.udp("10.99.0.5", 9, alice.ipv4, 9, new byte[8]), false, 40);
        byte[] stray = Packets.fragment(Packets.udp("10.99.0.6", 9, alice.ipv4, 9, new byte[8]), false, 40);

        h.fromResource(rest);
        h.fromResource(first);
        h.fromResource(rest);
        h.fromResource(stray);

        assertThat(alice.received).hasSize(3);
        assertThat(h.gateway.dropCount(GatewayDropReason.UNSOLICITED_INBOUND)).isEqualTo(2);
    }
}
