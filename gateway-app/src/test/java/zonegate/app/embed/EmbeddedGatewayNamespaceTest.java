package zonegate.app.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import zonegate.app.internal.client.ClientNamespace;
import zonegate.app.spi.GatewayPolicy;

/**
 * The embedding API on a real TUN device and real sockets, in a namespace of the test's own (root only): both
 * threading modes, policies applied from code, counters, and the start errors an application must tell apart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedGatewayNamespaceTest {
    private static final String TUN = "zgemb0";
    private static final int PORT = 51820;

    private final TestPolicies policies = new TestPolicies(5);
    private final GatewayPolicy oneClient = policies.simple(PORT, List.of(policies.client("alice", 2)));
    private final GatewayPolicy twoClients = policies.simple(PORT,
            List.of(policies.client("alice", 2), policies.client("bob", 3)));
    private ClientNamespace ns;

    @BeforeEach
    void setUp() throws Exception {
        ns = ClientNamespace.create();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @Test
    void onItsOwnThreadsTheGatewayAppliesPoliciesFromCodeAndCountsTheirClients() throws Exception {
        EmbeddedGateway gateway = ns.call(() -> EmbeddedGateway.open(oneClient, TUN, 1));
        try {
            gateway.start();
            assertThat(ns.exec("ip", "-o", "addr", "show", "dev", TUN)).contains("100.64.0.1/11", "fd00:2021:1111::1/107");
            assertThat(gateway.counters().state().orElseThrow().clients()).isEqualTo(1);

            gateway.apply(twoClients);

            // A published policy is taken before the command queue in the same cycle: the next read sees it.
            GatewayCounters counters = gateway.counters();
            assertThat(counters.state().orElseThrow().clients()).isEqualTo(2);
            assertThat(counters.dutyCycles()).isPositive();
            assertThat(counters.loopDrops()).containsOnlyKeys("outbound_queue_full", "truncated_datagram",
                    "device_write_error", "send_error", "driver_error", "command_queue_full");
        } finally {
            gateway.close();
        }
        assertThat(ns.exec("ip", "-o", "link", "show")).doesNotContain(TUN);
        assertThat(gateway.counters().state()).isEmpty();
        assertThatThrownBy(() -> gateway.apply(oneClient)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDrivenGatewayRunsOnTheCallersThreadAndStopsWhenClosedFromAnother() throws Exception {
        ns.call(() -> {
            EmbeddedGateway gateway = EmbeddedGateway.open(oneClient, TUN, 1);
            DutyCycle cycle = gateway.startDriven();
            assertThat(gateway.counters().state().orElseThrow().clients()).isEqualTo(1);

            gateway.apply(twoClients);
            cycle.invoke();

            assertThat(gateway.counters().state().orElseThrow().clients()).isEqualTo(2);
            assertThatThrownBy(() -> CompletableFuture.runAsync(cycle::invoke).join())
                    .hasCauseInstanceOf(IllegalStateException.class);
            CompletableFuture<GatewayCounters> fromElsewhere = CompletableFuture.supplyAsync(gateway::counters);
            while (!fromElsewhere.isDone()) {
                cycle.idle(cycle.invoke());
            }
            assertThat(fromElsewhere.join().state()).isPresent();
            Thread closer = Thread.ofPlatform().start(gateway::close);
            while (cycle.isRunning()) {
                cycle.idle(cycle.invoke());
            }
            closer.join();
            assertThat(cycle.invoke()).isZero();
            return null;
        });
        assertThat(ns.exec("ip", "-o", "link", "show")).doesNotContain(TUN);
    }

    @Test
    void anInterfaceThatExistsIsRefusedAndTheRunningGatewayGoesOn() throws Exception {
        EmbeddedGateway first = ns.call(() -> EmbeddedGateway.open(oneClient, TUN, 1));
        try {
            first.start();

            assertThatThrownBy(() -> ns.call(() -> EmbeddedGateway.open(oneClient, TUN, 1)))
                    .isInstanceOfSatisfying(GatewayStartException.class, e -> assertThat(e.reason())
                            .isEqualTo(GatewayStartException.Reason.INTERFACE_EXISTS))
                    .hasMessageContaining("a network interface named " + TUN + " already exists");
            assertThat(first.counters().state().orElseThrow().clients()).isEqualTo(1);
        } finally {
            first.close();
        }
    }

    @Test
    void aListenPortInUseIsReportedAndNothingIsLeftBehind() throws Exception {
        try (DatagramSocket taken = ns.call(() -> new DatagramSocket(new InetSocketAddress("0.0.0.0", PORT)))) {
            assertThatThrownBy(() -> ns.call(() -> EmbeddedGateway.open(oneClient, TUN, 1)))
                    .isInstanceOfSatisfying(GatewayStartException.class, e -> assertThat(e.reason())
                            .isEqualTo(GatewayStartException.Reason.PORT_IN_USE))
                    .hasMessageContaining("UDP port " + PORT + " is in use");
        }
        assertThat(ns.exec("ip", "-o", "link", "show")).doesNotContain(TUN);
        assertThat(policies.gatewayKey.publicKey()).isEqualTo(oneClient.gateway().publicKey());
    }
}
