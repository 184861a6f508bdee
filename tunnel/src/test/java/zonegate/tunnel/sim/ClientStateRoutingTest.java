package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.ClientWorld.OFFICE_HOST;
import static zonegate.tunnel.sim.ClientWorld.app;
import static zonegate.tunnel.sim.ClientWorld.cidr;
import static zonegate.tunnel.sim.ClientWorld.internet;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.filter.Cidr;
import zonegate.filter.ResourceId;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.ClientResource;

/**
 * The client's routing rules through real gateways: overlapping CIDR resources on two sites resolve the
 * same whatever the order they were listed in, an existing flow keeps its gateway when a better resource
 * appears, changes to other resources leave the CIDR routes alone, and the Internet resource's toggle.
 */
@ExtendWith(NoErrorLogs.class)
@InfoRepeats(24) // one test runs four worlds, whose hosts start and connect alike
class ClientStateRoutingTest {

    @Test
    void overlappingResourcesOnTwoGatewaysResolveTheSameWhateverTheOrderTheyCameIn() {
        List<ClientResource> resources = new ArrayList<>(List.of(cidr("r1-hq", "10.20.0.0/16", "hq"),
                cidr("r2-lab", "10.20.0.0/16", "lab"), cidr("r3-lab", "10.20.0.0/24", "lab"),
                cidr("r0-hq", "10.0.0.0/8", "hq")));
        SplittableRandom random = new SplittableRandom(5);
        for (int order = 0; order < 4; order++) {
            Collections.shuffle(resources, new java.util.Random(random.nextLong()));
            ClientWorld w = new ClientWorld(300 + order, null, null).start(resources.toArray(ClientResource[]::new));

            w.exchange(SimPackets.echoRequest(w.alice.ipv4, "10.20.0.5", 1, 1), 3_000);
            w.exchange(SimPackets.echoRequest(w.alice.ipv4, "10.20.1.5", 1, 2), 3_000);
            w.exchange(SimPackets.echoRequest(w.alice.ipv4, "10.21.0.5", 1, 3), 3_000);

            assertThat(w.lab.site.receivedFor("10.20.0.5")).as("the /24 beats the /16s, order %s", resources).hasSize(1);
            assertThat(w.hq.site.receivedFor("10.20.1.5")).as("equal /16s: the smaller id, r1-hq").hasSize(1);
            assertThat(w.hq.site.receivedFor("10.21.0.5")).as("only the /8").hasSize(1);
            assertThat(w.alice.eventsOf(ClientEvent.ConnectionIntent.class)).extracting(i -> i.resourceId().value())
                    .containsExactly("r3-lab", "r1-hq", "r0-hq");
        }
    }

    @Test
    void aFlowKeepsItsGatewayWhenASmallerIdOverlappingResourceAppears() {
        ClientResource later = cidr("a-hq", "10.20.0.0/16", "hq");
        ClientWorld w = new ClientWorld(310, null, null).start(cidr("b-lab", "10.20.0.0/16", "lab"));
        w.exchange(SimPackets.udp(w.alice.ipv4, 40000, OFFICE_HOST, 5000, new byte[] {1}), 3_000);

        w.alice.grant(later, w.hq, zonegate.filter.Authorization.permanent(later.resource(), List.of()));
        w.alice.state.resourceCreatedOrUpdated(later, w.net.nowNs);
        List<byte[]> sameFlow = w.exchange(SimPackets.udp(w.alice.ipv4, 40000, OFFICE_HOST, 5000, new byte[] {2}), 200);
        w.exchange(SimPackets.udp(w.alice.ipv4, 40001, OFFICE_HOST, 5000, new byte[] {3}), 3_000);

        assertThat(sameFlow).as("the existing flow still answered, through lab").hasSize(1);
        assertThat(w.lab.site.receivedFor(OFFICE_HOST)).hasSize(2);
        assertThat(w.hq.site.receivedFor(OFFICE_HOST)).as("a new flow takes the new, smaller-id resource")
                .singleElement().satisfies(p -> assertThat(SimPackets.sourcePort(p)).isEqualTo(40001));
    }

