package zonegate.wireguard.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import zonegate.packet.IpPacket;
import zonegate.packet.PacketParser;
import zonegate.packet.UdpWriter;
import zonegate.wireguard.AeadChoice;
import zonegate.wireguard.Action;
import zonegate.wireguard.PeerConfig;
import zonegate.wireguard.PeerRole;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.PublicKey;
import zonegate.wireguard.Tunnel;
import zonegate.wireguard.WireGuardConfig;
import zonegate.wireguard.internal.crypto.NativeAeadRequirement;

/**
 * Our WireGuard against a stock wireguard-go (Debian's package) configured with `wg`, in a network
 * namespace this test creates, over a veth pair. Our side runs in userspace on a UDP socket. Each
 * test runs with each transport AEAD (the JCE's and the native one).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WireGuardGoInteropTest {
    private static final String OUR_TUNNEL_IP = "100.64.0.1";
    private static final String THEIR_TUNNEL_IP = "100.64.0.2";
    private static final int ECHO_PORT = 7007;

    @TempDir
    Path dir;

    private NetnsHost host;
    private UserspaceEndpoint us;
    private WireGuardGoPeer them;
    private Tunnel peer;

    @BeforeEach
    void requirePeers() {
        InteropEnvironment.require(WireGuardGoPeer.WIREGUARD_GO, WireGuardGoPeer.WG, "/usr/sbin/ip", "/usr/bin/ping",
                "/usr/bin/python3");
    }

    @AfterEach
    void tearDown() throws Exception {
        if (us != null) {
            us.close();
        }
        if (host != null) {
            host.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = AeadChoice.class, names = {"JCE", "NATIVE"})
    void wireguardGoInitiatesAndPingsThroughOurResponderOnlySide(AeadChoice aead) throws Exception {
        start(WireGuardConfig.DEFAULT.withAead(aead), PeerRole.RESPONDER_ONLY);

        String ping = host.exec("ping", "-c", "3", "-i", "0.2", "-W", "2", OUR_TUNNEL_IP);

        assertThat(ping).contains("3 received");
        assertThat(us.call(d -> peer.handshakesCompleted()).get()).isGreaterThanOrEqualTo(1);
        assertThat(us.call(d -> peer.handshakesSent()).get()).isZero();
        assertThat(them.latestHandshakeUnixSeconds()).isPositive();
    }

    @ParameterizedTest
    @EnumSource(value = AeadChoice.class, names = {"JCE", "NATIVE"})
    void weInitiateAndExchangeUdpAndPingWithWireguardGo(AeadChoice aead) throws Exception {
        start(WireGuardConfig.DEFAULT.withAead(aead), PeerRole.INITIATOR);
        startUdpEcho();

        assertThat(us.send(peer, udpToEcho("hello through the tunnel")).get())
                .isIn(Action.WRITE_TO_NETWORK, Action.QUEUED);
        assertThat(receiveUdpPayload()).isEqualTo("hello through the tunnel");
        assertThat(us.call(d -> peer.handshakesSent()).get()).isGreaterThanOrEqualTo(1);

        String ping = host.exec("ping", "-c", "2", "-i", "0.2", "-W", "2", OUR_TUNNEL_IP);
        assertThat(ping).contains("2 received");
    }

    @ParameterizedTest
    @EnumSource(value = AeadChoice.class, names = {"JCE", "NATIVE"})
    void aRekeyIsObservedByWireguardGo(AeadChoice aead) throws Exception {
        WireGuardConfig quickRekey = WireGuardConfig.DEFAULT.withRekeyAfterTimeNs(Duration.ofSeconds(3).toNanos())
                .withAead(aead);
        start(quickRekey, PeerRole.INITIATOR);
        startUdpEcho();

        us.send(peer, udpToEcho("before rekey")).get();
        assertThat(receiveUdpPayload()).isEqualTo("before rekey");
        long firstHandshake = them.latestHandshakeUnixSeconds();
        Thread.sleep(4_200);
        us.send(peer, udpToEcho("after rekey")).get();
        assertThat(receiveUdpPayload()).isEqualTo("after rekey");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (us.call(d -> peer.handshakesCompleted()).get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(us.call(d -> peer.handshakesCompleted()).get()).isGreaterThanOrEqualTo(2);
        assertThat(them.latestHandshakeUnixSeconds()).isGreaterThan(firstHandshake);
    }

    private void start(WireGuardConfig config, PeerRole role) throws Exception {
        if (config.aead() == AeadChoice.NATIVE) {
            NativeAeadRequirement.assumeNativeAead();
        }
        host = NetnsHost.create();
        PrivateKey key = PrivateKey.generate(new SecureRandom());
        us = new UserspaceEndpoint(key, config, new InetSocketAddress(host.outsideAddress, 0));
        assertThat(us.call(d -> d.aeadInUse()).get()).isEqualTo(config.aead());
        them = WireGuardGoPeer.start(host, dir, key.publicKey().toBase64(), us.localAddress(),
                THEIR_TUNNEL_IP + "/32", OUR_TUNNEL_IP);
        PeerConfig peerConfig = PeerConfig.of(PublicKey.parse(them.publicKey)).withRole(role);
        peer = us.call(d -> {
            Tunnel t = d.addPeer(peerConfig, System.nanoTime());
            t.setEndpoint(them.endpoint());
            return t;
        }).get();
    }

    /** A UDP echo server inside the namespace, on its tunnel address. */
    private void startUdpEcho() throws Exception {
        host.start(dir.resolve("echo.log"), "/usr/bin/python3", "-c", """
                import socket
                s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                s.bind(("%s", %d))
                while True:
                    data, addr = s.recvfrom(65535)
                    s.sendto(data, addr)
                """.formatted(THEIR_TUNNEL_IP, ECHO_PORT));
        for (int i = 0; i < 50; i++) {
            if (host.exec("ss", "-uln").contains(":" + ECHO_PORT)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("UDP echo server did not start; see " + dir.resolve("echo.log"));
    }

    private static byte[] udpToEcho(String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteBuffer packet = ByteBuffer.allocate(28 + payload.length);
        int length = UdpWriter.writeIpv4(ipv4(OUR_TUNNEL_IP), 40_000, ipv4(THEIR_TUNNEL_IP), ECHO_PORT,
                ByteBuffer.wrap(payload), 0, payload.length, packet, 0, packet.capacity());
        byte[] bytes = new byte[length];
        packet.get(0, bytes);
        return bytes;
    }

    private String receiveUdpPayload() throws Exception {
        PacketParser parser = new PacketParser();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            byte[] bytes = us.received().poll(100, TimeUnit.MILLISECONDS);
            if (bytes == null) {
                continue;
            }
            IpPacket packet = parser.parseOrNull(ByteBuffer.wrap(bytes), 0, bytes.length);
            if (packet != null && packet.udp() != null && packet.sourcePort() == ECHO_PORT) {
                int at = packet.transportOffset() + 8;
                return new String(bytes, at, packet.transportLengthBytes() - 8, StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("no UDP reply through the tunnel within 15 s");
    }

    private static int ipv4(String dotted) throws Exception {
        byte[] b = InetAddress.getByName(dotted).getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }
}
