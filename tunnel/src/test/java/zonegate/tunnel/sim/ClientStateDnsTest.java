package zonegate.tunnel.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.sim.ClientWorld.APP_ADDRESS;
import static zonegate.tunnel.sim.ClientWorld.app;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.DnsRecords;
import zonegate.tunnel.GatewayEvent;
import zonegate.tunnel.dns.DnsQuery;
import zonegate.tunnel.dns.DnsResponseWriter;
import zonegate.tunnel.dns.DnsParseResult;
import zonegate.tunnel.dns.DnsParser;

/**
 * The client's DNS through real gateways: names that are no resource go to the upstream and back, a new
 * query for a DNS resource's name makes the gateway resolve it again, and proxy addresses survive
 * sign-out and sign-in.
 */
@ExtendWith(NoErrorLogs.class)
@InfoRepeats(12) // a test with two worlds starts every host twice
class ClientStateDnsTest {

    @Test
    void aNameThatIsNoResourceIsForwardedUpstreamAndTheAnswerRelayed() {
        ClientWorld w = new ClientWorld(501, null, null).start(app());
        w.alice.upstream = query -> answer(query, "192.0.2.80");

        List<InetAddress> answer = w.resolve4("www.elsewhere.org");

        assertThat(answer).containsExactly(InetAddress.ofLiteral("192.0.2.80"));
        assertThat(w.alice.eventsOf(ClientEvent.DnsQuery.class)).singleElement()
                .satisfies(q -> assertThat(q.upstream().getAddress().getHostAddress()).isEqualTo("192.0.2.53"));
    }

    @Test
    void aNewQueryForAResourceNameMakesTheGatewayResolveItAgain() {
        ClientWorld w = new ClientWorld(502, null, null).start(app());
        String proxy = w.resolve4("app.example.com").getFirst().getHostAddress();
        w.exchange(SimPackets.tcpSyn(w.alice.ipv4, 40001, proxy, 443), 3_000);
        int resolutions = w.hq.eventsOf(GatewayEvent.ResolveDomain.class).size();
        w.hq.resolver.put("app.example.com", List.of(InetAddress.ofLiteral("10.30.0.8")));

        w.resolve4("app.example.com");
        w.net.runFor(100 * TunnelSim.MS);
        w.exchange(SimPackets.tcpSyn(w.alice.ipv4, 40002, proxy, 443), 200);

        assertThat(resolutions).isEqualTo(1);
        assertThat(w.hq.eventsOf(GatewayEvent.ResolveDomain.class)).hasSize(2);
        assertThat(w.hq.site.receivedFor(APP_ADDRESS)).hasSize(1);
        assertThat(w.hq.site.receivedFor("10.30.0.8")).as("the new flow goes to the new address").hasSize(1);
    }

    @Test
    void aNewQueryAfterTheSessionExpiredWhileIdleStillReachesTheGateway() {
        ClientWorld w = new ClientWorld(503, null, null).start(app());
        String proxy = w.resolve4("app.example.com").getFirst().getHostAddress();
        w.exchange(SimPackets.tcpSyn(w.alice.ipv4, 40001, proxy, 443), 3_000);
        w.net.runFor(200 * TunnelSim.S);
        w.hq.resolver.put("app.example.com", List.of(InetAddress.ofLiteral("10.30.0.8")));

        w.resolve4("app.example.com");
        w.exchange(SimPackets.tcpSyn(w.alice.ipv4, 40002, proxy, 443), 3_000);
        w.exchange(SimPackets.tcpSyn(w.alice.ipv4, 40003, proxy, 443), 200);

        assertThat(w.hq.eventsOf(GatewayEvent.ResolveDomain.class)).as("AssignedIps retried once re-keyed").hasSize(2);
        assertThat(w.hq.site.receivedFor("10.30.0.8")).isNotEmpty();
    }

    @Test
    void proxyAddressesAreTheSameAfterSignOutAndSignIn() {
        ClientWorld first = new ClientWorld(406, null, null).start(app());
        List<InetAddress> before = first.resolve4("app.example.com");
        first.resolve4("b.example.com");
        first.alice.state.signOut(first.net.nowNs);
        DnsRecords records = first.alice.state.dnsRecords();

        ClientWorld second = new ClientWorld(407, null, null, records).start(app());
        List<InetAddress> after = second.resolve4("app.example.com");
        List<InetAddress> fresh = second.resolve4("c.example.com");

        assertThat(after).isEqualTo(before);
        assertThat(fresh).doesNotContainAnyElementsOf(records.byDomain().values().stream().flatMap(List::stream).toList());
        assertThat(second.alice.latest(ClientEvent.DnsRecordsChanged.class).records().byDomain())
                .containsKeys("app.example.com", "b.example.com", "c.example.com");
    }

    private static byte[] answer(byte[] query, String address) {
        DnsQuery q = ((DnsParseResult.Query) DnsParser.parse(ByteBuffer.wrap(query), 0, query.length)).query();
        ByteBuffer out = ByteBuffer.allocate(512);
        int n = DnsResponseWriter.writeAnswer(q, List.of(InetAddress.ofLiteral(address)), 60, 512, out, 0);
        byte[] bytes = new byte[n];
        out.get(0, bytes);
        return bytes;
    }
}
