package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.SimWorld.OFFICE_HOST;
import static zonegate.tunnel.sim.SimWorld.office;
import static zonegate.tunnel.sim.SimWorld.permanent;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.wireguard.HandshakeCounter;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.packet.TcpView;
import zonegate.tunnel.GatewayDropReason;

/**
 * The ICE-mode gateway's data path end to end, between a client node and the gateway's simulated site,
 * through a real TURN relay: CIDR resources, filters answered with ICMP errors, the Internet resource and
 * its exclusions, filters updated in place.
 */
@ExtendWith(NoErrorLogs.class)
class IceGatewayDataPathTest {

    @Test
    void pingAndUdpReachACidrResourceThroughTheRelayWhenBothSidesAreBehindSymmetricNats() {
        SimWorld w = SimWorld.connected(101, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(office()));

        List<byte[]> pong = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 1));
        List<byte[]> echoed = w.roundTrip(SimPackets.udp(w.client().ipv4, 40000, OFFICE_HOST, 5000, new byte[] {1, 2, 3}));

        assertThat(w.relayed()).as("both sides behind symmetric NATs: relayed").isTrue();
        assertThat(pong).singleElement().satisfies(p -> {
            assertThat(SimPackets.isEchoReply(p)).isTrue();
            assertThat(SimPackets.source(p)).isEqualTo(OFFICE_HOST);
            assertThat(SimPackets.destination(p)).isEqualTo(w.client().ipv4);
            assertThat(SimPackets.checksumsValid(p)).isTrue();
        });
        assertThat(echoed).singleElement().satisfies(p -> {
            assertThat(SimPackets.udpPayload(p)).containsExactly(1, 2, 3);
            assertThat(SimPackets.sourcePort(p)).isEqualTo(5000);
            assertThat(SimPackets.destinationPort(p)).isEqualTo(40000);
        });
        assertThat(w.gateway().site.receivedFor(OFFICE_HOST)).hasSize(2);
    }

    @Test
    void pingAndUdpReachACidrResourceOnADirectPathWithARelayPresent() {
        SimWorld w = SimWorld.connected(102, Nat.Type.PORT_RESTRICTED, null, permanent(office()));

        List<byte[]> pongs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            pongs.addAll(w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, i)));
        }
        List<byte[]> echoed = w.roundTrip(SimPackets.udp(w.client().ipv4, 40001, "10.20.9.9", 53, new byte[] {9}));

        assertThat(w.relayed()).isFalse();
        assertThat(pongs).hasSize(5).allMatch(SimPackets::isEchoReply);
        assertThat(echoed).singleElement().satisfies(p -> assertThat(SimPackets.source(p)).isEqualTo("10.20.9.9"));
    }

    @Test
    void aTcpSynToAPortTheFilterDoesNotAllowGetsAdministrativelyProhibitedAndIsCounted() {
        SimWorld w = SimWorld.connected(103, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC,
                permanent(office(), new Filter.Tcp(443, 443)));

        List<byte[]> denied = w.roundTrip(SimPackets.tcpSyn(w.client().ipv4, 40000, OFFICE_HOST, 22));
        List<byte[]> allowed = w.roundTrip(SimPackets.tcpSyn(w.client().ipv4, 40001, OFFICE_HOST, 443));

        assertThat(denied).singleElement().satisfies(p -> {
            assertThat(SimPackets.icmpType(p)).isEqualTo(3);
            assertThat(SimPackets.icmpCode(p)).as("administratively prohibited").isEqualTo(13);
            assertThat(SimPackets.source(p)).isEqualTo(OFFICE_HOST);
            assertThat(SimPackets.checksumsValid(p)).isTrue();
        });
        assertThat(w.gateway().state.dropCount(GatewayDropReason.FILTERED)).isEqualTo(1);
        assertThat(w.gateway().state.filterAllowedCount()).as("the allowed SYN").isEqualTo(1);
        assertThat(w.gateway().state.handshakeCount(HandshakeCounter.INITIATIONS_ANSWERED)).isPositive();
        assertThat(w.gateway().site.received).noneMatch(p -> SimPackets.destinationPort(p) == 22);
        assertThat(allowed).singleElement().satisfies(p ->
                assertThat(SimPackets.tcpFlags(p)).isEqualTo(TcpView.SYN | TcpView.ACK));
    }

    @Test
    void theInternetResourceAnswersAnExcludedDestinationWithNetworkUnreachableAndPassesAPublicOne() {
        Resource internet = new Resource.Internet(ResourceId.of("internet"));
        SimWorld w = SimWorld.connected(104, Nat.Type.SYMMETRIC, Nat.Type.PORT_RESTRICTED, permanent(internet));

        List<byte[]> privateSite = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, "10.1.2.3", 7, 1));
        List<byte[]> home = w.roundTrip(SimPackets.udp(w.client().ipv4, 40000, "192.168.1.1", 53, new byte[] {1}));
        List<byte[]> pub = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, "1.1.1.1", 7, 2));

        assertThat(privateSite).singleElement().satisfies(p -> {
            assertThat(SimPackets.icmpType(p)).isEqualTo(3);
            assertThat(SimPackets.icmpCode(p)).as("network unreachable").isEqualTo(0);
        });
        assertThat(home).singleElement().satisfies(p -> {
            assertThat(SimPackets.icmpType(p)).isEqualTo(3);
            assertThat(SimPackets.icmpCode(p)).isEqualTo(0);
        });
        assertThat(pub).singleElement().satisfies(p -> {
            assertThat(SimPackets.isEchoReply(p)).isTrue();
            assertThat(SimPackets.source(p)).isEqualTo("1.1.1.1");
        });
        assertThat(w.gateway().state.dropCount(GatewayDropReason.NO_RESOURCE)).isEqualTo(2);
        assertThat(w.gateway().site.received).extracting(SimPackets::destination).containsExactly("1.1.1.1");
    }

    @Test
    void resourceUpdatedWithNewFiltersAppliesFromTheNextPacket() {
        SimWorld w = SimWorld.connected(105, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC,
                permanent(office(), new Filter.Icmp()));
        List<byte[]> udpBefore = w.roundTrip(SimPackets.udp(w.client().ipv4, 40000, OFFICE_HOST, 5000, new byte[] {1}));
        List<byte[]> pingBefore = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 1));

        w.gateway().state.resourceUpdated(office(), List.of(new Filter.Udp(5000, 5000)), w.net().nowNs);
        List<byte[]> udpAfter = w.roundTrip(SimPackets.udp(w.client().ipv4, 40000, OFFICE_HOST, 5000, new byte[] {2}));
        List<byte[]> pingAfter = w.roundTrip(SimPackets.echoRequest(w.client().ipv4, OFFICE_HOST, 7, 2));

        assertThat(udpBefore).singleElement().satisfies(p -> assertThat(SimPackets.icmpCode(p)).isEqualTo(13));
        assertThat(pingBefore).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        assertThat(udpAfter).singleElement().satisfies(p -> assertThat(SimPackets.udpPayload(p)).containsExactly(2));
        assertThat(pingAfter).singleElement().satisfies(p -> assertThat(SimPackets.icmpCode(p)).isEqualTo(13));
        assertThat(w.gateway().state.authorizationCount(w.client().spec.id())).isEqualTo(1);
    }
}
