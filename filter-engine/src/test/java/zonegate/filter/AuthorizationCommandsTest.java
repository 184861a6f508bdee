package zonegate.filter;

import java.time.Instant;
import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.filter.Fixtures.TCP;
import static zonegate.filter.Fixtures.UDP;
import static zonegate.filter.Fixtures.allow;
import static zonegate.filter.Fixtures.cidr;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthorizationCommandsTest {
    private final Fixtures f = new Fixtures();

    @Test
    void replaceAllDropsWhatTheNewListLacks() {
        f.set(allow(cidr("a", "10.0.0.0/8")), allow(cidr("b", "11.0.0.0/8")));

        f.set(allow(cidr("b", "11.0.0.0/8")), allow(cidr("c", "12.0.0.0/8")));

        assertThat(f.send("10.0.0.1", TCP, 80).verdict()).isEqualTo(Verdict.NO_RESOURCE);
        assertThat(f.send("12.0.0.1", TCP, 80).isAllowed()).isTrue();
        assertThat(f.client.authorizations()).extracting(a -> a.resourceId().value()).containsExactly("b", "c");
    }

    @Test
    void addMakesANewResourceReachable() {
        assertThat(f.client.add(allow(cidr("a", "10.0.0.0/8")), 0)).isEqualTo(CommandResult.APPLIED);

        assertThat(f.send("10.0.0.1", TCP, 80).isAllowed()).isTrue();
    }

    @Test
    void addWithAKnownIdReplacesItsResourceAndFilters() {
        f.set(allow(cidr("a", "10.0.0.0/8")));

        f.client.add(allow(cidr("a", "11.0.0.0/8"), new Filter.Udp(53, 53)), 0);

        assertThat(f.send("10.0.0.1", UDP, 53).isAllowed()).isFalse();
        assertThat(f.send("11.0.0.1", UDP, 53).isAllowed()).isTrue();
        assertThat(f.client.authorizationCount()).isEqualTo(1);
    }

    @Test
    void removeMakesTheResourceUnreachable() {
        f.set(allow(cidr("a", "10.0.0.0/8")), allow(cidr("b", "11.0.0.0/8")));

        assertThat(f.client.remove(ResourceId.of("a"), 0)).isEqualTo(CommandResult.APPLIED);

        assertThat(f.send("10.0.0.1", TCP, 80).verdict()).isEqualTo(Verdict.NO_RESOURCE);
        assertThat(f.client.remove(ResourceId.of("a"), 0)).isEqualTo(CommandResult.UNKNOWN_RESOURCE);
    }

    @Test
    void changeFiltersTakesEffectForTheNextPacket() {
        f.set(allow(cidr("a", "10.0.0.0/8")));
        assertThat(f.send("10.0.0.1", UDP, 53).isAllowed()).isTrue();

        f.client.changeFilters(ResourceId.of("a"), List.of(new Filter.Tcp(443, 443)), 0);

        assertThat(f.send("10.0.0.1", UDP, 53).verdict()).isEqualTo(Verdict.FILTERED);
        assertThat(f.send("10.0.0.1", TCP, 443).isAllowed()).isTrue();
        assertThat(f.client.changeFilters(ResourceId.of("zz"), List.of(), 0)).isEqualTo(CommandResult.UNKNOWN_RESOURCE);
    }

    @Test
    void tooManyResourcesAreRefusedWholeAndCounted() {
        Fixtures small = new Fixtures(FilterConfig.DEFAULT.withMaxResourcesPerClient(2));
        small.set(allow(cidr("a", "10.0.0.0/8")));

        assertThat(small.client.replaceAll(List.of(allow(cidr("x", "1.0.0.0/8")), allow(cidr("y", "2.0.0.0/8")),
                allow(cidr("z", "3.0.0.0/8"))), 0)).isEqualTo(CommandResult.TOO_MANY_RESOURCES);
        assertThat(small.client.add(allow(cidr("b", "11.0.0.0/8")), 0)).isEqualTo(CommandResult.APPLIED);
        assertThat(small.client.add(allow(cidr("c", "12.0.0.0/8")), 0)).isEqualTo(CommandResult.TOO_MANY_RESOURCES);
        assertThat(small.client.add(allow(cidr("b", "13.0.0.0/8")), 0)).isEqualTo(CommandResult.APPLIED);

        assertThat(small.client.authorizations()).extracting(a -> a.resourceId().value()).containsExactly("a", "b");
        assertThat(small.engine.refusedCommands()).isEqualTo(2);
    }

    @Test
    void aListNamingOneResourceTwiceIsRefused() {
        f.set(allow(cidr("a", "10.0.0.0/8")));

        CommandResult result = f.client.replaceAll(List.of(allow(cidr("b", "1.0.0.0/8")),
                allow(cidr("b", "2.0.0.0/8"))), 0);

        assertThat(result).isEqualTo(CommandResult.DUPLICATE_RESOURCE);
        assertThat(f.send("10.0.0.1", TCP, 80).isAllowed()).isTrue();
    }

    @Test
    void clientsBeyondTheBoundAreRefusedAndCounted() {
        FilterEngine engine = new FilterEngine(new FilterConfig(1, 10, 16, 16, 1, 1, 1), () -> Instant.ofEpochSecond(0, 0));
        TunnelAddresses addresses = TunnelAddresses.of("100.64.0.1", "fd00:2021:1111::1");

        assertThat(engine.upsertClient(ClientId.of("a"), addresses, 0)).isNotNull();
        assertThat(engine.upsertClient(ClientId.of("b"), addresses, 0)).isNull();
        assertThat(engine.upsertClient(ClientId.of("a"), addresses, 0)).isNotNull();
        assertThat(engine.refusedClients()).isEqualTo(1);
        assertThat(engine.removeClient(ClientId.of("a"), 0)).isTrue();
        assertThat(engine.client(ClientId.of("a"))).isNull();
    }
}
