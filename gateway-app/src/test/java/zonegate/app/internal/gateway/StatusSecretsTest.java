package zonegate.app.internal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import zonegate.app.internal.portal.PortalLink;
import zonegate.app.internal.status.DropWindow;
import zonegate.app.internal.status.StatusCollector;
import zonegate.app.internal.status.StatusJson;
import zonegate.app.internal.status.StatusReport;
import zonegate.app.internal.status.StatusRequest;
import zonegate.app.internal.status.StatusText;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalEvent;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.ClientId;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.node.NodeConfig;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.shell.loop.Outbound;
import zonegate.tunnel.ClientSpec;
import zonegate.tunnel.GatewayConfig;
import zonegate.tunnel.GatewayState;
import zonegate.tunnel.IceGatewayState;
import zonegate.tunnel.Transmit;
import zonegate.wireguard.Action;
import zonegate.wireguard.Device;
import zonegate.wireguard.PeerConfig;
import zonegate.wireguard.PeerRole;
import zonegate.wireguard.PresharedKey;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.TunnelResult;
import zonegate.wireguard.WireGuardConfig;

/**
 * Nothing secret reaches {@code zonegate status}: with known keys, preshared keys, ICE and TURN passwords in the
 * state, neither the JSON nor the text contains any of them (base64, hex), while the public material is there.
 */
class StatusSecretsTest {
    private static final long NOW_NS = 1_000_000_000_000L;
    private static final long WALL_MS = 1_700_000_000_000L;
    private static final Inet4Address V4 = (Inet4Address) InetAddress.ofLiteral("100.64.0.1");
    private static final Inet6Address V6 = (Inet6Address) InetAddress.ofLiteral("fd00:2021:1111::1");

    private final SecureRandom random = new SecureRandom(new byte[] {9});
    private final BufferPool pool = new BufferPool(2048, 64, false);

    @Test
    void theStaticGatewaysStatusShowsAConnectedClientButNoKeyOfIt() {
        PrivateKey gatewayKey = PrivateKey.generate(random);
        PrivateKey aliceKey = PrivateKey.generate(random);
        PresharedKey psk = PresharedKey.generate(random);
        GatewayState state = new GatewayState(GatewayConfig.defaults(V4, V6), gatewayKey, InstantSource.system(),
                random, new SplittableRandom(1), pool, NOW_NS);
        ClientSpec alice = new ClientSpec(ClientId.of("alice"), aliceKey.publicKey(), psk.copy(),
                TunnelAddresses.of("100.64.0.2", "fd00:2021:1111::2"));
        state.upsertClient(alice, NOW_NS);
        state.replaceAuthorizations(alice.id(), List.of(Authorization.permanent(
                new Resource.CidrRange(ResourceId.of("lab"), Cidr.parse("10.0.0.0/24")), List.of())), NOW_NS);
        handshake(state, gatewayKey, aliceKey, psk);

        StatusReport report = StatusCollector.report(StatusCollector.gateway(state, new StatusReport.Self("static",
                "zg0", state.publicKey().toBase64(), List.of("0.0.0.0:51820"), List.of("100.64.0.1/11")),
                new StatusRequest(WALL_MS, false, new CompletableFuture<>()), NOW_NS + 1_000_000_000L), WALL_MS);
        String json = StatusJson.write(report, new DropWindow(NOW_NS).recent(NOW_NS, report.drops()));
        String text = StatusText.render(json);

        assertThat(report.clients()).singleElement().satisfies(c -> {
            assertThat(c.latestHandshakeAgoMs()).isBetween(0L, 1_000L);
            assertThat(c.rxBytes()).isPositive();
        });
        assertThat(text).contains("client: alice", aliceKey.publicKey().toBase64(), gatewayKey.publicKey().toBase64(),
                "latest handshake: 1 second ago", "lab: cidr 10.0.0.0/24");
        assertNoSecret(json + text, List.of(gatewayKey.toBase64(), aliceKey.toBase64(), psk.toBase64()));
    }

    @Test
    void theIceGatewaysStatusShowsTheClientAndRelayButNoPasswordNorKey() {
        InetSocketAddress socket = new InetSocketAddress(InetAddress.ofLiteral("192.0.2.10"), 40000);
        PrivateKey gatewayKey = PrivateKey.generate(random);
        PresharedKey psk = PresharedKey.generate(random);
        IceGatewayState state = new IceGatewayState(GatewayConfig.defaults(V4, V6), NodeConfig.server(), gatewayKey,
                List.of(socket), InstantSource.system(), random, new SplittableRandom(5), pool, NOW_NS);
        IceGatewayDriver driver = new IceGatewayDriver(state, List.of(socket), new NoPortal(), new NoShell());
        driver.onStart(new DroppingOutbound(), NOW_NS);
        String turnPassword = "turn-password-Qx7";
        String clientIcePassword = "cpassword0123456789012";
        String gatewayIcePassword = "gpassword0123456789012";
        Wire.Relay relay = new Wire.Relay("relay-1", "192.0.2.50:3478", "2000000000:gw", turnPassword, 2_000_000_000L);
        portal(driver, null, new PortalMessage.GatewayInit(new Wire.Interface("100.95.255.254",
                "fd00:2021:1111::1f:fffe", List.of()), List.of(relay), List.of()));
        Wire.Resource resource = new Wire.Resource("cidr", "lab", "Lab", "10.0.0.0/24", null, null, List.of());
        Wire.Client client = new Wire.Client("alice", PrivateKey.generate(random).publicKey().toBase64(),
                psk.toBase64(), "100.64.0.2", "fd00:2021:1111::2");
        portal(driver, "1", new PortalMessage.CreateAuthorization(resource, client,
                new Wire.IceCredentials("cufr", clientIcePassword), new Wire.IceCredentials("gufr", gatewayIcePassword),
                2_000_000_000L));
        StatusRequest request = new StatusRequest(WALL_MS, false, new CompletableFuture<>());

        driver.onCommand(request, NOW_NS + 1);

        StatusReport report = StatusCollector.report(request.result().join(), WALL_MS);
        String json = StatusJson.write(report, new DropWindow(NOW_NS).recent(NOW_NS, report.drops()));
        String text = StatusText.render(json);
        assertThat(text).contains("mode: ice", "client: alice", "connection: connecting", "relay: 192.0.2.50:3478",
                "lab: cidr 10.0.0.0/24, expires 2033-05-18T03:33:20Z", "tunnel addresses: 100.95.255.254/11");
        assertNoSecret(json + text, List.of(gatewayKey.toBase64(), psk.toBase64(), turnPassword, clientIcePassword,
                gatewayIcePassword));
    }

