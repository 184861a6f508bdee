package zonegate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.GatewayHarness.address;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.ClientId;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.tunnel.GatewayHarness.Client;

/** Commands: upsert, remove and the full-policy diff of a reload. */
class GatewayPolicyTest {
    static final Resource LAB = new Resource.CidrRange(ResourceId.of("lab"), Cidr.parse("10.99.0.0/16"));

    private final GatewayHarness h = new GatewayHarness(3);

    @Test
    void reloadChangingOneClientsPolicyLeavesAnotherClientsSessionCountersAndNatFlowsUntouched() {
        Client alice = h.addClient("alice");
        Client bob = h.addClient("bob");
        List<Authorization> aliceAuth = List.of(GatewayDataPathTest.OFFICE_ICMP_AND_HTTPS,
                Authorization.permanent(GatewayDnsResourceTest.WEB, List.of()));
        h.gateway.applyPolicy(List.of(alice.spec, bob.spec),
                Map.of(alice.spec.id(), aliceAuth, bob.spec.id(), List.of()), h.nowNs);
        String proxy = h.gateway.assignDnsProxies(address(alice.ipv4), "app.example.com",
                List.of(address("10.30.0.7")), h.nowNs).ipv4().getFirst().getHostAddress();
        alice.send(Packets.udp(alice.ipv4, 5353, proxy, 8080, new byte[] {1}));
        bob.send(Packets.echoRequest(bob.ipv4, "10.99.0.1", 1, 1));
        ClientStatus before = h.gateway.clientStatus(alice.spec.id());

        PolicyResult result = h.gateway.applyPolicy(List.of(alice.spec, bob.spec),
                Map.of(alice.spec.id(), List.copyOf(aliceAuth), bob.spec.id(),
                        List.of(Authorization.permanent(LAB, List.of()))), h.nowNs);

        assertThat(result.unchanged()).isEqualTo(2);
        assertThat(result.authorizationsReplaced()).isOne();
        assertThat(h.gateway.clientStatus(alice.spec.id())).isEqualTo(before);
        assertThat(before.natFlows()).isOne();
        alice.send(Packets.udp(alice.ipv4, 5353, proxy, 8080, new byte[] {2}));
        assertThat(Packets.source(alice.lastReceived())).isEqualTo(proxy);
        assertThat(h.gateway.clientStatus(alice.spec.id()).handshakesCompleted()).isOne();
        bob.send(Packets.echoRequest(bob.ipv4, "10.99.0.1", 1, 2));
        assertThat(Packets.icmpType(bob.lastReceived())).isZero();
    }

    @Test
    void reloadAddsNewClientsAndRemovesMissingOnes() {
        Client alice = h.addClient("alice");
        Client bob = h.addClient("bob");
        h.gateway.applyPolicy(List.of(alice.spec), Map.of(), h.nowNs);

        PolicyResult result = h.gateway.applyPolicy(List.of(bob.spec), Map.of(), h.nowNs);

        assertThat(result.added()).isOne();
        assertThat(result.removed()).isOne();
        assertThat(h.gateway.clientStatus(alice.spec.id())).isNull();
        assertThat(h.gateway.clientStatus(bob.spec.id())).isNotNull();
    }

    @Test
    void upsertWithAChangedTunnelAddressKeepsTheSession() {
        Client alice = h.connectClient("alice");
        alice.send(Packets.udp(alice.ipv4, 1, GatewayHarness.GATEWAY_V4, 53, new byte[1]));

        UpsertResult result = h.gateway.upsertClient(new ClientSpec(alice.spec.id(), alice.spec.publicKey(), null,
                zonegate.filter.TunnelAddresses.of("100.64.0.77", alice.ipv6)), h.nowNs);

        assertThat(result).isEqualTo(UpsertResult.UPDATED);
        assertThat(h.gateway.clientStatus(alice.spec.id()).connected()).isTrue();
        alice.send(Packets.udp("100.64.0.77", 1, GatewayHarness.GATEWAY_V4, 53, new byte[1]));
        assertThat(h.tun).hasSize(2);
        assertThat(h.gateway.clientStatus(alice.spec.id()).handshakesCompleted()).isOne();
    }

    @Test
    void upsertRefusesAKeyOrAddressAnotherClientUses() {
        Client alice = h.connectClient("alice");
        Client bob = h.addClient("bob");

        assertThat(h.gateway.upsertClient(new ClientSpec(bob.spec.id(), alice.spec.publicKey(), null,
                bob.spec.addresses()), h.nowNs)).isEqualTo(UpsertResult.REFUSED_KEY_IN_USE);
        assertThat(h.gateway.upsertClient(new ClientSpec(bob.spec.id(), bob.spec.publicKey(), null,
                alice.spec.addresses()), h.nowNs)).isEqualTo(UpsertResult.REFUSED_ADDRESS_IN_USE);
        assertThat(h.gateway.clientCount()).isOne();
    }

    @Test
    void removedClientCanNoLongerSendOrReceive() {
        Client alice = h.connectClient("alice");
        alice.send(Packets.udp(alice.ipv4, 1, GatewayHarness.GATEWAY_V4, 53, new byte[1]));

        assertThat(h.gateway.removeClient(ClientId.of("alice"), h.nowNs)).isTrue();
        alice.send(Packets.udp(alice.ipv4, 1, GatewayHarness.GATEWAY_V4, 53, new byte[1]));
        h.fromResource(Packets.echoRequest("10.20.0.5", alice.ipv4, 1, 1));

        assertThat(h.tun).hasSize(1);
        assertThat(h.gateway.dropCount(GatewayDropReason.WIREGUARD_REJECTED)).isOne();
        assertThat(h.gateway.dropCount(GatewayDropReason.UNKNOWN_DESTINATION)).isOne();
    }
}
