package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.SimWorld.OFFICE_HOST;
import static zonegate.tunnel.sim.SimWorld.office;
import static zonegate.tunnel.sim.SimWorld.permanent;
import static zonegate.tunnel.sim.TunnelSim.MS;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.filter.DnsPattern;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.node.P2pMessage;

/**
 * Two clients on one ICE-mode gateway keep out of each other's way: the same proxy addresses stand for
 * different domains per client, and full-size packets and the ICMP errors about them fit the tunnel.
 */
@ExtendWith(NoErrorLogs.class)
class IceGatewayIsolationTest {
    private static final UUID RESOURCE = UUID.fromString("7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e");
    private static final Resource APPS = new Resource.Dns(ResourceId.of(RESOURCE.toString()),
            DnsPattern.of("*.example.com"));

    private static List<InetAddress> proxies() {
        List<InetAddress> ips = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            ips.add(SimPackets.ip("100.96.0." + i));
        }
        for (int i = 1; i <= 4; i++) {
            ips.add(SimPackets.ip("fd00:2021:1111:8000::" + i));
        }
        return ips;
    }

    @Test
    void theSameProxyAddressesOfTwoClientsStandForTheirOwnDomains() {
        SimWorld alice = SimWorld.connected(1401, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC, permanent(APPS));
        ClientHost bobHost = alice.net().client("bob", Nat.Type.PORT_RESTRICTED);
        bobHost.useRelays(alice.relay());
        alice.net().runFor(200 * MS);
        alice.net().controlPlane.connect(bobHost, alice.gateway(), permanent(APPS));
        SimWorld bob = new SimWorld(alice.net(), alice.relay(), alice.gateway(), bobHost);
        bob.awaitClientConnected();
        alice.gateway().resolver.put("app.example.com", List.of(SimPackets.ip("10.20.0.7")));
        alice.gateway().resolver.put("db.example.com", List.of(SimPackets.ip("10.20.0.9")));

        alice.client().sendControl(alice.gateway(), new P2pMessage.AssignedIps(RESOURCE, "app.example.com", proxies()));
        bobHost.sendControl(alice.gateway(), new P2pMessage.AssignedIps(RESOURCE, "db.example.com", proxies()));
        alice.net().runFor(200 * MS);
        List<byte[]> aliceAnswer = alice.roundTrip(SimPackets.tcpSyn(alice.client().ipv4, 40000, "100.96.0.1", 443));
        List<byte[]> bobAnswer = bob.roundTrip(SimPackets.tcpSyn(bobHost.ipv4, 40000, "100.96.0.1", 443));

        assertThat(alice.gateway().site.received).extracting(SimPackets::destination, SimPackets::source)
                .containsExactly(Tuple.tuple("10.20.0.7", alice.client().ipv4),
                        Tuple.tuple("10.20.0.9", bobHost.ipv4));
        assertThat(aliceAnswer).singleElement().satisfies(p -> {
            assertThat(SimPackets.source(p)).isEqualTo("100.96.0.1");
            assertThat(SimPackets.destination(p)).isEqualTo(alice.client().ipv4);
        });
        assertThat(bobAnswer).singleElement().satisfies(p -> {
            assertThat(SimPackets.source(p)).isEqualTo("100.96.0.1");
            assertThat(SimPackets.destination(p)).isEqualTo(bobHost.ipv4);
        });
    }

    @Test
    void fullSizePacketsCrossTheRelayBothWaysAndTheirIcmpErrorsFitTheMtu() {
        SimWorld w = SimWorld.connected(1402, Nat.Type.SYMMETRIC, Nat.Type.SYMMETRIC,
                permanent(office(), new Filter.Udp(5000, 5000)));
        byte[] payload = new byte[1280 - 28];
        new SplittableRandom(1402).nextBytes(payload);

        List<byte[]> echoed = w.roundTrip(SimPackets.udp(w.client().ipv4, 40000, OFFICE_HOST, 5000, payload));
        List<byte[]> denied = w.roundTrip(SimPackets.udp(w.client().ipv4, 40000, OFFICE_HOST, 5001, payload));
        byte[] payload6 = new byte[1280 - 48];
        List<byte[]> denied6 = w.roundTrip(SimPackets.udp(w.client().ipv6, 40000, "fd00:20::1", 5000, payload6));

        assertThat(w.relayed()).isTrue();
        assertThat(echoed).singleElement().satisfies(p -> {
            assertThat(p).hasSize(1280);
            assertThat(SimPackets.udpPayload(p)).isEqualTo(payload);
        });
        assertThat(denied).singleElement().satisfies(p -> {
            assertThat(SimPackets.icmpCode(p)).isEqualTo(13);
            assertThat(p.length).isLessThanOrEqualTo(1280);
            assertThat(SimPackets.checksumsValid(p)).isTrue();
        });
        assertThat(denied6).singleElement().satisfies(p -> {
            assertThat(SimPackets.icmpType(p)).as("ICMPv6 destination unreachable").isEqualTo(1);
            assertThat(p.length).isLessThanOrEqualTo(1280);
            assertThat(SimPackets.checksumsValid(p)).isTrue();
        });
    }
}