    @Test
    void addingOrRemovingNonCidrResourcesDoesNotRecomputeTheCidrRoutes() {
        ClientWorld w = new ClientWorld(311, null, null).start(cidr("office", "10.20.0.0/16", "hq"), app(), internet());
        long before = w.alice.state.cidrRouteRebuilds();

        w.alice.state.resourceDeleted(ClientWorld.APP_ID, w.net.nowNs);
        w.alice.state.resourceDeleted(ResourceId.of("internet"), w.net.nowNs);
        w.alice.state.resourceCreatedOrUpdated(app(), w.net.nowNs);
        long afterOthers = w.alice.state.cidrRouteRebuilds();
        w.alice.state.resourceCreatedOrUpdated(cidr("lab", "10.40.0.0/16", "lab"), w.net.nowNs);

        assertThat(afterOthers).isEqualTo(before);
        assertThat(w.alice.state.cidrRouteRebuilds()).isEqualTo(before + 1);
    }

    @Test
    void theInternetResourceCarriesPublicDestinationsOnlyWhileEnabled() {
        ClientWorld w = new ClientWorld(312, null, null).start(internet());

        List<byte[]> off = w.exchange(SimPackets.echoRequest(w.alice.ipv4, "9.9.9.9", 1, 1), 50);
        w.alice.state.setInternetResourceEnabled(true, w.net.nowNs);
        List<byte[]> on = w.exchange(SimPackets.echoRequest(w.alice.ipv4, "9.9.9.9", 1, 2), 3_000);
        List<byte[]> privateAddress = w.exchange(SimPackets.echoRequest(w.alice.ipv4, "192.168.1.1", 1, 3), 50);
        List<byte[]> tunnelRange = w.exchange(SimPackets.echoRequest(w.alice.ipv4, "100.64.0.77", 1, 4), 50);
        w.alice.state.setInternetResourceEnabled(false, w.net.nowNs);
        List<byte[]> offAgain = w.exchange(SimPackets.echoRequest(w.alice.ipv4, "9.9.9.9", 1, 5), 50);

        assertThat(networkUnreachable(off)).isTrue();
        assertThat(on).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
        assertThat(networkUnreachable(privateAddress)).isTrue();
        assertThat(networkUnreachable(tunnelRange)).isTrue();
        assertThat(networkUnreachable(offAgain)).isTrue();
        assertThat(w.hq.site.received).hasSize(1);
        ClientEvent.TunConfigChanged tun = w.alice.latest(ClientEvent.TunConfigChanged.class);
        assertThat(tun.config().routes()).doesNotContain(Cidr.parse("0.0.0.0/0"));
    }

    @Test
    void theTunConfigurationNamesTheSentinelAndEveryCidrResource() {
        ClientWorld w = new ClientWorld(313, null, null).start(cidr("office", "10.20.0.0/16", "hq"), internet());
        w.alice.state.setInternetResourceEnabled(true, w.net.nowNs);
        w.net.runFor(TunnelSim.MS);

        ClientEvent.TunConfigChanged tun = w.alice.latest(ClientEvent.TunConfigChanged.class);
        assertThat(tun.config().routes()).contains(Cidr.parse("10.20.0.0/16"), Cidr.parse("0.0.0.0/0"),
                Cidr.parse("::/0"), Cidr.parse("100.100.111.0/24"), Cidr.parse("100.96.0.0/11"));
        assertThat(tun.config().dnsBySentinel()).containsOnlyKeys(SimPackets.ip(ClientWorld.SENTINEL));
    }

    private static boolean networkUnreachable(List<byte[]> packets) {
        return packets.size() == 1 && SimPackets.icmpType(packets.getFirst()) == 3
                && SimPackets.icmpCode(packets.getFirst()) == 0;
    }
}
