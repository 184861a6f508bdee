package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.SiteStatus;
import zonegate.tunnel.sim.ModelAction.Authorise;
import zonegate.tunnel.sim.ModelAction.Expire;
import zonegate.tunnel.sim.ModelAction.Idle;
import zonegate.tunnel.sim.ModelAction.PartitionGateway;
import zonegate.tunnel.sim.ModelAction.Probe;
import zonegate.tunnel.sim.ModelAction.Query;
import zonegate.tunnel.sim.ModelAction.Remove;
import zonegate.tunnel.sim.ModelAction.Revoke;
import zonegate.tunnel.sim.ModelAction.Roam;
import zonegate.tunnel.sim.ModelAction.Spec;
import zonegate.tunnel.sim.ModelAction.Upsert;
import zonegate.tunnel.sim.ModelUniverse.Kind;

/**
 * Hand-written sequences through the model harness of {@link DataPlaneModelFuzzTest}, so that its main
 * paths are judged in every build whatever the corpus holds: a CIDR resource and a DNS resource reached
 * (relayed, both sides behind symmetric NATs), filters refusing on the client, a revoked resource refused
 * by the portal, an expiry ending the connection, a roam and a restart, and the DNS answers on the way.
 * Each also asserts that the steps were judged as the comment says, so a harness that stopped judging fails.
 */
class DataPlaneModelScenarioTest {
    private static final int SYMMETRIC = 2;
    /** Target indexes into ModelUniverse.TARGETS, and the first DNS name's proxy addresses. */
    private static final int OFFICE = 0;
    private static final int LAB_HOST = 3;
    private static final int APP = ModelUniverse.TARGETS.length;

    @Test
    void cidrAndDnsResourcesAreReachedFilteredRevokedAndExpiredAsModelled() {
        List<Spec> initial = new ArrayList<>(List.of(
                new Spec(false, 0, "hq", 0),      // 10.20.0.0/16 on hq, no filters
                new Spec(true, 0, "hq", 3),       // *.example.com on hq, TCP 443 only
                new Spec(false, 3, "lab", 1)));   // 10.30.0.0/16 on lab, ICMP only
        initial.add(null);
        ModelAction.Start start = new ModelAction.Start(SYMMETRIC, SYMMETRIC, initial,
                new boolean[] {true, true, true, true, true});
        List<ModelAction> actions = List.of(
                new Probe(Kind.UDP_5000, OFFICE, 0),          // delivered through hq
                new Query(0, 0),                              // app.example.com A: local proxies
                new Probe(Kind.TCP_443, APP, 0),              // delivered to 10.50.0.1, translated
                new Probe(Kind.TCP_22, APP, 5),               // refused by the client's filter
                new Probe(Kind.PING, LAB_HOST, 0),            // delivered through lab
                new Probe(Kind.UDP_5000, LAB_HOST, 0),        // refused by the client's filter
                new Query(3, 0),                              // www.other.org: forwarded
                new Query(0, 2),                              // PTR of a proxy: answered locally
                new Revoke(0),
                new Probe(Kind.PING, OFFICE, 0),              // hq no longer holds it: unreachable
                new Expire(2, 10),
                new Idle(1),                                  // lab's last authorisation expires
                new Probe(Kind.PING, LAB_HOST, 0),            // a new intent, granted again
                new Roam(),
                new Probe(Kind.TCP_443, APP, 1),              // the proxies stay; a new connection
                new Remove(1),
                new Probe(Kind.TCP_443, APP, 2),              // no resource any more: unreachable
                new Authorise(0),
                new Upsert(0, new Spec(false, 2, "lab", 0)),  // 10.0.0.0/8, now on lab
                new Probe(Kind.UDP_5000, OFFICE, 0));         // a new intent, through lab
        ModelRun run = DataPlaneModelFuzzTest.run(4242, new ModelAction.Sequence(start, actions));

        String log = run.history();
        assertThat(count(log, "expecting Deliver[gateway=hq")).as(log).isEqualTo(3);
        assertThat(count(log, "expecting Deliver[gateway=lab")).as(log).isEqualTo(3);
        assertThat(count(log, "expecting IcmpError[prohibited=true]")).as(log).isEqualTo(2);
        assertThat(count(log, "expecting IcmpError[prohibited=false]")).as(log).isEqualTo(2);
        assertThat(log).contains("host=/10.50.0.1", "forwarded=true", "ptr=app.example.com");
    }

