package zonegate.app.internal.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.app.internal.dns.FakeUpstream.Behaviour.answer;
import static zonegate.app.internal.dns.FakeUpstream.Behaviour.rcode;
import static zonegate.app.internal.dns.FakeUpstream.Behaviour.silence;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class UpstreamResolverTest {
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private FakeUpstream upstream() throws IOException {
        FakeUpstream u = new FakeUpstream();
        toClose.add(u);
        return u;
    }

    private UpstreamResolver resolver(Duration tryTimeout, FakeUpstream... servers) {
        UpstreamResolver r = new UpstreamResolver(new UpstreamConfig(
                java.util.Arrays.stream(servers).map(FakeUpstream::address).toList(), tryTimeout, 2, 16));
        toClose.add(r);
        return r;
    }

    @Test
    void resolvesBothFamiliesIpv4First() throws IOException {
        FakeUpstream u = upstream().on("app.corp", answer("2001:db8::5", "10.0.0.5"));

        Resolution r = resolver(Duration.ofSeconds(2), u).resolve("app.corp");

        assertThat(r).isEqualTo(new Resolution.Addresses(
                List.of(InetAddress.ofLiteral("10.0.0.5"), InetAddress.ofLiteral("2001:db8::5")), 300));
    }

    @Test
    void theNextServerIsTriedWhenOneIsSilent() throws IOException {
        FakeUpstream silent = upstream().otherwise(silence());
        FakeUpstream good = upstream().on("app.corp", answer("10.0.0.5"));

        Resolution r = resolver(Duration.ofMillis(300), silent, good).resolve("app.corp");

        assertThat(r).isInstanceOf(Resolution.Addresses.class);
    }

    @Test
    void anErrorRcodeMovesOnToTheNextServer() throws IOException {
        FakeUpstream failing = upstream().otherwise(rcode(2));
        FakeUpstream good = upstream().on("app.corp", answer("10.0.0.5"));

        Resolution r = resolver(Duration.ofSeconds(2), failing, good).resolve("app.corp");

        assertThat(r).isInstanceOf(Resolution.Addresses.class);
    }

    @Test
    void nodataForBothFamiliesIsNoAddressesAndNxDomainIsSaid() throws IOException {
        FakeUpstream u = upstream().on("empty.corp", rcode(0)).on("gone.corp", rcode(3));
        UpstreamResolver resolver = resolver(Duration.ofSeconds(2), u);

        assertThat(resolver.resolve("empty.corp")).isEqualTo(new Resolution.NoAddresses(false));
        assertThat(resolver.resolve("gone.corp")).isEqualTo(new Resolution.NoAddresses(true));
    }

    @Test
    void aSpoofedDatagramWithAnotherIdIsIgnored() throws IOException {
        FakeUpstream u = upstream().on("app.corp", answer("10.0.0.5")).spoofingFirst();
        UpstreamResolver resolver = resolver(Duration.ofSeconds(2), u);

        Resolution r = resolver.resolve("app.corp");

        assertThat(r).isInstanceOf(Resolution.Addresses.class);
        assertThat(resolver.counters().ignoredDatagrams()).isEqualTo(2);
    }

    @Test
    void aTruncatedUdpAnswerIsAskedAgainOverTcp() throws IOException {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            many.add("198.51.100." + i);
        }
        FakeUpstream u = upstream().on("big.corp", answer(many.toArray(String[]::new)));
        UpstreamResolver resolver = resolver(Duration.ofSeconds(2), u);

        Resolution r = resolver.resolve("big.corp");

        assertThat(((Resolution.Addresses) r).addresses()).hasSize(64);
        assertThat(resolver.counters().truncatedAnswers()).isEqualTo(1);
        assertThat(u.received()).contains(new FakeUpstream.Received("big.corp", TestDns.A, true));
    }

    @Test
    void forwardRelaysUnderARandomIdAndPutsTheClientsBack() throws IOException {
        FakeUpstream u = upstream().on("www.example.org", answer("93.184.215.14"));

        ForwardResult r = resolver(Duration.ofSeconds(2), u).forward(TestDns.query(0x7777, "www.example.org",
                TestDns.A, 0));

        byte[] response = ((ForwardResult.Relayed) r).response();
        assertThat(TestDns.u16(response, 0)).isEqualTo(0x7777);
        assertThat(TestDns.readResponse(response, response.length).addresses())
                .containsExactly(InetAddress.ofLiteral("93.184.215.14"));
    }

    @Test
    void forwardRefusesBytesThatAreNoQuery() throws IOException {
        ForwardResult r = resolver(Duration.ofSeconds(2), upstream()).forward(new byte[] {1, 2, 3});

        assertThat(r).isEqualTo(new ForwardResult.Failed(UpstreamFailure.BAD_QUERY));
    }

    @Test
    void namesTheWireCannotCarryFailWithoutAQuery() throws IOException {
        FakeUpstream u = upstream();

        Resolution r = resolver(Duration.ofSeconds(2), u).resolve("a..b");

        assertThat(r).isEqualTo(new Resolution.Failed(UpstreamFailure.BAD_NAME));
        assertThat(u.received()).isEmpty();
    }

    @Test
    void withoutServersEveryCallFailsAtOnce() {
        UpstreamResolver r = new UpstreamResolver(new UpstreamConfig(List.of(), Duration.ofSeconds(1), 2, 16));
        toClose.add(r);

        assertThat(r.resolve("app.corp")).isEqualTo(new Resolution.Failed(UpstreamFailure.NO_SERVERS));
    }

    @Test
    void closeFailsALookupInFlight() throws Exception {
        FakeUpstream u = upstream().otherwise(silence());
        UpstreamResolver resolver = resolver(Duration.ofSeconds(20), u);
        CompletableFuture<Resolution> pending = CompletableFuture.supplyAsync(() -> resolver.resolve("app.corp"),
                r -> Thread.ofVirtual().start(r));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (u.received().size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }

        resolver.close();

        assertThat(pending.get(5, TimeUnit.SECONDS)).isEqualTo(new Resolution.Failed(UpstreamFailure.CLOSED));
    }
}
