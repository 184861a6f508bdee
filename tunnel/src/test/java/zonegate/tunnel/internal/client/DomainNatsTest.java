package zonegate.tunnel.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import zonegate.node.P2pMessage;

class DomainNatsTest {
    private static final long S = 1_000_000_000L;
    private static final UUID RESOURCE = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final List<InetAddress> PROXIES = List.of(InetAddress.ofLiteral("100.96.0.1"),
            InetAddress.ofLiteral("100.96.0.2"), InetAddress.ofLiteral("100.96.0.3"), InetAddress.ofLiteral("100.96.0.4"));

    private final DomainNats nats = new DomainNats();

    @Test
    void packetsWaitForTheStatusAndAssignedIpsIsResentEveryTwoSeconds() {
        assertThat(admit(0, 1)).isFalse();
        assertThat(nats.due(0)).hasSize(1);
        assertThat(nats.due(1 * S)).isEmpty();
        assertThat(nats.due(2 * S)).hasSize(1);
        assertThat(admit(2 * S, 2)).isFalse();

        DomainNats.Setup s = nats.onStatus("gw", new P2pMessage.DomainStatus(RESOURCE, "app.example.com", true));
        List<Byte> drained = new ArrayList<>();
        nats.drain(s, b -> drained.add(b.get(b.position())));
        assertThat(drained).containsExactly((byte) 1, (byte) 2);
        assertThat(admit(3 * S, 3)).isTrue();
        assertThat(nats.due(10 * S)).isEmpty();
    }

    @Test
    void aNewQueryForTheDomainAsksTheGatewayAgainWhilePacketsFlow() {
        admit(0, 1);
        nats.due(0);
        nats.onStatus("gw", new P2pMessage.DomainStatus(RESOURCE, "app.example.com", true));
        nats.requeried("app.example.com", 5 * S);
        assertThat(nats.due(5 * S)).extracting(x -> x.message.domain()).containsExactly("app.example.com");
        assertThat(admit(5 * S, 2)).isTrue();
    }

    @Test
    void anInactiveDomainIsRefused() {
        admit(0, 1);
        nats.onStatus("gw", new P2pMessage.DomainStatus(RESOURCE, "app.example.com", false));
        assertThat(nats.refused("gw", "app.example.com")).isTrue();
        assertThat(admit(1, 2)).isFalse();
    }

    @Test
    void atMostThirtyTwoPacketsWait() {
        for (int i = 0; i < 40; i++) {
            admit(0, i);
        }
        DomainNats.Setup s = nats.onStatus("gw", new P2pMessage.DomainStatus(RESOURCE, "app.example.com", true));
        List<Byte> drained = new ArrayList<>();
        nats.drain(s, b -> drained.add(b.get(b.position())));
        assertThat(drained).hasSize(DomainNats.BUFFERED_PACKETS);
        assertThat(drained.get(0)).isEqualTo((byte) 8);
    }

    private boolean admit(long nowNs, int marker) {
        byte[] packet = new byte[40];
        packet[0] = (byte) marker;
        return nats.admit("gw", RESOURCE, "app.example.com", PROXIES, ByteBuffer.wrap(packet), 0, packet.length, nowNs);
    }
}
