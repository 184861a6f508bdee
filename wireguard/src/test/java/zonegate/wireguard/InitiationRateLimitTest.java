package zonegate.wireguard;

import java.time.Instant;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The per-peer initiation rate limit (20 ms). The initiations come from separate devices holding the
 * same static key, so each is a genuine, fresh initiation with a later TAI64N timestamp (timestamps
 * are rounded down to ~16.8 ms, so 17 ms apart always differ).
 */
class InitiationRateLimitTest {
    private static final long MS = 1_000_000L;
    private static final long EPOCH_NS = 1_700_000_000_000_000_000L;
    private static final long START_NS = 50_000 * MS;
    private static final InetSocketAddress FROM = new InetSocketAddress("192.0.2.7", 40000);

    private final PrivateKey initiatorKey = PrivateKey.generate(new FixedSecureRandom(41));
    private final PrivateKey responderKey = PrivateKey.generate(new FixedSecureRandom(42));
    private final TunnelResult r = new TunnelResult();
    private final ByteBuffer out = ByteBuffer.allocate(2048);
    private long nowNs = START_NS;
    private long seed = 100;

    private Device responder() {
        Device d = new Device(responderKey, WireGuardConfig.DEFAULT, () -> Instant.ofEpochSecond(0, EPOCH_NS + nowNs),
                new FixedSecureRandom(43), new ScriptedRandom(44), nowNs);
        d.addPeer(PeerConfig.of(initiatorKey.publicKey()).withRole(PeerRole.RESPONDER_ONLY), nowNs);
        return d;
    }

    /** A fresh initiation from the initiator's key at the current time. */
    private ByteBuffer initiation() {
        Device d = new Device(initiatorKey, WireGuardConfig.DEFAULT, () -> Instant.ofEpochSecond(0, EPOCH_NS + nowNs),
                new FixedSecureRandom(seed++), new ScriptedRandom(seed++), nowNs);
        Tunnel t = d.addPeer(PeerConfig.of(responderKey.publicKey()), nowNs);
        ByteBuffer msg = ByteBuffer.allocate(2048);
        assertThat(t.encapsulate(ByteBuffer.wrap(SimNetwork.ipv4(1, 60)), msg, nowNs, r))
                .isEqualTo(Action.WRITE_TO_NETWORK);
        return msg.flip();
    }

    private Action deliver(Device d, ByteBuffer datagram) {
        return d.handleDatagram(FROM, datagram, out.clear(), nowNs, r);
    }

    @Test
    void secondInitiationWithin20MillisecondsIsDroppedAsRateLimited() {
        Device d = responder();
        assertThat(deliver(d, initiation())).isEqualTo(Action.WRITE_TO_NETWORK);
        nowNs += 17 * MS;

        assertThat(deliver(d, initiation())).isEqualTo(Action.DROPPED);
        assertThat(r.dropReason()).isEqualTo(DropReason.RATE_LIMITED);
        assertThat(d.dropCount(DropReason.RATE_LIMITED)).isEqualTo(1);
        assertThat(d.peers().iterator().next().dropCount(DropReason.RATE_LIMITED)).isEqualTo(1);
    }

    @Test
    void initiationAfter20MillisecondsIsAccepted() {
        Device d = responder();
        assertThat(deliver(d, initiation())).isEqualTo(Action.WRITE_TO_NETWORK);
        nowNs += 17 * MS;
        assertThat(deliver(d, initiation())).isEqualTo(Action.DROPPED);
        nowNs += 4 * MS;

        assertThat(deliver(d, initiation())).as("21 ms after the last accepted one").isEqualTo(Action.WRITE_TO_NETWORK);
        assertThat(r.lengthBytes()).isEqualTo(92);
        assertThat(d.dropCount(DropReason.RATE_LIMITED)).isEqualTo(1);
    }
}
