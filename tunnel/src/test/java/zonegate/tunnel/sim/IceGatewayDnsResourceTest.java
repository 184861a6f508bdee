package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.SimWorld.permanent;
import static zonegate.tunnel.sim.TunnelSim.MS;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.filter.DnsPattern;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.node.P2pMessage;
import zonegate.packet.TcpView;
import zonegate.tunnel.GatewayEvent;

/**
 * DNS resources in ICE mode: the client's stub resolver picks 4 IPv4 and 4 IPv6 proxy addresses for a
 * domain and says so in AssignedIps; the gateway asks its shell to resolve the domain, programs the NAT and
 * answers DomainStatus; traffic to a proxy address then reaches the resolved address and its replies come
 * back from the proxy address.
 */
@ExtendWith(NoErrorLogs.class)
class IceGatewayDnsResourceTest {
    private static final UUID RESOURCE = UUID.fromString("6f1c2a5e-8a43-4c8e-9d1f-2b7e0c9a1d34");
    private static final Resource APPS = new Resource.Dns(ResourceId.of(RESOURCE.toString()),
            DnsPattern.of("*.example.com"));

    private static List<InetAddress> proxies(int first) {
        List<InetAddress> ips = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ips.add(SimPackets.ip("100.96.0." + (first + i)));
        }
        for (int i = 0; i < 4; i++) {
            ips.add(SimPackets.ip("fd00:2021:1111:8000::" + Integer.toHexString(first + i)));
        }
        return ips;
    }

    private static SimWorld world(long seed) {
        SimWorld w = SimWorld.connected(seed, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(APPS));
        w.gateway().resolver.put("app.example.com", List.of(SimPackets.ip("10.20.0.7"), SimPackets.ip("2001:db8:20::7")));
        return w;
    }

    @Test
    void assignedIpsAreResolvedAndTcpToAProxyAddressReachesTheResolvedAddressAndComesBackFromTheProxy() {
        SimWorld w = world(301);
        ClientHost alice = w.client();

        alice.sendControl(w.gateway(), new P2pMessage.AssignedIps(RESOURCE, "app.example.com", proxies(1)));
        w.net().runFor(200 * MS);
        List<byte[]> synAck4 = w.roundTrip(SimPackets.tcpSyn(alice.ipv4, 40000, "100.96.0.1", 443));
        List<byte[]> synAck6 = w.roundTrip(SimPackets.tcpSyn(alice.ipv6, 40001, "fd00:2021:1111:8000::2", 443));

        assertThat(w.relayed()).isTrue();
        assertThat(w.gateway().eventsOf(GatewayEvent.ResolveDomain.class)).singleElement().satisfies(r -> {
            assertThat(r.domain()).isEqualTo("app.example.com");
            assertThat(r.resourceId()).isEqualTo(APPS.id());
            assertThat(r.clientId()).isEqualTo(alice.spec.id());
        });
        assertThat(alice.controlMessages(P2pMessage.DomainStatus.class))
                .containsExactly(new P2pMessage.DomainStatus(RESOURCE, "app.example.com", true));
        assertThat(w.gateway().site.received).hasSize(2);
        byte[] syn4 = w.gateway().site.received.get(0);
        assertThat(SimPackets.destination(syn4)).isEqualTo("10.20.0.7");
        assertThat(SimPackets.destinationPort(syn4)).isEqualTo(443);
        assertThat(SimPackets.checksumsValid(syn4)).isTrue();
        assertThat(SimPackets.destination(w.gateway().site.received.get(1))).isEqualTo("2001:db8:20::7");
        assertThat(synAck4).singleElement().satisfies(p -> {
            assertThat(SimPackets.tcpFlags(p)).isEqualTo(TcpView.SYN | TcpView.ACK);
            assertThat(SimPackets.source(p)).isEqualTo("100.96.0.1");
            assertThat(SimPackets.sourcePort(p)).isEqualTo(443);
            assertThat(SimPackets.destination(p)).isEqualTo(alice.ipv4);
            assertThat(SimPackets.destinationPort(p)).isEqualTo(40000);
            assertThat(SimPackets.checksumsValid(p)).isTrue();
        });
        assertThat(synAck6).singleElement().satisfies(p -> {
            assertThat(SimPackets.source(p)).isEqualTo("fd00:2021:1111:8000::2");
            assertThat(SimPackets.destinationPort(p)).isEqualTo(40001);
            assertThat(SimPackets.checksumsValid(p)).isTrue();
        });
    }

    @Test
    void aDomainThatDoesNotMatchThePatternIsInactiveAtOnceWithoutAResolution() {
        SimWorld w = world(302);

        w.client().sendControl(w.gateway(), new P2pMessage.AssignedIps(RESOURCE, "app.other.com", proxies(5)));
        w.net().runFor(100 * MS);

        assertThat(w.client().controlMessages(P2pMessage.DomainStatus.class))
                .containsExactly(new P2pMessage.DomainStatus(RESOURCE, "app.other.com", false));
        assertThat(w.gateway().eventsOf(GatewayEvent.ResolveDomain.class)).isEmpty();
        List<byte[]> answer = w.roundTrip(SimPackets.tcpSyn(w.client().ipv4, 40000, "100.96.0.5", 443));
        assertThat(answer).singleElement().satisfies(p -> assertThat(SimPackets.icmpCode(p)).as("network unreachable")
                .isZero());
        assertThat(w.gateway().site.received).isEmpty();
    }

    @Test
    void aDomainTheResolverNeverAnswersIsInactiveAfterTenSecondsAndALateAnswerIsIgnored() {
        SimWorld w = world(303);
        ClientHost alice = w.client();

        alice.sendControl(w.gateway(), new P2pMessage.AssignedIps(RESOURCE, "slow.example.com", proxies(9)));
        w.net().runFor(9_900 * MS);
        List<P2pMessage.DomainStatus> before = alice.controlMessages(P2pMessage.DomainStatus.class);
        w.net().runFor(300 * MS);
        w.gateway().state.domainResolved(alice.spec.id(), "slow.example.com", List.of(SimPackets.ip("10.20.0.8")),
                w.net().nowNs);
        w.net().runFor(200 * MS);

        assertThat(w.gateway().eventsOf(GatewayEvent.ResolveDomain.class)).hasSize(1);
        assertThat(before).isEmpty();
        assertThat(alice.controlMessages(P2pMessage.DomainStatus.class))
                .containsExactly(new P2pMessage.DomainStatus(RESOURCE, "slow.example.com", false));
        assertThat(w.gateway().state.resolutionsGivenUp()).isEqualTo(1);
        List<byte[]> answer = w.roundTrip(SimPackets.tcpSyn(alice.ipv4, 40000, "100.96.0.9", 443));
        assertThat(answer).singleElement().satisfies(p -> assertThat(SimPackets.icmpType(p)).isEqualTo(3));
        assertThat(w.gateway().site.received).isEmpty();
    }
}
