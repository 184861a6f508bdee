package zonegate.wireguard;

import java.time.Instant;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import zonegate.wireguard.internal.crypto.HChaCha20;
import zonegate.wireguard.internal.session.Session;

/**
 * Reproduces, byte for byte, the messages of the independent Python implementation
 * ({@code src/test/python/wg_handshake_kat.py}) from the same fixed keys, ephemerals, indices,
 * timestamp and cookie secret, and consumes the Python-made messages in both roles.
 */
class HandshakeKnownAnswerTest {
    private static final long START_NS = 1_000_000_000L;
    private static final long EPOCH_NS = 1_735_689_600L * 1_000_000_000L + (45L << 24);
    private static final InetSocketAddress INITIATOR_ADDRESS = new InetSocketAddress("192.0.2.1", 51820);
    private static final InetSocketAddress RESPONDER_ADDRESS = new InetSocketAddress("198.51.100.7", 51820);

    private final TunnelResult r = new TunnelResult();
    private final ByteBuffer out = ByteBuffer.allocate(2048);

    private final FixedSecureRandom initiatorSecureRandom = new FixedSecureRandom(1);
    private final ScriptedRandom initiatorRandom = new ScriptedRandom(2);

    private Device initiatorDevice() {
        initiatorSecureRandom.then(Kat.hex("initiator_ephemeral_private"));
        initiatorRandom.thenInt(Kat.index("initiator_sender_index"));
        Device d = new Device(PrivateKey.ofOwned(Kat.hex("initiator_static_private")), WireGuardConfig.DEFAULT,
                () -> Instant.ofEpochSecond(0, EPOCH_NS), initiatorSecureRandom, initiatorRandom, START_NS);
        d.addPeer(PeerConfig.of(PublicKey.of(Kat.hex("responder_static_public")))
                .withPresharedKey(PresharedKey.of(Kat.hex("preshared_key"))), START_NS);
        return d;
    }

    private Device responderDevice(FixedSecureRandom sr) {
        Device d = new Device(PrivateKey.ofOwned(Kat.hex("responder_static_private")), WireGuardConfig.DEFAULT,
                () -> Instant.ofEpochSecond(0, EPOCH_NS), sr.then(Kat.hex("responder_ephemeral_private")),
                new ScriptedRandom(3).thenInt(Kat.index("responder_sender_index")), START_NS);
        d.addPeer(PeerConfig.of(PublicKey.of(Kat.hex("initiator_static_public")))
                .withPresharedKey(PresharedKey.of(Kat.hex("preshared_key"))).withRole(PeerRole.RESPONDER_ONLY), START_NS);
        return d;
    }

    private Tunnel onlyPeer(Device d) {
        return d.peers().iterator().next();
    }

    private byte[] written() {
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        out.clear();
        return b;
    }

    @Test
    void initiatorWritesThePythonInitiation() {
        Device d = initiatorDevice();
        Action a = onlyPeer(d).encapsulate(ByteBuffer.wrap(Kat.hex("transport_payload")), out, START_NS, r);
        assertThat(a).isEqualTo(Action.WRITE_TO_NETWORK);
        assertThat(written()).isEqualTo(Kat.hex("initiation"));
        assertThat(onlyPeer(d).queuedPackets()).isEqualTo(1);
    }

    @Test
    void responderConsumesThePythonInitiationAndWritesThePythonResponse() {
        Device d = responderDevice(new FixedSecureRandom(4));
        Action a = d.handleDatagram(INITIATOR_ADDRESS, ByteBuffer.wrap(Kat.hex("initiation")), out, START_NS, r);
        assertThat(a).isEqualTo(Action.WRITE_TO_NETWORK);
        assertThat(written()).isEqualTo(Kat.hex("response"));
        assertThat(onlyPeer(d).endpoint()).isEqualTo(INITIATOR_ADDRESS);
    }

    @Test
    void initiatorConsumesThePythonResponseAndDerivesThePythonTransportKeys() {
        Device d = initiatorDevice();
        Tunnel t = onlyPeer(d);
        t.encapsulate(ByteBuffer.wrap(Kat.hex("transport_payload")), out, START_NS, r);
        out.clear();
        Action a = d.handleDatagram(RESPONDER_ADDRESS, ByteBuffer.wrap(Kat.hex("response")), out, START_NS + 1, r);
        assertThat(a).isEqualTo(Action.WRITE_TO_NETWORK);
        Session s = t.keypairs.current();
        assertThat(s.sendKey.getEncoded()).isEqualTo(Kat.hex("initiator_send_key"));
        assertThat(s.receiveKey.getEncoded()).isEqualTo(Kat.hex("initiator_receive_key"));
        assertThat(s.remoteIndex).isEqualTo(Kat.index("responder_sender_index"));
        assertThat(t.queuedPackets()).isZero();
        assertThat(d.pollEvent()).isInstanceOf(TunnelEvent.SessionEstablished.class);
    }

