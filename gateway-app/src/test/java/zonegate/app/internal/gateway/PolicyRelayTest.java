package zonegate.app.internal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import zonegate.app.spi.GatewayPolicy;
import zonegate.app.spi.GatewaySettings;
import zonegate.app.spi.InterfaceAddress;
import zonegate.app.spi.PolicyProblem;
import zonegate.app.spi.PolicyRejection;
import zonegate.filter.Cidr;
import zonegate.wireguard.PrivateKey;

class PolicyRelayTest {
    @Test
    void aValidFileAfterARejectedStartEndsTheWaitWithItsPolicy() throws Exception {
        PolicyRelay relay = new PolicyRelay();
        relay.onRejected(rejection());
        CompletableFuture<GatewayPolicy> waited = awaitOnAThread(relay);
        GatewayPolicy valid = new GatewayPolicy(new GatewaySettings(PrivateKey.generate(new SecureRandom()), 51820,
                new InterfaceAddress(InetAddress.ofLiteral("100.64.0.1"), 11),
                new InterfaceAddress(InetAddress.ofLiteral("fd00:2021:1111::1"), 107), 1280, List.of(), Cidr.parse("64:ff9b::/96"),
                Optional.empty(), List.of()), List.of(), List.of(), List.of());

        relay.onPolicy(valid);

        assertThat(waited.get(5, TimeUnit.SECONDS)).isSameAs(valid);
    }

    @Test
    void cancellingEndsTheWaitWithoutAPolicy() throws Exception {
        PolicyRelay relay = new PolicyRelay();
        relay.onRejected(rejection());
        CompletableFuture<GatewayPolicy> waited = awaitOnAThread(relay);

        relay.cancel();

        assertThat(waited.get(5, TimeUnit.SECONDS)).isNull();
        assertThat(relay.initialRejection().problems()).hasSize(1);
    }

    private static PolicyRejection rejection() {
        return new PolicyRejection("gateway.json", List.of(new PolicyProblem("gateway.json", 3, 19, "gateway.listenPort",
                "not a port number")));
    }

    /** Waits on a thread of its own (not the common pool, which may have a single worker). */
    private static CompletableFuture<GatewayPolicy> awaitOnAThread(PolicyRelay relay) {
        CompletableFuture<GatewayPolicy> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(relay.awaitInitialPolicy());
            } catch (InterruptedException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }
}
