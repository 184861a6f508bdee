package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.tunnel.internal.client.StubFixture.CLIENT4;
import static zonegate.tunnel.internal.client.StubFixture.CLIENT6;
import static zonegate.tunnel.internal.client.StubFixture.SENTINEL4;
import static zonegate.tunnel.internal.client.StubFixture.SENTINEL6;
import static zonegate.tunnel.internal.client.StubFixture.UPSTREAM4;
import static zonegate.tunnel.internal.client.StubFixture.UPSTREAM6;
import static zonegate.tunnel.internal.client.StubFixture.count;
import static zonegate.tunnel.internal.client.StubFixture.dnsOf;
import static zonegate.tunnel.internal.client.StubFixture.id;
import static zonegate.tunnel.internal.client.StubFixture.query;
import static zonegate.tunnel.internal.client.StubFixture.rcode;
import static zonegate.tunnel.internal.client.StubFixture.resolver;
import static zonegate.tunnel.internal.client.StubFixture.response;
import static zonegate.tunnel.internal.client.StubFixture.send;
import static zonegate.tunnel.internal.client.StubFixture.truncated;
import static zonegate.tunnel.internal.client.StubFixture.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;
import zonegate.tunnel.dns.DnsQuery;

/** Queries for names that are not resources: forwarded to the sentinel's upstream, answers relayed back. */
class StubResolverForwardTest {
    private static final long SECOND_NS = 1_000_000_000L;

    private static StubResult.Forward forward(StubResolver stub, byte[] query, long nowNs) {
        StubResult r = send(stub, udp(CLIENT4, SENTINEL4, query), nowNs);
        assertThat(r).isInstanceOf(StubResult.Forward.class);
        return (StubResult.Forward) r;
    }

    @Test
    void forwardCarriesTheClientsMessageUnchangedToTheSentinelsUpstream() {
        StubResolver stub = resolver();
        byte[] query = query(0x4242, "www.example.org", DnsQuery.TYPE_A, 0);

        StubResult.Forward f = forward(stub, query, 0);

        assertThat(f.upstream()).isEqualTo(UPSTREAM4);
        assertThat(f.dnsMessage()).isEqualTo(query);
        assertThat(stub.count(StubCounter.FORWARDED)).isEqualTo(1);
        assertThat(stub.inFlight()).isEqualTo(1);
    }

    @Test
    void queriesToTheIpv6SentinelGoToItsUpstream() {
        StubResolver stub = resolver();

        StubResult r = send(stub, udp(CLIENT6, SENTINEL6, query(1, "www.example.org", DnsQuery.TYPE_A, 0)), 0);

        assertThat(((StubResult.Forward) r).upstream()).isEqualTo(UPSTREAM6);
    }