    @Test
    void transportPacketMatchesPythonAndTheResponderDecryptsIt() {
        Device initiator = initiatorDevice();
        Tunnel t = onlyPeer(initiator);
        t.encapsulate(ByteBuffer.wrap(new byte[0]), out, START_NS, r);
        out.clear();
        initiator.handleDatagram(RESPONDER_ADDRESS, ByteBuffer.wrap(Kat.hex("response")), out, START_NS, r);
        out.clear();
        t.keypairs.current().sendCounter = Kat.number("transport_counter");
        assertThat(t.encapsulate(ByteBuffer.wrap(Kat.hex("transport_payload")), out, START_NS, r))
                .isEqualTo(Action.WRITE_TO_NETWORK);
        byte[] packet = written();
        assertThat(packet).isEqualTo(Kat.hex("transport_packet"));

        Device responder = responderDevice(new FixedSecureRandom(5));
        responder.handleDatagram(INITIATOR_ADDRESS, ByteBuffer.wrap(Kat.hex("initiation")), out, START_NS, r);
        out.clear();
        Action a = responder.handleDatagram(INITIATOR_ADDRESS, ByteBuffer.wrap(packet), out, START_NS, r);
        assertThat(a).isEqualTo(Action.WRITE_TO_TUNNEL);
        assertThat(written()).isEqualTo(Kat.hex("transport_payload"));
    }

    @Test
    void underLoadResponderWritesThePythonCookieReply() {
        Device d = responderDevice(new FixedSecureRandom(6).then(Arrays.copyOf(Kat.hex("cookie_nonce"), 24)));
        d.cookieResponder().setSecret(Kat.hex("cookie_secret"), START_NS);
        d.setUnderLoad(true);
        Action a = d.handleDatagram(INITIATOR_ADDRESS, ByteBuffer.wrap(Kat.hex("initiation")), out, START_NS, r);
        assertThat(a).isEqualTo(Action.WRITE_TO_NETWORK);
        assertThat(written()).isEqualTo(Kat.hex("cookie_reply"));
        assertThat(d.cookieRepliesSent()).isEqualTo(1);
    }

    @Test
    void initiatorTakesThePythonCookieAndItsRetryCarriesThePythonMac2() {
        Device d = initiatorDevice();
        Tunnel t = onlyPeer(d);
        t.encapsulate(ByteBuffer.wrap(Kat.hex("transport_payload")), out, START_NS, r);
        out.clear();
        Action a = d.handleDatagram(RESPONDER_ADDRESS, ByteBuffer.wrap(Kat.hex("cookie_reply")), out, START_NS, r);
        assertThat(a).isEqualTo(Action.DONE);

        // The retry reuses the fixed ephemeral, index and clock, so only mac2 differs from the first.
        // (Serving the same ephemeral twice is a test-only trick; real ephemerals never repeat.)
        initiatorSecureRandom.then(Kat.hex("initiator_ephemeral_private"));
        initiatorRandom.thenInt(Kat.index("initiator_sender_index"));
        long retryNs = t.nextTimerDeadlineNs();
        assertThat(retryNs - START_NS).isBetween(5_000_000_000L, 5_333_000_000L);
        assertThat(t.updateTimers(retryNs, out, r)).isEqualTo(Action.WRITE_TO_NETWORK);
        assertThat(written()).isEqualTo(Kat.hex("initiation_with_mac2"));
    }

    @Test
    void underLoadResponderAcceptsThePythonInitiationWithMac2() {
        Device d = responderDevice(new FixedSecureRandom(7));
        d.cookieResponder().setSecret(Kat.hex("cookie_secret"), START_NS);
        d.setUnderLoad(true);
        Action a = d.handleDatagram(INITIATOR_ADDRESS, ByteBuffer.wrap(Kat.hex("initiation_with_mac2")), out,
                START_NS, r);
        assertThat(a).isEqualTo(Action.WRITE_TO_NETWORK);
        assertThat(r.lengthBytes()).isEqualTo(92);
    }

    @Test
    void hchacha20MatchesTheXChaChaDraftVector() {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        byte[] sub = new byte[32];
        HChaCha20.subKey(key, java.util.HexFormat.of().parseHex("000000090000004a0000000031415927"), 0, sub);
        assertThat(java.util.HexFormat.of().formatHex(sub))
                .isEqualTo("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc");
    }
}
