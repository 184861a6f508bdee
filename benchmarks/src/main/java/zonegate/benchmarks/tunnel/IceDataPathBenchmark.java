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
import zonegate.filter.Authorization;
import zonegate.filter.Cidr;
import zonegate.filter.ClientId;
import zonegate.filter.Resource;
import zonegate.filter.ResourceId;
import zonegate.filter.TunnelAddresses;
import zonegate.ice.IceCredentials;
import zonegate.node.ConnectionState;
import zonegate.node.NodeConfig;
import zonegate.packet.BufferPool;
import zonegate.packet.PooledBuffer;
import zonegate.tunnel.ClientEvent;
import zonegate.tunnel.ClientResource;
import zonegate.tunnel.ClientSpec;
import zonegate.tunnel.ClientState;
import zonegate.tunnel.DnsRecords;
import zonegate.tunnel.GatewayAccess;
import zonegate.tunnel.GatewayConfig;
import zonegate.tunnel.GatewayEvent;
import zonegate.tunnel.IceAuthorization;
import zonegate.tunnel.IceGatewayState;
import zonegate.tunnel.IpStack;
import zonegate.tunnel.Transmit;
import zonegate.wireguard.PrivateKey;

/**
 * The ICE mode end to end on one thread: a {@link ClientState} and an {@link IceGatewayState} over a
 * connected direct path, a 1420-byte UDP packet from the client's TUN device through routing, the client's
 * filter, encryption, the gateway's decryption, anti-spoofing and filter decision to the gateway's TUN
 * queue ({@link #clientToResource}), and a reply the other way through the gateway's inbound check and the
 * client's delivery ({@link #resourceToClient}). Compare with {@code NodeDataPathBenchmark.nodeClientToServer}
 * (the node alone) in the same run, and B/op with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IceDataPathBenchmark {
    private static final int PACKET_BYTES = 1420;
    private static final long MS = 1_000_000L;
    private static final InstantSource WALL = () -> Instant.ofEpochSecond(1_700_000_000L);
    private static final String CLIENT_IP = "100.64.0.2";
    private static final String RESOURCE_IP = "10.20.0.5";

    private final InetSocketAddress clientSocket = new InetSocketAddress("203.0.113.11", 5000);
    private final InetSocketAddress gatewaySocket = new InetSocketAddress("203.0.113.12", 5000);
    private final BufferPool pool = new BufferPool(2048, 4096, true);
    private ClientState client;
    private IceGatewayState gateway;
    private long nowNs = 1_000_000_000_000L;
    private ByteBuffer request;
    private ByteBuffer reply;

    @Setup
    public void setUp() {
        SecureRandom sr = new SecureRandom();
        PrivateKey clientKey = PrivateKey.generate(sr);
        client = new ClientState(NodeConfig.client(), clientKey, List.of(clientSocket), WALL, sr,
                new SplittableRandom(1), pool, DnsRecords.EMPTY, nowNs);
        gateway = new IceGatewayState(GatewayConfig.defaults((Inet4Address) ip("100.64.0.1"),
                (Inet6Address) ip("fd00:2021:1111::1")), NodeConfig.server(), PrivateKey.generate(sr),
                List.of(gatewaySocket), WALL, sr, new SplittableRandom(2), pool, nowNs);
        TunnelAddresses clientAddresses = TunnelAddresses.of(CLIENT_IP, "fd00:2021:1111::2");
        Resource office = new Resource.CidrRange(ResourceId.of("office"), Cidr.parse("10.20.0.0/16"));
        client.init(clientAddresses, List.of(new ClientResource(office, "office", "hq", List.of(), IpStack.DUAL)),
                List.of(), List.of(), nowNs);
        gateway.init(TunnelAddresses.of("100.64.0.1", "fd00:2021:1111::1"), List.of(), List.of(), nowNs);
        IceCredentials clientIce = IceCredentials.random(new SplittableRandom(3));
        IceCredentials gatewayIce = IceCredentials.random(new SplittableRandom(4));
        gateway.createAuthorization(new IceAuthorization(new ClientSpec(ClientId.of("alice"), clientKey.publicKey(),
                null, clientAddresses), clientIce, gatewayIce, Authorization.permanent(office, List.of())), nowNs);
        client.authorizationCreated(new GatewayAccess(office.id(), "gw", gateway.publicKey(),
                TunnelAddresses.of("100.64.0.1", "fd00:2021:1111::1"), null, clientIce, gatewayIce), nowNs);
        request = udp(CLIENT_IP, 40000, RESOURCE_IP, 5000);
        reply = udp(RESOURCE_IP, 5000, CLIENT_IP, 40000);
        for (int step = 0; step < 5000 && !connected(); step++) {
            nowNs += MS;
            client.handleTimeout(nowNs);
            gateway.handleTimeout(nowNs);
            exchange();
            if (step % 100 == 0) {
                client.handleDeviceInput(request.clear(), nowNs);
            }
        }
        exchange();
        int up = clientToResource();
        int down = resourceToClient();
        if (!connected() || up != PACKET_BYTES || down != PACKET_BYTES) {
            throw new IllegalStateException("client and gateway did not connect: " + client.connectionState("gw")
                    + ", " + gateway.connectionState(ClientId.of("alice")) + "; up " + up + ", down " + down);
        }
    }

    private boolean connected() {
        return client.connectionState("gw") == ConnectionState.CONNECTED
                && gateway.connectionState(ClientId.of("alice")) == ConnectionState.CONNECTED;
    }

    /** Carries datagrams both ways, candidates to the other side; drops TUN output and other events. */
    private void exchange() {
        for (Transmit t; (t = client.pollTransmit()) != null; ) {
            gateway.handleNetworkInput(gatewaySocket, clientSocket, t.buffer().buffer(), nowNs);
            pool.release(t.buffer());
        }
        for (Transmit t; (t = gateway.pollTransmit()) != null; ) {
            client.handleNetworkInput(clientSocket, gatewaySocket, t.buffer().buffer(), nowNs);
            pool.release(t.buffer());
        }
        for (ClientEvent e; (e = client.pollEvent()) != null; ) {
            if (e instanceof ClientEvent.CandidatesChanged c) {
                gateway.addRemoteCandidates(ClientId.of("alice"), c.added(), nowNs);
            }
        }
        for (GatewayEvent e; (e = gateway.pollEvent()) != null; ) {
            if (e instanceof GatewayEvent.CandidatesChanged c) {
                client.addRemoteCandidates("gw", c.added(), nowNs);
            }
        }
        drain(client.pollPacket());
        drain(gateway.pollPacket());
    }

    @Benchmark
    public int clientToResource() {
        client.handleDeviceInput(request.clear(), nowNs);
        Transmit t = client.pollTransmit();
        if (t == null) {
            return -1;
        }
        gateway.handleNetworkInput(gatewaySocket, clientSocket, t.buffer().buffer(), nowNs);
        pool.release(t.buffer());
        return drain(gateway.pollPacket());
    }

    @Benchmark
    public int resourceToClient() {
        gateway.handleDeviceInput(reply.clear(), nowNs);
        Transmit t = gateway.pollTransmit();
        if (t == null) {
            return -1;
        }
        client.handleNetworkInput(clientSocket, gatewaySocket, t.buffer().buffer(), nowNs);
        pool.release(t.buffer());
        return drain(client.pollPacket());
    }

    private int drain(PooledBuffer p) {
        if (p == null) {
            return -1;
        }
        int n = p.buffer().remaining();
        pool.release(p);
        return n;
    }

    /** An IPv4 UDP packet of {@link #PACKET_BYTES} with a valid header checksum (and no UDP checksum). */
    private static ByteBuffer udp(String source, int sourcePort, String destination, int destinationPort) {
        ByteBuffer b = ByteBuffer.allocateDirect(PACKET_BYTES);
        b.put(0, (byte) 0x45).putShort(2, (short) PACKET_BYTES).put(8, (byte) 64).put(9, (byte) 17);
        b.put(12, ip(source).getAddress()).put(16, ip(destination).getAddress());
        b.putShort(10, (short) checksum(b, 0, 20));
        b.putShort(20, (short) sourcePort).putShort(22, (short) destinationPort).putShort(24, (short) (PACKET_BYTES - 20));
        return b;
    }

    private static int checksum(ByteBuffer b, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            sum += b.getShort(offset + i) & 0xFFFF;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) ~sum & 0xFFFF;
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