    @Test
    void everyForwardGetsAFreshQueryId() {
        StubResolver stub = resolver();

        long first = forward(stub, query(1, "a.example.org", DnsQuery.TYPE_A, 0), 0).queryId();
        long second = forward(stub, query(1, "a.example.org", DnsQuery.TYPE_A, 0), 0).queryId();

        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void upstreamAnswerIsRelayedFromTheSentinelToTheOriginalSource() {
        StubResolver stub = resolver();
        byte[] query = query(0x4242, "www.example.org", DnsQuery.TYPE_A, 0);
        StubResult.Forward f = forward(stub, query, 0);
        byte[] response = response(query, 2);

        byte[] dns = dnsOf(stub.handleUpstreamResponse(f.queryId(), ByteBuffer.wrap(response), 1));

        assertThat(dns).isEqualTo(response);
        assertThat(id(dns)).isEqualTo(0x4242);
        assertThat(stub.count(StubCounter.RELAYED)).isEqualTo(1);
        assertThat(stub.inFlight()).isZero();
    }

    @Test
    void ipv6AnswerGoesBackFromTheIpv6Sentinel() {
        StubResolver stub = resolver();
        byte[] query = query(7, "www.example.org", DnsQuery.TYPE_AAAA, 0);
        var f = (StubResult.Forward) send(stub, udp(CLIENT6, SENTINEL6, query), 0);

        byte[] dns = dnsOf(stub.handleUpstreamResponse(f.queryId(), ByteBuffer.wrap(response(query, 0)), 0),
                SENTINEL6, CLIENT6);

        assertThat(id(dns)).isEqualTo(7);
    }

    @Test
    void responseIsReadFromThePositionToTheLimitOfTheBuffer() {
        StubResolver stub = resolver();
        byte[] query = query(3, "www.example.org", DnsQuery.TYPE_A, 0);
        StubResult.Forward f = forward(stub, query, 0);
        byte[] response = response(query, 1);
        ByteBuffer buffer = ByteBuffer.allocate(response.length + 20);
        buffer.put(10, response).position(10).limit(10 + response.length);

        byte[] dns = dnsOf(stub.handleUpstreamResponse(f.queryId(), buffer, 0));

        assertThat(dns).isEqualTo(response);
        assertThat(buffer.position()).isEqualTo(10);
    }

    @Test
    void answerOver512BytesWithoutEdnsIsTruncatedWithTcAndNoRecords() {
        StubResolver stub = resolver();
        byte[] query = query(3, "www.example.org", DnsQuery.TYPE_A, 0);
        StubResult.Forward f = forward(stub, query, 0);
        byte[] response = response(query, 40);
        assertThat(response.length).isGreaterThan(512);

        byte[] dns = dnsOf(stub.handleUpstreamResponse(f.queryId(), ByteBuffer.wrap(response), 0));

        assertThat(truncated(dns)).isTrue();
        assertThat(id(dns)).isEqualTo(3);
        assertThat(count(dns, 0)).isEqualTo(1);
        assertThat(count(dns, 1)).isZero();
        assertThat(count(dns, 3)).isZero();
        assertThat(dns.length).isLessThanOrEqualTo(512);
        assertThat(stub.count(StubCounter.TRUNCATED)).isEqualTo(1);
    }

    @Test
    void answerUpTo512BytesWithoutEdnsIsRelayedWhole() {
        StubResolver stub = resolver();
        byte[] query = query(3, "www.example.org", DnsQuery.TYPE_A, 0);
        StubResult.Forward f = forward(stub, query, 0);
        byte[] response = response(query, 29);
        assertThat(response.length).isLessThanOrEqualTo(512);

        byte[] dns = dnsOf(stub.handleUpstreamResponse(f.queryId(), ByteBuffer.wrap(response), 0));

        assertThat(dns).isEqualTo(response);
    }

    @Test
    void withEdnsTheLimitIs1212BytesEvenIfTheClientAdvertisesMore() {
        StubResolver stub = resolver();
        byte[] query = query(3, "www.example.org", DnsQuery.TYPE_A, 4096);
        byte[] fits = response(query, 73);
        byte[] tooBig = response(query, 75);
        assertThat(fits.length).isLessThanOrEqualTo(1212);
        assertThat(tooBig.length).isGreaterThan(1212);

        byte[] whole = dnsOf(stub.handleUpstreamResponse(forward(stub, query, 0).queryId(), ByteBuffer.wrap(fits), 0));
        byte[] cut = dnsOf(stub.handleUpstreamResponse(forward(stub, query, 0).queryId(), ByteBuffer.wrap(tooBig), 0));

        assertThat(whole).isEqualTo(fits);
        assertThat(truncated(cut)).isTrue();
        assertThat(count(cut, 1)).isZero();
        assertThat(count(cut, 3)).as("OPT record, since the query had one").isEqualTo(1);
    }

    @Test
    void withASmallerEdnsSizeThatSizeIsTheLimit() {
        StubResolver stub = resolver();
        byte[] query = query(3, "www.example.org", DnsQuery.TYPE_A, 800);
        byte[] response = response(query, 60);
        assertThat(response.length).isBetween(801, 1212);

        byte[] dns = dnsOf(stub.handleUpstreamResponse(forward(stub, query, 0).queryId(), ByteBuffer.wrap(response),
                0));

        assertThat(truncated(dns)).isTrue();
    }

    @Test
    void responseWithAnotherIdGetsServfail() {
        StubResolver stub = resolver();
        byte[] query = query(3, "www.example.org", DnsQuery.TYPE_A, 0);
        byte[] response = response(query(4, "www.example.org", DnsQuery.TYPE_A, 0), 1);

        byte[] dns = dnsOf(stub.handleUpstreamResponse(forward(stub, query, 0).queryId(), ByteBuffer.wrap(response),
                0));

        assertThat(id(dns)).isEqualTo(3);
        assertThat(rcode(dns)).isEqualTo(2);
        assertThat(stub.count(StubCounter.UPSTREAM_MALFORMED)).isEqualTo(1);
    }

    @Test
    void responseThatDoesNotParseGetsServfail() {
        StubResolver stub = resolver();
        byte[] query = query(3, "www.example.org", DnsQuery.TYPE_A, 0);
        byte[] response = response(query, 2);
        byte[] cut = java.util.Arrays.copyOf(response, response.length - 3);

        byte[] dns = dnsOf(stub.handleUpstreamResponse(forward(stub, query, 0).queryId(), ByteBuffer.wrap(cut), 0));

        assertThat(rcode(dns)).isEqualTo(2);
    }

    @Test
    void aQueryEchoedBackInsteadOfAResponseGetsServfail() {
        StubResolver stub = resolver();
        byte[] query = query(3, "www.example.org", DnsQuery.TYPE_A, 0);

        byte[] dns = dnsOf(stub.handleUpstreamResponse(forward(stub, query, 0).queryId(), ByteBuffer.wrap(query), 0));

        assertThat(rcode(dns)).isEqualTo(2);
    }

    @Test
    void upstreamFailureGetsServfail() {
        StubResolver stub = resolver();
        byte[] query = query(3, "www.example.org", DnsQuery.TYPE_A, 0);

        byte[] dns = dnsOf(stub.handleUpstreamResponse(forward(stub, query, 0).queryId(), null, 0));

        assertThat(rcode(dns)).isEqualTo(2);
        assertThat(stub.count(StubCounter.UPSTREAM_FAILED)).isEqualTo(1);
    }

    @Test
    void responseForAnUnknownQueryIdIsDropped() {
        StubResolver stub = resolver();

        StubResult r = stub.handleUpstreamResponse(99, ByteBuffer.allocate(12), 0);

        assertThat(r).isEqualTo(new StubResult.Dropped(StubCounter.UNKNOWN_QUERY_ID));
    }

    @Test
    void beyondMaxInFlightQueriesGetServfailAtOnce() {
        StubResolver stub = new StubResolver(2, SECOND_NS);
        stub.setUpstreams(List.of(UPSTREAM4));
        forward(stub, query(1, "a.example.org", DnsQuery.TYPE_A, 0), 0);
        forward(stub, query(2, "b.example.org", DnsQuery.TYPE_A, 0), 0);

        StubResult r = send(stub, udp(CLIENT4, SENTINEL4, query(3, "c.example.org", DnsQuery.TYPE_A, 0)), 0);

        assertThat(rcode(dnsOf(r))).isEqualTo(2);
        assertThat(id(dnsOf(r))).isEqualTo(3);
        assertThat(stub.count(StubCounter.IN_FLIGHT_FULL)).isEqualTo(1);
        assertThat(stub.inFlight()).isEqualTo(2);
    }

    @Test
    void unansweredQueriesTimeOutSilently() {
        StubResolver stub = new StubResolver(8, 5 * SECOND_NS);
        stub.setUpstreams(List.of(UPSTREAM4));
        long first = forward(stub, query(1, "a.example.org", DnsQuery.TYPE_A, 0), 0).queryId();
        forward(stub, query(2, "b.example.org", DnsQuery.TYPE_A, 0), 2 * SECOND_NS);

        assertThat(stub.pollTimeout()).isEqualTo(5 * SECOND_NS);
        stub.handleTimeout(5 * SECOND_NS);

        assertThat(stub.count(StubCounter.TIMED_OUT)).isEqualTo(1);
        assertThat(stub.pollTimeout()).isEqualTo(7 * SECOND_NS);
        assertThat(stub.handleUpstreamResponse(first, null, 6 * SECOND_NS))
                .isEqualTo(new StubResult.Dropped(StubCounter.UNKNOWN_QUERY_ID));
        stub.handleTimeout(7 * SECOND_NS);
        assertThat(stub.pollTimeout()).isEqualTo(Long.MAX_VALUE);
        assertThat(stub.inFlight()).isZero();
    }

    @Test
    void nothingInFlightMeansNoDeadline() {
        assertThat(resolver().pollTimeout()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void resetForgetsForwardedQueries() {
        StubResolver stub = resolver();
        long id = forward(stub, query(1, "a.example.org", DnsQuery.TYPE_A, 0), 0).queryId();

        stub.reset();

        assertThat(stub.inFlight()).isZero();
        assertThat(stub.count(StubCounter.RESET)).isEqualTo(1);
        assertThat(stub.handleUpstreamResponse(id, null, 0)).isInstanceOf(StubResult.Dropped.class);
    }

    @Test
    void queriesToAnUpstreamNoLongerListedAreDropped() {
        StubResolver stub = resolver();
        long toV4 = forward(stub, query(1, "a.example.org", DnsQuery.TYPE_A, 0), 0).queryId();
        var toV6 = (StubResult.Forward) send(stub, udp(CLIENT6, SENTINEL6, query(2, "b.example.org",
                DnsQuery.TYPE_A, 0)), 0);

        stub.setUpstreams(List.of(UPSTREAM6));

        assertThat(stub.count(StubCounter.UPSTREAM_REMOVED)).isEqualTo(1);
        assertThat(stub.handleUpstreamResponse(toV4, null, 0)).isInstanceOf(StubResult.Dropped.class);
        byte[] query = query(2, "b.example.org", DnsQuery.TYPE_A, 0);
        assertThat(id(dnsOf(stub.handleUpstreamResponse(toV6.queryId(), ByteBuffer.wrap(response(query, 1)), 0),
                SENTINEL6, CLIENT6))).as("answered from the sentinel it was sent to").isEqualTo(2);
    }

    @Test
    void eachFamilyNumbersItsSentinelsFromOneInListOrder() {
        StubResolver stub = resolver();

        List<StubResolver.Sentinel> sentinels = stub.setUpstreams(List.of(UPSTREAM4, UPSTREAM6, UPSTREAM4));

        assertThat(sentinels).containsExactly(
                new StubResolver.Sentinel(StubFixture.ip("100.100.111.1"), UPSTREAM4),
                new StubResolver.Sentinel(StubFixture.ip("fd00:2021:1111:8000:100:100:111:1"), UPSTREAM6),
                new StubResolver.Sentinel(StubFixture.ip("100.100.111.2"), UPSTREAM4));
        assertThat(stub.isSentinel4(StubFixture.ipv4("100.100.111.1"))).isTrue();
        assertThat(stub.isSentinel4(StubFixture.ipv4("100.100.111.2"))).isTrue();
        assertThat(stub.isSentinel4(StubFixture.ipv4("100.100.111.3"))).isFalse();
        assertThat(stub.isSentinel6(Sentinels.HIGH6, Sentinels.LOW6_BASE + 1)).isTrue();
        assertThat(stub.isSentinel6(Sentinels.HIGH6, Sentinels.LOW6_BASE + 2)).isFalse();
        assertThat(stub.isSentinel6(Sentinels.HIGH6 + 1, Sentinels.LOW6_BASE + 1)).isFalse();
    }

    @Test
    void onlyTheFirstTwentyUpstreamsGetASentinel() {
        StubResolver stub = resolver();
        List<InetSocketAddress> many = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            many.add(new InetSocketAddress(StubFixture.ip("192.0.2." + (i + 1)), 53));
        }

        List<StubResolver.Sentinel> sentinels = stub.setUpstreams(many);

        assertThat(sentinels).hasSize(20);
        assertThat(sentinels.getLast().address()).isEqualTo(StubFixture.ip("100.100.111.20"));
        assertThat(stub.isSentinel4(StubFixture.ipv4("100.100.111.21"))).isFalse();
        assertThat(stub.count(StubCounter.UPSTREAMS_IGNORED)).isEqualTo(5);
    }

    @Test
    void queryToAnAddressWithoutUpstreamIsDropped() {
        StubResolver stub = resolver(StubFixture.dns("r1", "app.example.com"));

        StubResult r = send(stub, udp(CLIENT4, "100.100.111.9", query(1, "app.example.com", DnsQuery.TYPE_A, 0)), 0);

        assertThat(r).isEqualTo(new StubResult.Dropped(StubCounter.UNKNOWN_SENTINEL));
    }
}