    /**
     * Finding crash-936a7fe2: eight 4 s partitions of lab 300 ms apart are 34 s of darkness, in which every
     * send of a consent check can be lost (and the connection turn active, a relay candidate withdrawn), so
     * the model takes such a train as one outage that may break the connection and judges the outcome seen.
     */
    @Test
    void backToBackPartitionsOfAGatewayAreOneOutageThatMayBreakItsConnection() {
        ModelRun run = DataPlaneModelFuzzTest.run(936, new ModelAction.Sequence(labOnly(), List.of(
                new Probe(Kind.PING, LAB_HOST, 0), new PartitionGateway("lab", 4), new PartitionGateway("lab", 4),
                new PartitionGateway("lab", 4), new PartitionGateway("lab", 4), new Probe(Kind.PING, LAB_HOST, 0))));

        String log = run.history();
        assertThat(count(log, "back-to-back partitions of lab: one outage of 16900 ms")).as(log).isEqualTo(1);
        assertThat(log).containsPattern("observed: the client (kept|dropped) its connection to lab");
        assertThat(count(log, "expecting Deliver[gateway=lab")).as(log).isEqualTo(2);
    }

    @Test
    void partitionsFurtherApartThanAConsentRetransmissionAreSeparateOutages() {
        ModelRun run = DataPlaneModelFuzzTest.run(937, new ModelAction.Sequence(labOnly(), List.of(
                new Probe(Kind.PING, LAB_HOST, 0), new PartitionGateway("lab", 4), new Idle(0),
                new PartitionGateway("lab", 4), new Idle(0), new PartitionGateway("lab", 4), new Idle(0),
                new PartitionGateway("lab", 4), new Probe(Kind.PING, LAB_HOST, 0))));

        String log = run.history();
        assertThat(log).doesNotContain("back-to-back partitions", "observed:");
        assertThat(count(log, "expecting Deliver[gateway=lab")).as(log).isEqualTo(2);
    }

    /**
     * Finding crash-c8c47c45: lab's last authorisation expired at the very end of a step (the gateway's timer
     * ran at the check's instant), so its goodbye was still on the wire when the model expected lab Unknown.
     * At that check the site may still read Online; 300 ms later it must be Unknown.
     */
    @Test
    void aGoodbyeForAnExpiryDueAtTheEndOfAStepIsJudgedAtTheNextCheck() {
        ModelRun run = DataPlaneModelFuzzTest.run(4545, new ModelAction.Sequence(labOnly(), List.of(
                // connected by 1003.5 s, expiring at 1006 s; five 300 ms no-ops and two 350 ms queries end at 1006.0 s
                new Probe(Kind.PING, LAB_HOST, 0), new Expire(0, 3), new Authorise(3), new Authorise(3),
                new Authorise(3), new Authorise(3), new Authorise(3), new Query(3, 0), new Query(3, 0),
                new Query(3, 0))));

        String log = run.history();
        assertThat(count(log, "lab's last authorisation expired this second")).as(log).isEqualTo(1);
        assertThat(run.alice.latest(ClientEvent.SitesChanged.class).statusBySite()).as(log)
                .containsEntry("lab", SiteStatus.UNKNOWN);
    }

    /** No NATs; slot 0 10.30.0.0/16 on lab, no filters; everything authorised. */
    private static ModelAction.Start labOnly() {
        List<Spec> initial = new ArrayList<>(List.of(new Spec(false, 3, "lab", 0)));
        initial.add(null);
        initial.add(null);
        initial.add(null);
        return new ModelAction.Start(0, 0, initial, new boolean[] {true, true, true, true, true});
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }
}
