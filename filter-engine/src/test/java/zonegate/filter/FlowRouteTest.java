package zonegate.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.filter.Fixtures.ICMP;
import static zonegate.filter.Fixtures.SECOND_NS;
import static zonegate.filter.Fixtures.TCP;
import static zonegate.filter.Fixtures.UDP;
import static zonegate.filter.Fixtures.allow;
import static zonegate.filter.Fixtures.cidr;
import static zonegate.filter.Fixtures.dns;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Established flows keep their route; the flow table is bounded and forgets idle flows. */
class FlowRouteTest {
    private final Fixtures f = new Fixtures();

    @Test
    void anEstablishedFlowKeepsItsRouteWhenAnOverlappingMoreSpecificResourceIsAdded() {
        f.set(allow(cidr("wide", "10.0.0.0/8")));
        assertThat(f.send("10.0.0.5", TCP, 5000, 443).resourceId()).isEqualTo(ResourceId.of("wide"));

        f.client.add(allow(cidr("narrow", "10.0.0.0/24")), 0);

        assertThat(f.send("10.0.0.5", TCP, 5000, 443).resourceId()).isEqualTo(ResourceId.of("wide"));
        assertThat(f.send("10.0.0.5", TCP, 5001, 443).resourceId()).isEqualTo(ResourceId.of("narrow"));
    }

    @Test
    void anEstablishedDomainFlowKeepsItsRouteWhenAMoreSpecificPatternIsAdded() {
        f.set(allow(dns("wild", "**.example.com")));
        DomainCandidates domain = f.client.domainCandidates("app.example.com");
        int source = Fixtures.v4(Fixtures.CLIENT_V4);
        assertThat(f.client.decideDomainV4(source, domain, TCP, 5000, 443, 0, f.decision).resourceId().value())
                .isEqualTo("wild");

        f.client.add(allow(dns("exact", "app.example.com")), 0);

        assertThat(f.client.decideDomainV4(source, domain, TCP, 5000, 443, 0, f.decision).resourceId().value())
                .isEqualTo("wild");
        assertThat(f.client.decideDomainV4(source, domain, TCP, 5001, 443, 0, f.decision).resourceId().value())
                .isEqualTo("exact");
    }

    @Test
    void aFlowMovesWhenItsResourceNoLongerPermitsIt() {
        f.set(allow(cidr("wide", "10.0.0.0/8")));
        f.send("10.0.0.5", UDP, 5000, 53);
        f.client.add(allow(cidr("narrow", "10.0.0.0/24")), 0);

        f.client.changeFilters(ResourceId.of("wide"), List.of(new Filter.Tcp(1, 2)), 0);

        assertThat(f.send("10.0.0.5", UDP, 5000, 53).resourceId()).isEqualTo(ResourceId.of("narrow"));
    }

    @Test
    void aFlowMovesWhenItsResourceIsRemoved() {
        f.set(allow(cidr("wide", "10.0.0.0/8")));
        f.send("10.0.0.5", TCP, 5000, 443);
        f.client.add(allow(cidr("narrow", "10.0.0.0/24")), 0);

        f.client.remove(ResourceId.of("wide"), 0);

        assertThat(f.send("10.0.0.5", TCP, 5000, 443).resourceId()).isEqualTo(ResourceId.of("narrow"));
    }

    @Test
    void anIdleFlowForgetsItsRouteAfterTheUdpTimeout() {
        f.set(allow(cidr("wide", "10.0.0.0/8")));
        f.send("10.0.0.5", UDP, 5000, 53);
        f.client.add(allow(cidr("narrow", "10.0.0.0/24")), 0);

        f.nowNs = 120 * SECOND_NS - 1;
        assertThat(f.send("10.0.0.5", UDP, 5000, 53).resourceId()).isEqualTo(ResourceId.of("wide"));
        f.nowNs += 120 * SECOND_NS;
        assertThat(f.send("10.0.0.5", UDP, 5000, 53).resourceId()).isEqualTo(ResourceId.of("narrow"));
    }

    @Test
    void aTcpFlowOutlivesTheUdpTimeout() {
        f.set(allow(cidr("wide", "10.0.0.0/8")));
        f.send("10.0.0.5", TCP, 5000, 22);
        f.client.add(allow(cidr("narrow", "10.0.0.0/24")), 0);

        f.nowNs = (2 * 3600 + 4 * 60) * SECOND_NS - 1;

        assertThat(f.send("10.0.0.5", TCP, 5000, 22).resourceId()).isEqualTo(ResourceId.of("wide"));
    }

    @Test
    void icmpFlowsAreKeyedByEchoIdentifier() {
        f.set(allow(cidr("wide", "10.0.0.0/8")));
        f.send("10.0.0.5", ICMP, 77, -1);
        f.client.add(allow(cidr("narrow", "10.0.0.0/24")), 0);

        assertThat(f.send("10.0.0.5", ICMP, 77, -1).resourceId()).isEqualTo(ResourceId.of("wide"));
        assertThat(f.send("10.0.0.5", ICMP, 78, -1).resourceId()).isEqualTo(ResourceId.of("narrow"));
    }

    @Test
    void aFullFlowTableEvictsAndCounts() {
        Fixtures small = new Fixtures(FilterConfig.DEFAULT.withMaxFlowsPerClient(8));
        small.set(allow(cidr("wide", "10.0.0.0/8")));

        for (int port = 1; port <= 100; port++) {
            small.send("10.0.0.5", TCP, port, 443);
        }

        assertThat(small.client.liveFlows(0)).isEqualTo(8);
        assertThat(small.client.flowEvictions()).isEqualTo(92);
    }

    @Test
    void deniedPacketsCreateNoFlow() {
        f.set(allow(cidr("a", "10.0.0.0/8"), new Filter.Tcp(22, 22)));

        f.send("10.0.0.1", UDP, 1, 53);

        assertThat(f.client.liveFlows(0)).isZero();
    }
}
