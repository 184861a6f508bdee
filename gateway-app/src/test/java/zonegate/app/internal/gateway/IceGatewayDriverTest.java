package zonegate.app.internal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import zonegate.controlplane.PortalEvent;
import zonegate.app.internal.portal.PortalLink;
import zonegate.controlplane.Frame;
import zonegate.controlplane.PortalMessage;
import zonegate.controlplane.Wire;
import zonegate.filter.ClientId;
import zonegate.filter.TunnelAddresses;
import zonegate.node.NodeConfig;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.shell.loop.Outbound;
import zonegate.tunnel.GatewayConfig;
import zonegate.tunnel.IceGatewayState;
import zonegate.wireguard.PrivateKey;

/** The ICE-mode driver between the portal's messages and {@link IceGatewayState}. */
class IceGatewayDriverTest {
    private static final long NOW_NS = 1_000_000_000_000L;
    private static final InetSocketAddress SOCKET = new InetSocketAddress(InetAddress.ofLiteral("192.0.2.10"), 40000);
    private static final Wire.Interface IFACE = new Wire.Interface("100.95.255.254", "fd00:2021:1111::1f:fffe", List.of());

    private final SecureRandom random = new SecureRandom(new byte[] {3});
    private final BufferPool pool = new BufferPool(2048, 64, false);
    private final IceGatewayState state = new IceGatewayState(GatewayConfig.defaults(
            (Inet4Address) InetAddress.ofLiteral("100.64.0.1"), (Inet6Address) InetAddress.ofLiteral("fd00:2021:1111::1")),
            NodeConfig.server(), PrivateKey.generate(random), List.of(SOCKET), InstantSource.system(), random,
            new SplittableRandom(5), pool, NOW_NS);
    private final RecordingPortal portal = new RecordingPortal();
    private final RecordingShell shell = new RecordingShell();
    private final RecordingOutbound outbound = new RecordingOutbound();
    private final IceGatewayDriver driver = new IceGatewayDriver(state, List.of(SOCKET), portal, shell);

    @Test
    void initPutsThePortalsTunnelAddressesOnTheDeviceOnceWhileTheyStayTheSame() {
        driver.onStart(outbound, NOW_NS);

        receive(null, new PortalMessage.GatewayInit(IFACE, List.of(), List.of()), NOW_NS);
        receive(null, new PortalMessage.GatewayInit(IFACE, List.of(), List.of()), NOW_NS + 1);

        assertThat(shell.tunnels).containsExactly(TunnelAddresses.of("100.95.255.254", "fd00:2021:1111::1f:fffe"));
    }

    @Test
    void aCreatedAuthorizationIsAnsweredWithTheRequestsRefAndTheGatewaysCandidatesGoToThePortal() {
        driver.onStart(outbound, NOW_NS);
        receive(null, new PortalMessage.GatewayInit(IFACE, List.of(), List.of()), NOW_NS);

        receive("7", createAuthorization(PrivateKey.generate(random).publicKey().toBase64()), NOW_NS + 1);

        assertThat(portal.replies).containsExactly("7 authorization_created");
        assertThat(portal.sent).anySatisfy(m -> {
            assertThat(m).isInstanceOf(PortalMessage.BroadcastIceCandidates.class);
            PortalMessage.BroadcastIceCandidates b = (PortalMessage.BroadcastIceCandidates) m;
            assertThat(b.clientIds()).containsExactly("alice");
            assertThat(b.candidates()).anySatisfy(c -> assertThat(c).contains("192.0.2.10 40000 typ host"));
        });
    }

    @Test
    void aCreateAuthorizationWithABadKeyIsRefusedWithoutAnAnswerAndChangesNothing() {
        driver.onStart(outbound, NOW_NS);
        receive(null, new PortalMessage.GatewayInit(IFACE, List.of(), List.of()), NOW_NS);

        receive("8", createAuthorization("not a key"), NOW_NS + 1);

        assertThat(portal.replies).isEmpty();
        assertThat(state.clientCount()).isZero();
    }

    @Test
    void relaysWithBadAddressesAreSkippedAndTheOthersKept() {
        driver.onStart(outbound, NOW_NS);
        Wire.Relay good = new Wire.Relay("relay-1", "192.0.2.50:3478", "1:alice", "pw", 2_000_000_000L);
        Wire.Relay bad = new Wire.Relay("relay-2", "relay.example.com:3478", "1:alice", "pw", 2_000_000_000L);

        receive(null, new PortalMessage.GatewayInit(IFACE, List.of(good, bad), List.of()), NOW_NS);

        // The good relay is allocated: a TURN request leaves for it; nothing for the name that is no IP literal.
        assertThat(outbound.destinations).contains(new InetSocketAddress(InetAddress.ofLiteral("192.0.2.50"), 3478));
    }

    @Test
    void aRefusalStopsTheRuntimeAndConnectionChangesNeverThrow() {
        driver.onStart(outbound, NOW_NS);

        driver.onCommand(new PortalEvent.Disconnected("socket closed"), NOW_NS);
        driver.onCommand(new PortalEvent.Connected(), NOW_NS + 1);
        driver.onCommand(new PortalEvent.Refused("invalid_token"), NOW_NS + 2);

        assertThat(shell.refusals).containsExactly("invalid_token");
    }

    private static PortalMessage.CreateAuthorization createAuthorization(String clientKey) {
        Wire.Resource resource = new Wire.Resource("cidr", "lab", "Lab", "10.0.0.0/24", null, null,
                List.of(new Wire.Filter("icmp", 0, 0)));
        Wire.Client client = new Wire.Client("alice", clientKey, null, "100.64.0.2", "fd00:2021:1111::2");
        return new PortalMessage.CreateAuthorization(resource, client, new Wire.IceCredentials("cufr", "cpassword0123456789012"),
                new Wire.IceCredentials("gufr", "gpassword0123456789012"), null);
    }

    private void receive(String ref, PortalMessage message, long nowNs) {
        driver.onCommand(new PortalEvent.Message(new Frame("gateway", ref, message)), nowNs);
    }

    private static final class RecordingPortal implements PortalLink {
        final List<PortalMessage> sent = new ArrayList<>();
        final List<String> replies = new ArrayList<>();

        @Override
        public void send(PortalMessage message) {
            sent.add(message);
        }

        @Override
        public void reply(String ref, PortalMessage message) {
            replies.add(ref + " " + message.event());
        }
    }

    private static final class RecordingShell implements IceGatewayDriver.Shell {
        final List<TunnelAddresses> tunnels = new ArrayList<>();
        final List<String> refusals = new ArrayList<>();

        @Override
        public void configureTunnel(TunnelAddresses addresses) {
            tunnels.add(addresses);
        }

        @Override
        public void resolve(ClientId client, String domain) {
        }

        @Override
        public void refused(String reason) {
            refusals.add(reason);
        }
    }

    private static final class RecordingOutbound implements Outbound {
        final List<InetSocketAddress> destinations = new ArrayList<>();

        @Override
        public PooledBuffer acquire() {
            return null;
        }

        @Override
        public boolean sendDatagram(int socketIndex, InetSocketAddress destination, PooledBuffer datagram) {
            destinations.add(destination);
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