    private static void assertNoSecret(String output, List<String> base64Secrets) {
        for (String secret : base64Secrets) {
            assertThat(output).doesNotContain(secret);
            byte[] raw = java.util.Base64.getDecoder().decode(padded(secret));
            assertThat(output.toLowerCase()).doesNotContain(HexFormat.of().formatHex(raw));
            assertThat(output).doesNotContain(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
        }
    }

    /** A password is not base64: decode its bytes as they are (the checks then look for its hex form too). */
    private static String padded(String secret) {
        try {
            java.util.Base64.getDecoder().decode(secret);
            return secret;
        } catch (IllegalArgumentException notBase64) {
            return java.util.Base64.getEncoder().encodeToString(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Alice (a WireGuard initiator with the preshared key) handshakes with the gateway and sends one packet. */
    private void handshake(GatewayState state, PrivateKey gatewayKey, PrivateKey aliceKey, PresharedKey psk) {
        InetSocketAddress aliceAddress = new InetSocketAddress(InetAddress.ofLiteral("198.51.100.7"), 41000);
        Device device = new Device(aliceKey, WireGuardConfig.DEFAULT, InstantSource.system(), random,
                new SplittableRandom(2), NOW_NS);
        var tunnel = device.addPeer(PeerConfig.of(gatewayKey.publicKey()).withPresharedKey(psk)
                .withRole(PeerRole.INITIATOR), NOW_NS);
        tunnel.setEndpoint(new InetSocketAddress(V4, 51820));
        TunnelResult r = new TunnelResult();
        ByteBuffer out = ByteBuffer.allocate(2048);
        byte[] ping = zonegateEcho();
        List<ByteBuffer> toGateway = new ArrayList<>();
        if (tunnel.encapsulate(ByteBuffer.wrap(ping), out.clear(), NOW_NS, r) == Action.WRITE_TO_NETWORK) {
            toGateway.add(copy(out.flip()));
        }
        for (int round = 0; round < 4; round++) {
            for (ByteBuffer d : toGateway) {
                state.handleNetworkInput(aliceAddress, d, NOW_NS);
            }
            toGateway.clear();
            for (Transmit t; (t = state.pollTransmit()) != null; ) {
                if (device.handleDatagram(t.destination(), t.buffer().buffer(), out.clear(), NOW_NS, r)
                        == Action.WRITE_TO_NETWORK) {
                    toGateway.add(copy(out.flip()));
                }
                t.buffer().pool().release(t.buffer());
                if (tunnel.encapsulate(ByteBuffer.wrap(ping), out.clear(), NOW_NS, r) == Action.WRITE_TO_NETWORK) {
                    toGateway.add(copy(out.flip()));
                }
            }
            for (PooledBuffer p; (p = state.pollPacket()) != null; ) {
                p.pool().release(p);
            }
        }
    }

    /** An ICMP echo request from alice's tunnel address to 10.0.0.5 (checksums are not checked on the way in). */
    private static byte[] zonegateEcho() {
        byte[] p = new byte[28];
        p[0] = 0x45;
        p[3] = 28;
        p[8] = 64;
        p[9] = 1;
        byte[] src = {100, 64, 0, 2};
        byte[] dst = {10, 0, 0, 5};
        System.arraycopy(src, 0, p, 12, 4);
        System.arraycopy(dst, 0, p, 16, 4);
        p[20] = 8;
        return p;
    }

    private static ByteBuffer copy(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b).flip();
        return c;
    }

    private static void portal(IceGatewayDriver driver, String ref, PortalMessage message) {
        driver.onCommand(new PortalEvent.Message(new Frame("gateway", ref, message)), NOW_NS);
    }

    private static final class NoPortal implements PortalLink {
        @Override
        public void send(PortalMessage message) {
        }

        @Override
        public void reply(String ref, PortalMessage message) {
        }
    }

    private static final class NoShell implements IceGatewayDriver.Shell {
        @Override
        public void configureTunnel(TunnelAddresses addresses) {
        }

        @Override
        public void resolve(ClientId client, String domain) {
        }

        @Override
        public void refused(String reason) {
        }
    }

    private static final class DroppingOutbound implements Outbound {
        @Override
        public PooledBuffer acquire() {
            return null;
        }

        @Override
        public boolean sendDatagram(int socketIndex, InetSocketAddress destination, PooledBuffer datagram) {
            datagram.pool().release(datagram);
            return true;
        }

        @Override
        public boolean writeToDevice(int flowHash, PooledBuffer packet) {
            packet.pool().release(packet);
            return true;
        }

        @Override
        public int socketCount() {
            return 1;
        }

        @Override
        public int deviceQueueCount() {
            return 1;
        }
    }
}
