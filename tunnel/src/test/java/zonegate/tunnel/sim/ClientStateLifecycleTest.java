package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.ClientWorld.OFFICE_HOST;
import static zonegate.tunnel.sim.ClientWorld.cidr;
import static zonegate.tunnel.sim.TunnelSim.S;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.filter.Authorization;
import zonegate.filter.ClientId;
import zonegate.filter.ResourceId;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.SiteStatus;

/**
 * The client's life with its gateways: authorisations that expire or are revoked on the gateway (a
 * goodbye, the site's status, a new intent on the next packet), a refused intent (Offline, back to Unknown
 * after 5 minutes), roaming, sign-out, deleting a gateway's last resource.
 */
@ExtendWith(NoErrorLogs.class)
class ClientStateLifecycleTest {

    @Test
    void anAuthorisationExpiringOnTheGatewayEndsTheConnectionWithAGoodbye() {
        ClientResource office = cidr("office", "10.20.0.0/16", "hq");
        ClientWorld w = new ClientWorld(401, null, null);
        w.alice.grant(office, w.hq, new Authorization(office.resource(), List.of(), w.net.wallSeconds() + 10));
        w.resources.add(office);
        w.alice.init(w.resources, w.relay);
        w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 1), 3_000);
        assertThat(sites(w)).containsEntry("hq", SiteStatus.ONLINE);

        w.net.runFor(10 * S);

        assertThat(w.alice.state.connectionState("hq")).as("the gateway said goodbye").isNull();
        assertThat(sites(w)).containsEntry("hq", SiteStatus.UNKNOWN);
        assertThat(w.hq.state.clientCount()).isZero();
        w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 2), 100);
        assertThat(w.alice.eventsOf(ClientEvent.ConnectionIntent.class)).as("the next packet asks again").hasSize(2);
    }

    @Test
    void anInitWithoutTheAuthorisationRevokesItAndTheClientHearsAGoodbye() {
        ClientWorld w = new ClientWorld(402, null, null).start(cidr("office", "10.20.0.0/16", "hq"));
        w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 1), 3_000);

        w.hq.init(w.relay);
        w.net.runFor(100 * TunnelSim.MS);

        assertThat(w.alice.state.connectionState("hq")).isNull();
        assertThat(sites(w)).containsEntry("hq", SiteStatus.UNKNOWN);
    }

    @Test
    void aRefusedIntentMarksTheSiteOfflineForFiveMinutes() {
        ClientWorld w = new ClientWorld(403, null, null).start(cidr("office", "10.20.0.0/16", "hq"));
        w.alice.grants.clear();

        w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 1), 100);
        assertThat(sites(w)).containsEntry("hq", SiteStatus.OFFLINE);
        w.net.runFor(299 * S);
        assertThat(sites(w)).containsEntry("hq", SiteStatus.OFFLINE);
        w.net.runFor(1 * S);

        assertThat(sites(w)).containsEntry("hq", SiteStatus.UNKNOWN);
    }

    @Test
    void resetRotatesTheKeyDropsTheConnectionAndTheNextPacketConnectsAgain() {
        ClientWorld w = new ClientWorld(404, Nat.Type.PORT_RESTRICTED, null).start(cidr("office", "10.20.0.0/16", "hq"));
        w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 1), 3_000);
        var oldKey = w.alice.state.publicKey();

        w.alice.state.reset(List.of(w.alice.socket), w.net.nowNs);
        w.net.runFor(100 * TunnelSim.MS);
        List<byte[]> again = w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 2), 3_000);

        assertThat(w.alice.latest(ClientEvent.PublicKeyChanged.class).publicKey()).isNotEqualTo(oldKey)
                .isEqualTo(w.alice.state.publicKey());
        assertThat(w.alice.eventsOf(ClientEvent.ConnectionIntent.class)).hasSize(2);
        assertThat(again).singleElement().satisfies(p -> assertThat(SimPackets.isEchoReply(p)).isTrue());
    }

    @Test
    void signOutSaysGoodbyeToEveryGateway() {
        ClientWorld w = new ClientWorld(405, null, null).start(cidr("office", "10.20.0.0/16", "hq"),
                cidr("lab", "10.40.0.0/16", "lab"));
        w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 1), 3_000);
        w.exchange(SimPackets.echoRequest(w.alice.ipv4, "10.40.0.1", 1, 2), 3_000);
        assertThat(w.hq.state.clientCount()).isOne();
        assertThat(w.lab.state.clientCount()).isOne();

        w.alice.state.signOut(w.net.nowNs);
        w.net.runFor(100 * TunnelSim.MS);

        assertThat(w.hq.state.clientCount()).isZero();
        assertThat(w.lab.state.clientCount()).isZero();
        assertThat(w.alice.state.connectionState("hq")).isNull();
    }

    @Test
    void deletingTheLastResourceOfAGatewayClosesItsConnection() {
        ClientWorld w = new ClientWorld(408, null, null).start(cidr("office", "10.20.0.0/16", "hq"));
        w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 1), 3_000);

        w.alice.state.resourceDeleted(ResourceId.of("office"), w.net.nowNs);
        w.net.runFor(100 * TunnelSim.MS);

        assertThat(w.alice.state.connectionState("hq")).isNull();
        assertThat(w.hq.state.connectionState(ClientId.of("alice"))).as("the gateway heard the goodbye").isNull();
        List<byte[]> after = w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 2), 50);
        assertThat(SimPackets.icmpType(after.getFirst())).as("no route any more").isEqualTo(3);
    }

    @Test
    void aResourceMovedToAnotherSiteIsAskedForAgainAndReachedThere() {
        ClientResource office = cidr("office", "10.20.0.0/16", "hq");
        ClientWorld w = new ClientWorld(409, null, null).start(office, cidr("lab", "10.40.0.0/16", "lab"));
        w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 1), 3_000);

        ClientResource moved = cidr("office", "10.20.0.0/16", "lab");
        w.alice.grant(moved, w.lab, Authorization.permanent(moved.resource(), List.of()));
        w.alice.state.resourceCreatedOrUpdated(moved, w.net.nowNs);
        w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 2), 3_000);

        assertThat(w.alice.eventsOf(ClientEvent.ConnectionIntent.class)).hasSize(2);
        assertThat(w.hq.site.receivedFor(OFFICE_HOST)).hasSize(1);
        assertThat(w.lab.site.receivedFor(OFFICE_HOST)).hasSize(1);
        assertThat(w.alice.state.connectionState("hq")).as("hq served nothing else").isNull();
    }

    @Test
    void anInitWithoutAResourceRemovesIt() {
        ClientWorld w = new ClientWorld(410, null, null).start(cidr("office", "10.20.0.0/16", "hq"));
        w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 1), 3_000);

        w.alice.init(List.of(), w.relay);
        w.net.runFor(100 * TunnelSim.MS);
        List<byte[]> after = w.exchange(SimPackets.echoRequest(w.alice.ipv4, OFFICE_HOST, 1, 2), 50);

        assertThat(w.alice.state.connectionState("hq")).isNull();
        assertThat(SimPackets.icmpType(after.getFirst())).as("no route").isEqualTo(3);
    }

    private static Map<String, SiteStatus> sites(ClientWorld w) {
        w.net.runFor(TunnelSim.MS);
        return w.alice.latest(ClientEvent.SitesChanged.class).statusBySite();
    }
}
