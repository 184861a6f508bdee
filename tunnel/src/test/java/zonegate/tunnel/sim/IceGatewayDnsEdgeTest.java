package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.SimWorld.office;
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
 * DNS resources in ICE mode beyond the happy path: a domain resolved to one family reached from the other
 * (NAT64), AssignedIps repeated, resolutions that fail or name a forbidden target, the resource revoked,
 * and the translations surviving a connection made again.
 */
@ExtendWith(NoErrorLogs.class)
class IceGatewayDnsEdgeTest {
    private static final UUID RESOURCE = UUID.fromString("0b6c3f0e-1d2a-4b5c-8e9f-a1b2c3d4e5f6");
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
        SimWorld w = SimWorld.connected(seed, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(APPS),
                permanent(office()));
        w.gateway().resolver.put("app.example.com", List.of(SimPackets.ip("10.20.0.7")));
        w.gateway().resolver.put("loop.example.com", List.of(SimPackets.ip("127.0.0.1")));
        return w;
    }

    private static void assign(SimWorld w, String domain, int first) {
        w.client().sendControl(w.gateway(), new P2pMessage.AssignedIps(RESOURCE, domain, proxies(first)));
        w.net().runFor(200 * MS);
    }

    @Test
    void aDomainResolvedToIpv4OnlyIsReachedFromItsIpv6ProxyThroughNat64() {
        SimWorld w = world(1101);
        assign(w, "app.example.com", 1);

        List<byte[]> synAck = w.roundTrip(SimPackets.tcpSyn(w.client().ipv6, 40000, "fd00:2021:1111:8000::3", 443));

        assertThat(w.gateway().site.received).singleElement().satisfies(p -> {
            assertThat(SimPackets.destination(p)).isEqualTo("10.20.0.7");
            assertThat(SimPackets.source(p)).isEqualTo(w.client().ipv4);
            assertThat(SimPackets.checksumsValid(p)).isTrue();
        });
        assertThat(synAck).singleElement().satisfies(p -> {
            assertThat(SimPackets.source(p)).isEqualTo("fd00:2021:1111:8000::3");
            assertThat(SimPackets.destination(p)).isEqualTo(w.client().ipv6);
            assertThat(SimPackets.destinationPort(p)).isEqualTo(40000);
            assertThat(SimPackets.tcpFlags(p)).isEqualTo(TcpView.SYN | TcpView.ACK);
            assertThat(SimPackets.checksumsValid(p)).isTrue();
        });
    }

    @Test
    void aRepeatedAssignedIpsResolvesAgainAndTheTranslationKeepsWorking() {
        SimWorld w = world(1102);
        assign(w, "app.example.com", 1);
        w.gateway().resolver.put("app.example.com", List.of(SimPackets.ip("10.20.0.8")));

        assign(w, "app.example.com", 1);
        List<byte[]> synAck = w.roundTrip(SimPackets.tcpSyn(w.client().ipv4, 40000, "100.96.0.1", 443));

        assertThat(w.gateway().eventsOf(GatewayEvent.ResolveDomain.class)).hasSize(2);
        assertThat(w.client().controlMessages(P2pMessage.DomainStatus.class)).hasSize(2)
                .allMatch(P2pMessage.DomainStatus::active);
        assertThat(w.gateway().site.received).singleElement()
                .satisfies(p -> assertThat(SimPackets.destination(p)).isEqualTo("10.20.0.8"));
        assertThat(synAck).singleElement().satisfies(p -> assertThat(SimPackets.source(p)).isEqualTo("100.96.0.1"));
    }

    @Test
    void aFailedResolutionAndAForbiddenTargetAreInactive() {
        SimWorld w = world(1103);
        assign(w, "loop.example.com", 1);
        w.client().sendControl(w.gateway(), new P2pMessage.AssignedIps(RESOURCE, "gone.example.com", proxies(5)));
        w.net().runFor(50 * MS);
        w.gateway().state.domainResolved(w.client().spec.id(), "gone.example.com", null, w.net().nowNs);
        w.net().runFor(200 * MS);

        assertThat(w.client().controlMessages(P2pMessage.DomainStatus.class)).containsExactly(
                new P2pMessage.DomainStatus(RESOURCE, "loop.example.com", false),
                new P2pMessage.DomainStatus(RESOURCE, "gone.example.com", false));
        List<byte[]> answer = w.roundTrip(SimPackets.tcpSyn(w.client().ipv4, 40000, "100.96.0.1", 443));
        assertThat(answer).singleElement().satisfies(p -> assertThat(SimPackets.icmpType(p)).isEqualTo(3));
        assertThat(w.gateway().site.received).isEmpty();
    }

    @Test
    void aRevokedDnsResourceNoLongerTranslatesWhileTheConnectionStays() {
        SimWorld w = world(1104);
        assign(w, "app.example.com", 1);
        w.roundTrip(SimPackets.tcpSyn(w.client().ipv4, 40000, "100.96.0.1", 443));

        w.gateway().state.rejectAccess(w.client().spec.id(), APPS.id(), w.net().nowNs);
        List<byte[]> answer = w.roundTrip(SimPackets.tcpSyn(w.client().ipv4, 40001, "100.96.0.1", 443));

        assertThat(answer).singleElement().satisfies(p -> assertThat(SimPackets.icmpType(p)).isEqualTo(3));
        assertThat(w.gateway().site.received).hasSize(1);
        assertThat(w.bothConnected()).isTrue();
    }

    @Test
    void theTranslationsSurviveTheConnectionBeingMadeAgain() {
        SimWorld w = world(1105);
        assign(w, "app.example.com", 1);

        w.net().controlPlane.connect(w.client(), w.gateway(), permanent(APPS), permanent(office()));
        w.awaitClientConnected();
        List<byte[]> synAck = w.roundTrip(SimPackets.tcpSyn(w.client().ipv4, 40000, "100.96.0.2", 443));

        assertThat(synAck).singleElement().satisfies(p -> assertThat(SimPackets.source(p)).isEqualTo("100.96.0.2"));
        assertThat(w.gateway().site.received).singleElement()
                .satisfies(p -> assertThat(SimPackets.destination(p)).isEqualTo("10.20.0.7"));
    }
}
