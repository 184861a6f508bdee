package zonegate.app.internal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import zonegate.app.spi.ClientSpec;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.InterfaceAddress;
import zonegate.filter.Cidr;
import zonegate.filter.ClientId;
import zonegate.packet.BufferPool;
import zonegate.tunnel.DnsAssignment;
import zonegate.tunnel.GatewayConfig;
import zonegate.tunnel.GatewayState;
import zonegate.wireguard.PrivateKey;

/** The driver's DNS part: the client directory it publishes for the DNS server, and the assignment command. */
class GatewayDriverDnsTest {
    private static final long NOW_NS = 1_000_000_000_000L;
    private final SecureRandom random = new SecureRandom(new byte[] {7});
    private final PrivateKey gatewayKey = PrivateKey.generate(random);
    private final GatewayState state = new GatewayState(GatewayConfig.defaults(
            (Inet4Address) ip("100.64.0.1"), (Inet6Address) ip("fd00:2021:1111::1")), gatewayKey,
            InstantSource.system(), random, new SplittableRandom(8), new BufferPool(2048, 16, false), NOW_NS);
    private final ClientSpec alice = client("alice", "100.64.0.10", "fd00:2021:1111::10");
    private final ClientSpec bob = client("bob", "100.64.0.11", "fd00:2021:1111::11");
    /** Bob's address again: the state machine refuses this client, so the directory must not list it. */
    private final ClientSpec mallory = client("mallory", "100.64.0.11", "fd00:2021:1111::12");

    @Test
    void theDirectoryListsEveryAcceptedClientsTwoAddressesAndFollowsReloads() {
        GatewayDriver driver = new GatewayDriver(state, policy(alice, bob, mallory), 0, -1);

        driver.onStart(null, NOW_NS);
        var directory = driver.dnsClients();
        assertThat(directory.clientOf(ip("100.64.0.10"))).isEqualTo(alice.id());
        assertThat(directory.clientOf(ip("fd00:2021:1111::10"))).isEqualTo(alice.id());
        assertThat(directory.clientOf(ip("100.64.0.11"))).isEqualTo(bob.id());
        assertThat(directory.clientOf(ip("fd00:2021:1111::12"))).isNull();
        assertThat(directory.clientOf(ip("100.64.0.99"))).isNull();

        driver.onCommand(new GatewayCommand.ApplyPolicy(policy(alice)), NOW_NS + 1);
        assertThat(directory.clientOf(ip("100.64.0.11"))).isNull();
        assertThat(directory.clientOf(ip("100.64.0.10"))).isEqualTo(alice.id());
    }

    @Test
    void anAssignmentCommandCompletesWithTheStateMachinesTypedResult() {
        GatewayDriver driver = new GatewayDriver(state, policy(alice), 0, -1);
        driver.onStart(null, NOW_NS);
        CompletableFuture<DnsAssignment> result = new CompletableFuture<>();

        driver.onCommand(new GatewayCommand.AssignDnsProxies(ip("100.64.0.99"), "app.corp", List.of(ip("10.0.0.5")),
                result), NOW_NS + 1);

        assertThat(result).isCompletedWithValue(new DnsAssignment.Refused(DnsAssignment.Reason.UNKNOWN_CLIENT));
    }

    private GatewayPolicy policy(ClientSpec... clients) {
        GatewaySettings settings = new GatewaySettings(gatewayKey, 51820,
                new InterfaceAddress(ip("100.64.0.1"), 11), new InterfaceAddress(ip("fd00:2021:1111::1"), 107), 1280,
                List.of(ip("192.0.2.53")), Cidr.parse("64:ff9b::/96"), Optional.empty(), List.of());
        return new GatewayPolicy(settings, List.of(clients), List.of(), List.of());
    }

    private ClientSpec client(String name, String ipv4, String ipv6) {
        return new ClientSpec(ClientId.of(name), PrivateKey.generate(random).publicKey(), (Inet4Address) ip(ipv4),
                (Inet6Address) ip(ipv6), Optional.empty(), 0);
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
