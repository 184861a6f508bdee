package zonegate.benchmarks.tunnel;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import zonegate.benchmarks.BenchmarkPackets;
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.ClientId;
import zonegate.filter.Filter;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.ClientSpec;
import zonegate.tunnel.GatewayConfig;
import zonegate.tunnel.GatewayDropReason;
import zonegate.tunnel.GatewayState;
import zonegate.tunnel.TransmitSink;
import zonegate.wireguard.Action;
import zonegate.wireguard.Device;
import zonegate.wireguard.PeerConfig;
import zonegate.wireguard.PeerRole;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.Tunnel;
import zonegate.wireguard.TunnelResult;
import zonegate.wireguard.WireGuardConfig;

/**
 * The gateway's data path with one connected client (a stock WireGuard {@link Device}, the gateway as
 * its initiator peer, handshake done in setup) and a CIDR resource it may reach on TCP 443.
 * <ul>
 *   <li>{@code clientToResource}: the client seals a 1280-byte TCP segment; the gateway opens it,
 *       filters it and queues it for the TUN device, where {@code pollPacket} takes and releases it.</li>
 *   <li>{@code resourceToClient}: the resource's 1280-byte reply enters from the TUN device; the gateway
 *       seals it to the client and {@code drainTransmits} hands it to a sink that releases it.</li>
 * </ul>
 * Target 0 B/op from our code once warm: what {@code -prof gc} reports is JCE's ChaCha20-Poly1305
 * {@code Cipher.init} (two per op for {@code clientToResource}, one for {@code resourceToClient}); compare
 * with {@code DataPathBenchmark.rawAeadSealOpen}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GatewayDataPathBenchmark {
    private static final int PACKET_BYTES = 1280;
    private static final long NOW_NS = 1_000_000_000_000L;
    private static final int GATEWAY_V4 = 0x64_40_00_01;
    private static final int CLIENT_V4 = 0x64_40_00_0A;
    private static final int RESOURCE_V4 = 0x0A_14_00_05;
    private static final InetSocketAddress GATEWAY_ENDPOINT = new InetSocketAddress("192.0.2.1", 51820);
    private static final InetSocketAddress CLIENT_ENDPOINT = new InetSocketAddress("198.51.100.10", 40001);

    private final InstantSource wallClock = () -> Instant.ofEpochSecond(1_700_000_000L);
    private final BufferPool pool = new BufferPool(2048, 512, true);
    private final TunnelResult result = new TunnelResult();
    private final TransmitSink releasing = (destination, buffer) -> buffer.pool().release(buffer);
    private GatewayState gateway;
    private Device clientDevice;
    private Tunnel client;
    /** The client's packet (a TCP segment to the resource) and the resource's reply. */
    private ByteBuffer request;
    private ByteBuffer reply;
    private ByteBuffer wire;

    @Setup
    public void setUp() {
        gateway = new GatewayState(GatewayConfig.defaults((Inet4Address) InetAddress.ofLiteral("100.64.0.1"),
                (Inet6Address) InetAddress.ofLiteral("fd00:2021:1111::1")), PrivateKey.generate(seeded(1)),
                wallClock, seeded(2), new SplittableRandom(3), pool, NOW_NS);
        PrivateKey clientKey = PrivateKey.generate(seeded(4));
        ClientId id = ClientId.of("alice");
        gateway.upsertClient(new ClientSpec(id, clientKey.publicKey(), null,
                TunnelAddresses.of("100.64.0.10", "fd00:2021:1111::10")), NOW_NS);
        Resource office = new Resource.CidrRange(ResourceId.of("office"), Cidr.parse("10.20.0.0/16"));
        gateway.replaceAuthorizations(id, List.of(Authorization.permanent(office, List.of(new Filter.Tcp(443, 443)))),
                NOW_NS);
        clientDevice = new Device(clientKey, WireGuardConfig.DEFAULT, wallClock, seeded(5), new SplittableRandom(6),
                NOW_NS);
        client = clientDevice.addPeer(PeerConfig.of(gateway.publicKey()).withRole(PeerRole.INITIATOR), NOW_NS);
        client.setEndpoint(GATEWAY_ENDPOINT);

        request = ByteBuffer.allocateDirect(2048);
        request.limit(BenchmarkPackets.tcpAck(request, 4, 0, 0, 0, 0, CLIENT_V4, RESOURCE_V4, PACKET_BYTES));
        reply = ByteBuffer.allocateDirect(2048);
        reply.limit(BenchmarkPackets.tcpAck(reply, 4, 0, 0, 0, 0, RESOURCE_V4, CLIENT_V4, PACKET_BYTES));
        // A reply of the request's flow (the gateway lets in nothing else): its ports swapped, which leaves
        // the TCP checksum as it was.
        short requestSourcePort = reply.getShort(20);
        reply.putShort(20, reply.getShort(22)).putShort(22, requestSourcePort);
        wire = ByteBuffer.allocateDirect(2048);
        handshake();

        if (clientToResource() != PACKET_BYTES || resourceToClient() != 1) {
            throw new IllegalStateException("data path not set up: " + dropCounts());
        }
    }

    @Benchmark
    public int clientToResource() {
        client.encapsulate(request.position(0), wire.clear(), NOW_NS, result);
        gateway.handleNetworkInput(CLIENT_ENDPOINT, wire.flip(), NOW_NS);
        PooledBuffer packet = gateway.pollPacket();
        if (packet == null) {
            return -1;
        }
        int n = packet.buffer().remaining();
        packet.pool().release(packet);
        return n;
    }

    @Benchmark
    public int resourceToClient() {
        gateway.handleDeviceInput(reply.position(0), NOW_NS);
        return gateway.drainTransmits(releasing, 16);
    }

    /** Runs the handshake and the first (confirming) data packet between client and gateway. */
    private void handshake() {
        ByteBuffer first = request.duplicate().position(0);
        if (client.encapsulate(first, wire.clear(), NOW_NS, result) == Action.WRITE_TO_NETWORK) {
            gateway.handleNetworkInput(CLIENT_ENDPOINT, wire.flip(), NOW_NS);
        }
        ByteBuffer out = ByteBuffer.allocateDirect(2048);
        for (int round = 0; round < 16 && !client.hasSendableSession(); round++) {
            gateway.drainTransmits((destination, buffer) -> {
                Action a = clientDevice.handleDatagram(GATEWAY_ENDPOINT, buffer.buffer(), out.clear(), NOW_NS, result);
                buffer.pool().release(buffer);
                if (a == Action.WRITE_TO_NETWORK) {
                    gateway.handleNetworkInput(CLIENT_ENDPOINT, out.flip(), NOW_NS);
                }
            }, 16);
        }
        while (clientDevice.handleTimeout(NOW_NS, out.clear(), result) == Action.WRITE_TO_NETWORK) {
            gateway.handleNetworkInput(CLIENT_ENDPOINT, out.flip(), NOW_NS);
        }
        for (PooledBuffer p; (p = gateway.pollPacket()) != null; ) {
            p.pool().release(p);
        }
        if (!client.hasSendableSession()) {
            throw new IllegalStateException("handshake failed: " + client + " " + dropCounts());
        }
    }

    private String dropCounts() {
        StringBuilder s = new StringBuilder();
        for (GatewayDropReason reason : GatewayDropReason.values()) {
            if (gateway.dropCount(reason) > 0) {
                s.append(reason).append('=').append(gateway.dropCount(reason)).append(' ');
            }
        }
        return s.toString();
    }

    private static SecureRandom seeded(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                r.nextBytes(bytes);
            }
        };
    }
}
