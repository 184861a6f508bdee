package zonegate.filter;

import java.time.Instant;
import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.filter.Fixtures.SECOND_NS;
import static zonegate.filter.Fixtures.TCP;
import static zonegate.filter.Fixtures.WALL_AT_ZERO_SECONDS;
import static zonegate.filter.Fixtures.allow;
import static zonegate.filter.Fixtures.allowUntil;
import static zonegate.filter.Fixtures.cidr;
import static zonegate.filter.Fixtures.dns;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthorizationExpiryTest {
    private final Fixtures f = new Fixtures();

    @Test
    void allowedOneNanosecondBeforeExpiryAndDeniedAtTheExactInstant() {
        f.nowNs = 5 * SECOND_NS;
        f.set(allowUntil(WALL_AT_ZERO_SECONDS + 60, cidr("X", "10.0.0.0/8")));
        long expiryNs = 60 * SECOND_NS;

        f.nowNs = expiryNs - 1;
        assertThat(f.send("10.0.0.1", TCP, 80).isAllowed()).isTrue();
        f.nowNs = expiryNs;
        assertThat(f.send("10.0.0.1", TCP, 80).verdict()).isEqualTo(Verdict.NO_RESOURCE);
    }

    @Test
    void expiryIsConvertedWithTheWallClockReadWhenTheAuthorisationIsSet() {
        // The monotonic clock starts at an arbitrary origin: 1000 s here, while the wall clock reads T.
        Fixtures offset = new Fixtures();
        offset.nowNs = 1_000 * SECOND_NS;
        FilterEngine engine = new FilterEngine(FilterConfig.DEFAULT, () -> Instant.ofEpochSecond(0, WALL_AT_ZERO_SECONDS * SECOND_NS));
        ClientFilter client = engine.upsertClient(ClientId.of("c"), TunnelAddresses.of(Fixtures.CLIENT_V4,
                Fixtures.CLIENT_V6), offset.nowNs);
        client.add(allowUntil(WALL_AT_ZERO_SECONDS + 30, cidr("X", "10.0.0.0/8")), offset.nowNs);

        assertThat(engine.pollTimeout()).isEqualTo(1_030 * SECOND_NS);
    }

    @Test
    void domainDecisionsExpireAtTheExactInstantToo() {
        f.set(allowUntil(WALL_AT_ZERO_SECONDS + 10, dns("X", "app.example.com")));
        DomainCandidates domain = f.client.domainCandidates("app.example.com");
        Decision d = new Decision();

        assertThat(f.client.decideDomainV4(Fixtures.v4(Fixtures.CLIENT_V4), domain, TCP, 1, 443, 10 * SECOND_NS - 1,
                d).isAllowed()).isTrue();
        assertThat(f.client.decideDomainV4(Fixtures.v4(Fixtures.CLIENT_V4), domain, TCP, 1, 443, 10 * SECOND_NS,
                d).isAllowed()).isFalse();
        assertThat(f.client.matchingDnsResources("app.example.com", 10 * SECOND_NS)).isEmpty();
    }

    @Test
    void anExpiredMoreSpecificResourceGivesWayToTheNextOne() {
        f.set(allowUntil(WALL_AT_ZERO_SECONDS + 10, cidr("narrow", "10.0.0.0/24")), allow(cidr("wide", "10.0.0.0/8")));

        f.nowNs = 10 * SECOND_NS;

        assertThat(f.send("10.0.0.1", TCP, 80).resourceId()).isEqualTo(ResourceId.of("wide"));
    }

    @Test
    void pollTimeoutIsTheEarliestExpiryAcrossClients() {
        f.set(allowUntil(WALL_AT_ZERO_SECONDS + 50, cidr("a", "10.0.0.0/8")),
                allowUntil(WALL_AT_ZERO_SECONDS + 20, cidr("b", "11.0.0.0/8")));
        ClientFilter other = f.engine.upsertClient(ClientId.of("c2"), TunnelAddresses.of("100.64.0.8",
                "fd00:2021:1111::8"), 0);
        other.add(allowUntil(WALL_AT_ZERO_SECONDS + 15, cidr("c", "12.0.0.0/8")), 0);

        assertThat(f.engine.pollTimeout()).isEqualTo(15 * SECOND_NS);
        assertThat(f.engine.pollTimeoutReason()).isEqualTo("authorisation expiry");
    }

    @Test
    void noTimeoutWithoutExpiringAuthorisations() {
        f.set(allow(cidr("a", "10.0.0.0/8")));

        assertThat(f.engine.pollTimeout()).isEqualTo(FilterEngine.NO_TIMEOUT);
        assertThat(f.engine.pollTimeoutReason()).isNull();
    }

    @Test
    void handleTimeoutReportsEachExpiryThenNoAuthorisationLeft() {
        f.set(allowUntil(WALL_AT_ZERO_SECONDS + 20, cidr("b", "11.0.0.0/8")),
                allowUntil(WALL_AT_ZERO_SECONDS + 20, cidr("a", "10.0.0.0/8")),
                allowUntil(WALL_AT_ZERO_SECONDS + 40, cidr("c", "12.0.0.0/8")));

        f.engine.handleTimeout(20 * SECOND_NS - 1);
        assertThat(drain()).isEmpty();
        f.engine.handleTimeout(20 * SECOND_NS);
        assertThat(drain()).containsExactly(
                new FilterEvent.AuthorizationExpired(f.client.id(), ResourceId.of("a")),
                new FilterEvent.AuthorizationExpired(f.client.id(), ResourceId.of("b")));
        assertThat(f.client.authorizationCount()).isEqualTo(1);
        assertThat(f.engine.pollTimeout()).isEqualTo(40 * SECOND_NS);

        f.engine.handleTimeout(41 * SECOND_NS);
        assertThat(drain()).containsExactly(
                new FilterEvent.AuthorizationExpired(f.client.id(), ResourceId.of("c")),
                new FilterEvent.NoAuthorizationLeft(f.client.id()));
        assertThat(f.engine.pollTimeout()).isEqualTo(FilterEngine.NO_TIMEOUT);
    }

    @Test
    void removingTheLastAuthorisationReportsNoneLeft() {
        f.set(allow(cidr("a", "10.0.0.0/8")));

        f.client.remove(ResourceId.of("a"), 0);

        assertThat(drain()).containsExactly(new FilterEvent.NoAuthorizationLeft(f.client.id()));
    }

    @Test
    void anAuthorisationAlreadyExpiredWhenSetNeverMatchesAndExpiresAtTheNextTimeout() {
        f.nowNs = 100 * SECOND_NS;
        f.set(allowUntil(WALL_AT_ZERO_SECONDS + 50, cidr("a", "10.0.0.0/8")));

        assertThat(f.send("10.0.0.1", TCP, 80).isAllowed()).isFalse();
        assertThat(f.engine.pollTimeout()).isLessThanOrEqualTo(f.nowNs);
        f.engine.handleTimeout(f.nowNs);
        assertThat(drain()).hasSize(2);
    }

    @Test
    void eventsBeyondTheBoundAreDroppedAndCounted() {
        Fixtures small = new Fixtures(FilterConfig.DEFAULT.withMaxPendingEvents(2));
        small.set(allowUntil(WALL_AT_ZERO_SECONDS + 1, cidr("a", "10.0.0.0/8")),
                allowUntil(WALL_AT_ZERO_SECONDS + 1, cidr("b", "11.0.0.0/8")));

        small.engine.handleTimeout(SECOND_NS);

        assertThat(small.engine.droppedEvents()).isEqualTo(1);
        assertThat(small.engine.pollEvent()).isNotNull();
        assertThat(small.engine.pollEvent()).isNotNull();
        assertThat(small.engine.pollEvent()).isNull();
    }

    @Test
    void changingFiltersKeepsTheExpiry() {
        f.set(allowUntil(WALL_AT_ZERO_SECONDS + 30, cidr("a", "10.0.0.0/8")));
        f.nowNs = 10 * SECOND_NS;

        f.client.changeFilters(ResourceId.of("a"), List.of(new Filter.Tcp(80, 80)), f.nowNs);

        assertThat(f.engine.pollTimeout()).isEqualTo(30 * SECOND_NS);
    }

    private List<FilterEvent> drain() {
        List<FilterEvent> events = new ArrayList<>();
        for (FilterEvent e; (e = f.engine.pollEvent()) != null; ) {
            events.add(e);
        }
        return events;
    }
}
