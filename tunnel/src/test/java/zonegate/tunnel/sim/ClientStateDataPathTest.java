package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.ClientWorld.APP_ADDRESS;
import static zonegate.tunnel.sim.ClientWorld.OFFICE_HOST;
import static zonegate.tunnel.sim.ClientWorld.app;
import static zonegate.tunnel.sim.ClientWorld.cidr;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.filter.Authorization;
import zonegate.filter.Filter;
import zonegate.tunnel.ClientCounter;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.GatewayDropReason;

/**
 * The client state machine end to end: packets from its TUN device, through the connection intent, the
 * portal's authorisation, ICE (relayed: both sides behind symmetric NATs), the ICE-mode gateway and its
 * site, and back.
 */
@ExtendWith(NoErrorLogs.class)
class ClientStateDataPathTest {

    @Test
    void pingAndUdpToACidrResourceRaiseOneIntentThenFlowBothWays() {
        ClientWorld w = new ClientWorld(201, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC)
                .start(cidr("office", "10.20.0.0/16", "hq"));

        List<byte[]> first = w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 9, 1), 3_000);
        List<byte[]> udp = w.exchange(SimPackets.udp(w.alice.ipv4, 40000, OFFICE_HOST, 5000, new byte[] {4, 2}), 200);

        assertThat(w.alice.eventsOf(ClientEvent.ConnectionIntent.class)).singleElement()
                .satisfies(i -> assertThat(i.resourceId().value()).isEqualTo("office"));
        assertThat(first).as("the ping waited for the connection, then its reply came").singleElement()
                .satisfies(p -> {
                    assertThat(SimPackets.isEchoReply(p)).isTrue();
                    assertThat(SimPackets.source(p)).isEqualTo(OFFICE_HOST);
                });
        assertThat(udp).singleElement().satisfies(p -> assertThat(SimPackets.udpPayload(p)).containsExactly(4, 2));
        assertThat(w.hq.site.receivedFor(OFFICE_HOST)).hasSize(2);
        assertThat(w.alice.state.connectionState("hq")).isNotNull();
    }

    @Test
    void aDnsResourceIsAnsweredWithProxyAddressesAndTranslatedByTheGateway() {
        ClientWorld w = new ClientWorld(202, null, Nat.Type.PORT_RESTRICTED).start(app());

        List<InetAddress> proxies = w.resolve4("app.example.com");
        String proxy = proxies.getFirst().getHostAddress();
        List<byte[]> back = w.exchange(SimPackets.tcpSyn(w.alice.ipv4, 40001, proxy, 443), 3_000);

        assertThat(proxies).hasSize(4).allSatisfy(a -> assertThat(a.getHostAddress()).startsWith("100."));
        assertThat(w.hq.site.receivedFor(APP_ADDRESS)).as("translated to the resolved address").singleElement()
                .satisfies(p -> assertThat(SimPackets.destinationPort(p)).isEqualTo(443));
        assertThat(back).singleElement().satisfies(p -> {
            assertThat(SimPackets.source(p)).as("the SYN-ACK comes from the proxy address").isEqualTo(proxy);
            assertThat(SimPackets.tcpFlags(p) & 0x12).isEqualTo(0x12);
        });
    }

    @Test
    void aPortTheClientsFilterDeniesIsRefusedLocallyWithoutAnIntent() {
        ClientWorld w = new ClientWorld(203, null, null).start(cidr("office", "10.20.0.0/16", "hq", new Filter.Tcp(443, 443)));

        List<byte[]> back = w.exchange(SimPackets.tcpSyn(w.alice.ipv4, 40002, OFFICE_HOST, 22), 50);

        assertThat(back).singleElement().satisfies(p -> {
            assertThat(SimPackets.icmpType(p)).isEqualTo(3);
            assertThat(SimPackets.icmpCode(p)).as("administratively prohibited").isEqualTo(13);
            assertThat(SimPackets.source(p)).isEqualTo(OFFICE_HOST);
        });
        assertThat(w.alice.eventsOf(ClientEvent.ConnectionIntent.class)).isEmpty();
        assertThat(w.alice.state.count(ClientCounter.FILTERED)).isEqualTo(1);
    }

    @Test
    void aPortOnlyTheGatewaysAuthorisationDeniesIsRefusedByTheGateway() {
        ClientResource office = cidr("office", "10.20.0.0/16", "hq");
        ClientWorld w = new ClientWorld(204, null, null).start(office);
        w.alice.grant(office, w.hq, Authorization.permanent(office.resource(), List.of(new Filter.Tcp(443, 443))));

        List<byte[]> back = w.exchange(SimPackets.tcpSyn(w.alice.ipv4, 40003, OFFICE_HOST, 22), 3_000);

        assertThat(back).singleElement().satisfies(p -> {
            assertThat(SimPackets.icmpType(p)).isEqualTo(3);
            assertThat(SimPackets.icmpCode(p)).isEqualTo(13);
        });
        assertThat(w.hq.state.dropCount(GatewayDropReason.FILTERED)).isEqualTo(1);
        assertThat(w.hq.site.received).isEmpty();
    }

    @Test
    void noRouteIsAnsweredNetworkUnreachableLocally() {
        ClientWorld w = new ClientWorld(205, null, null).start(cidr("office", "10.20.0.0/16", "hq"));

        List<byte[]> back = w.exchange(SimPackets.udp(w.alice.ipv4, 40004, "10.99.0.1", 53, new byte[4]), 50);

        assertThat(back).singleElement().satisfies(p -> {
            assertThat(SimPackets.icmpType(p)).isEqualTo(3);
            assertThat(SimPackets.icmpCode(p)).as("network unreachable").isZero();
        });
        assertThat(w.alice.state.count(ClientCounter.NO_ROUTE)).isEqualTo(1);
    }

    @Test
    void aSpoofedSourceIsDropped() {
        ClientWorld w = new ClientWorld(206, null, null).start(cidr("office", "10.20.0.0/16", "hq"));

        List<byte[]> back = w.exchange(SimPackets.echoRequest("100.64.0.99", OFFICE_HOST, 1, 1), 3_000);

        assertThat(back).isEmpty();
        assertThat(w.alice.eventsOf(ClientEvent.ConnectionIntent.class)).isEmpty();
        assertThat(w.alice.state.count(ClientCounter.SPOOFED)).isEqualTo(1);
    }

    @Test
    void anUnansweredIntentIsRaisedAgainAtMostEveryTwoSeconds() {
        ClientResource office = cidr("office", "10.20.0.0/16", "hq");
        ClientWorld w = new ClientWorld(207, null, null).start(office);
        w.alice.grants.clear();

        for (int i = 0; i < 30; i++) {
            w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, i), 100);
        }

        assertThat(w.alice.eventsOf(ClientEvent.ConnectionIntent.class)).as("3 s of pings: at 0, 2 s").hasSize(2);
    }
}
