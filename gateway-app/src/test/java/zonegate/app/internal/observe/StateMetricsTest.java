package zonegate.app.internal.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.packet.BufferPool;
import zonegate.tunnel.GatewayConfig;
import zonegate.tunnel.GatewayState;
import zonegate.wireguard.PrivateKey;

class StateMetricsTest {
    @Test
    void theStaticGatewayReportsHandshakesFilterDecisionsAndNatFlowsWithBoundedLabels() throws Exception {
        GatewayState state = new GatewayState(
                GatewayConfig.defaults((Inet4Address) InetAddress.getByName("100.64.0.1"),
                        (Inet6Address) InetAddress.getByName("fd00:2021:1111::1")),
                PrivateKey.generate(new SecureRandom()), InstantSource.system(), new SecureRandom(),
                new SplittableRandom(1), new BufferPool(2048, 16, false), 0);
        MetricsBuilder out = new MetricsBuilder();

        StateMetrics.gateway(state, out);

        Map<String, TextFormatParser.Family> families = TextFormatParser.parse(TextFormat.write(out.build()));
        assertThat(families.get("zonegate_handshakes_started_total").samples())
                .extracting(s -> s.labels().get("role")).containsExactly("initiator", "responder");
        assertThat(families.get("zonegate_handshakes_completed_total").samples()).hasSize(2);
        assertThat(families.get("zonegate_handshakes_failed_total").samples())
                .extracting(s -> s.labels().get("reason"))
                .contains("handshake_failed", "replayed_timestamp", "handshake_gave_up");
        assertThat(families.get("zonegate_filter_decisions_total").samples())
                .extracting(s -> s.labels().get("verdict")).startsWith("allowed").contains("filtered", "no_resource");
        assertThat(families).containsKeys("zonegate_nat_flows", "zonegate_cookie_replies_sent_total",
                "zonegate_gateway_drops_total", "zonegate_wireguard_drops_total", "zonegate_clients");
        assertThat(families.get("zonegate_nat_flows").type()).isEqualTo("gauge");
    }
}
