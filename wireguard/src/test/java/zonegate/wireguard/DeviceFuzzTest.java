package zonegate.wireguard;

import java.time.Instant;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * Arbitrary bytes into every message parser (the device dispatches on the type field to the
 * initiation, response, cookie-reply and transport parsers). Nothing may escape, and whatever is
 * dropped must leave every piece of state but the drop counters as it was. The device under test has
 * an established session with the KAT initiator, so valid seeds reach deep into each parser.
 * Seeds: {@code src/test/resources/zonegate/wireguard/DeviceFuzzTestInputs/<method>/}.
 */
class DeviceFuzzTest {
    private static final long NOW_NS = 5_000_000_000L;
    private static final InetSocketAddress FROM = new InetSocketAddress("192.0.2.1", 51820);

    /** A responder that accepted the KAT initiation and the KAT transport packet (session confirmed). */
    private static Device responder(boolean underLoad) {
        Device d = new Device(PrivateKey.ofOwned(Kat.hex("responder_static_private")), WireGuardConfig.DEFAULT,
                () -> Instant.ofEpochSecond(0, 1_735_689_600L * 1_000_000_000L), new FixedSecureRandom(9).then(Kat.hex("responder_ephemeral_private")),
                new ScriptedRandom(9).thenInt(Kat.index("responder_sender_index")), NOW_NS);
        d.addPeer(PeerConfig.of(PublicKey.of(Kat.hex("initiator_static_public")))
                .withPresharedKey(PresharedKey.of(Kat.hex("preshared_key"))).withRole(PeerRole.RESPONDER_ONLY), NOW_NS);
        TunnelResult r = new TunnelResult();
        ByteBuffer out = ByteBuffer.allocate(2048);
        d.handleDatagram(FROM, ByteBuffer.wrap(Kat.hex("initiation")), out, NOW_NS, r);
        out.clear();
        d.handleDatagram(FROM, ByteBuffer.wrap(Kat.hex("transport_packet")), out, NOW_NS, r);
        d.cookieResponder().setSecret(Kat.hex("cookie_secret"), NOW_NS);
        d.setUnderLoad(underLoad);
        while (d.pollEvent() != null) {
            // drain the set-up events
        }
        return d;
    }

    /** Everything observable except drop counters. */
    static List<Object> state(Device d) {
        Tunnel t = d.peers().iterator().next();
        var s = t.keypairs.current();
        return List.of(d.indicesInUse(), t.rxPackets(), t.rxBytes(), t.txPackets(), t.keepalivesReceived(),
                t.handshakesCompleted(), String.valueOf(t.endpoint()), t.nextTimerDeadlineNs(),
                s == null ? -2L : s.replay.greatest(), s == null ? -2L : s.sendCounter,
                String.valueOf(t.keypairs.previous()), String.valueOf(t.keypairs.next()), d.cookieRepliesSent());
    }

    private static void check(byte[] data, boolean underLoad) {
        Device d = responder(underLoad);
        List<Object> before = state(d);
        TunnelResult r = new TunnelResult();
        ByteBuffer out = ByteBuffer.allocate(2048);
        Action a = d.handleDatagram(FROM, ByteBuffer.wrap(data), out, NOW_NS + 1, r);
        if (a == Action.DROPPED) {
            assertThat(state(d)).isEqualTo(before);
            assertThat(d.pollEvent()).isNull();
        }
    }

    @FuzzTest(maxDuration = "10s")
    void arbitraryDatagramsNeverThrowAndDroppedOnesChangeNoState(byte[] data) {
        check(data, false);
    }

    @FuzzTest(maxDuration = "10s")
    void arbitraryDatagramsUnderLoadNeverThrowAndDroppedOnesChangeNoState(byte[] data) {
        check(data, true);
    }

    @FuzzTest(maxDuration = "10s")
    void arbitraryTransportPayloadsWithAKnownReceiverAreDroppedWithoutStateChange(byte[] data) {
        byte[] packet = Kat.hex("transport_packet");
        byte[] mutated = Arrays.copyOf(packet, Math.max(8, Math.min(data.length + 8, 2000)));
        System.arraycopy(data, 0, mutated, 8, Math.min(data.length, mutated.length - 8));
        if (!Arrays.equals(mutated, packet)) {
            check(mutated, false);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void arbitraryInitiationBodiesAreDroppedWithoutStateChange(byte[] data) {
        byte[] msg = Kat.hex("initiation");
        System.arraycopy(data, 0, msg, 4, Math.min(data.length, msg.length - 4));
        check(msg, false);
    }

    @FuzzTest(maxDuration = "10s")
    void arbitraryResponseAndCookieBodiesAreDroppedWithoutStateChange(byte[] data) {
        byte[] msg = data.length > 0 && (data[0] & 1) == 0 ? Kat.hex("response") : Kat.hex("cookie_reply");
        if (data.length > 0) {
            System.arraycopy(data, 1, msg, 4, Math.min(data.length - 1, msg.length - 4));
        }
        check(msg, false);
    }
}
