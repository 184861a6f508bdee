package zonegate.tunnel;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.GatewayHarness.address;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.filter.Authorization;
import zonegate.tunnel.GatewayHarness.Client;

/** The DNS-resource NAT's shared port space: a reservation per client and a cap on any one's share (item 12). */
class GatewayNatShareTest {
    /** 17 clients x 2 reserved fit the 64 outside flows; each client may hold 8. */
    private final GatewayHarness h = new GatewayHarness(31, c -> c.withNatBounds(8, 2, 64));

    @Test
    void sixteenGreedyClientsCannotStarveASeventeenth() {
        List<Client> clients = new ArrayList<>();
        List<String> proxies = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            Client c = h.connectClient("c" + i);
            h.gateway.replaceAuthorizations(c.spec.id(),
                    List.of(Authorization.permanent(GatewayDnsResourceTest.WEB, List.of())), h.nowNs);
            proxies.add(h.gateway.assignDnsProxies(address(c.ipv4), "app.example.com", List.of(address("10.30.0.7")),
                    h.nowNs).ipv4().getFirst().getHostAddress());
            clients.add(c);
        }

        for (int i = 0; i < 16; i++) {
            for (int port = 6000; port < 6008; port++) {
                clients.get(i).send(Packets.udp(clients.get(i).ipv4, port, proxies.get(i), 8080, new byte[] {1}));
            }
        }
        Client late = clients.get(16);
        late.send(Packets.udp(late.ipv4, 6000, proxies.get(16), 8080, new byte[] {1}));
        late.send(Packets.udp(late.ipv4, 6001, proxies.get(16), 8080, new byte[] {1}));

        assertThat(late.received).hasSize(2);
        assertThat(h.gateway.clientStatus(late.spec.id()).natFlows()).isEqualTo(2);
        assertThat(clients.subList(0, 16)).allSatisfy(c ->
                assertThat(h.gateway.clientStatus(c.spec.id()).natFlows()).isBetween(2, 8));
        assertThat(h.gateway.dropCount(GatewayDropReason.NAT_OUTBOUND_FAILED)).isEqualTo(16 * 8 - 62);
    }
}
