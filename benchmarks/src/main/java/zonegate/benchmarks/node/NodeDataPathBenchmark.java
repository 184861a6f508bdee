package zonegate.benchmarks.node;

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
import zonegate.ice.Candidate;
import zonegate.ice.IceCredentials;
import zonegate.node.ConnectionParams;
import zonegate.node.ConnectionState;
import zonegate.node.Node;
import zonegate.node.NodeAction;
import zonegate.node.NodeConfig;
import zonegate.node.NodeEvent;
import zonegate.node.NodeResult;
import zonegate.node.NodeTransmit;
import zonegate.wireguard.Action;
import zonegate.wireguard.Device;
import zonegate.wireguard.PeerConfig;
import zonegate.wireguard.PeerRole;
import zonegate.wireguard.PrivateKey;
import zonegate.wireguard.Tunnel;
import zonegate.wireguard.TunnelResult;
import zonegate.wireguard.WireGuardConfig;

/**
 * A client node and a server node over a connected direct connection, one thread: a 1420-byte packet
 * encapsulated by the client and handled by the server's {@code handleNetworkInput} (demux, WireGuard
 * open, control-packet check), beside the raw WireGuard {@link Tunnel} pair doing the same seal + open.
 * Report {@code nodeClientToServer / rawTunnelPair} (target at least 0.90) and B/op with {@code -prof gc}
 * (target: nothing beyond what the JCE AEAD allocates, which the raw pair shows).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NodeDataPathBenchmark {
    private static final int PACKET_BYTES = 1420;
    private static final long MS = 1_000_000L;
    private static final InstantSource WALL = () -> Instant.ofEpochSecond(1_700_000_000L);

    private final InetSocketAddress clientSocket = new InetSocketAddress("203.0.113.11", 5000);
    private final InetSocketAddress serverSocket = new InetSocketAddress("203.0.113.12", 5000);
    private final NodeResult nodeResult = new NodeResult();
    private final TunnelResult tunnelResult = new TunnelResult();
    private Node client;
    private Node server;
    private Tunnel rawA;
    private Device rawB;
    private long nowNs = 1_000_000_000_000L;
    private ByteBuffer packet;
    private ByteBuffer wire;
    private ByteBuffer plain;

    @Setup
    public void setUp() {
        SecureRandom sr = new SecureRandom();
        PrivateKey clientKey = PrivateKey.generate(sr);
        PrivateKey serverKey = PrivateKey.generate(sr);
        client = new Node(NodeConfig.client(), clientKey, List.of(clientSocket), WALL, sr, new SplittableRandom(1), nowNs);
        server = new Node(NodeConfig.server(), serverKey, List.of(serverSocket), WALL, sr, new SplittableRandom(2), nowNs);
        IceCredentials clientIce = IceCredentials.random(new SplittableRandom(3));
        IceCredentials serverIce = IceCredentials.random(new SplittableRandom(4));
        client.upsertConnection("server", new ConnectionParams(serverKey.publicKey(), null, clientIce, serverIce), nowNs);
        server.upsertConnection("client", new ConnectionParams(clientKey.publicKey(), null, serverIce, clientIce), nowNs);
        packet = ByteBuffer.allocateDirect(PACKET_BYTES);
        packet.put(0, (byte) 0x45).put(2, (byte) (PACKET_BYTES >>> 8)).put(3, (byte) PACKET_BYTES);
        wire = ByteBuffer.allocateDirect(2048);
        plain = ByteBuffer.allocateDirect(2048);
        for (int step = 0; step < 5000 && (client.state("server") != ConnectionState.CONNECTED
                || server.state("client") != ConnectionState.CONNECTED); step++) {
            nowNs += MS;
            client.handleTimeout(nowNs);
            server.handleTimeout(nowNs);
            exchange(client, clientSocket, server, "client");
            exchange(server, serverSocket, client, "server");
        }
        if (client.state("server") != ConnectionState.CONNECTED || server.state("client") != ConnectionState.CONNECTED) {
            throw new IllegalStateException("nodes did not connect: " + client.state("server") + ", "
                    + server.state("client"));
        }
        if (nodeClientToServer() != PACKET_BYTES) {
            throw new IllegalStateException("packet did not cross: " + nodeResult);
        }

        Device rawDeviceA = new Device(PrivateKey.generate(sr), WireGuardConfig.DEFAULT, WALL, sr, new SplittableRandom(5),
                nowNs);
        PrivateKey rawKeyB = PrivateKey.generate(sr);
        rawB = new Device(rawKeyB, WireGuardConfig.DEFAULT, WALL, sr, new SplittableRandom(6), nowNs);
        rawA = rawDeviceA.addPeer(PeerConfig.of(rawKeyB.publicKey()), nowNs);
        rawB.addPeer(PeerConfig.of(rawDeviceA.publicKey()).withRole(PeerRole.RESPONDER_ONLY), nowNs);
        rawA.encapsulate(packet.clear(), wire.clear(), nowNs, tunnelResult);
        rawB.handleDatagram(clientSocket, wire.flip(), plain.clear(), nowNs, tunnelResult);
        rawDeviceA.handleDatagram(serverSocket, plain.flip(), wire.clear(), nowNs, tunnelResult);
        rawB.handleDatagram(clientSocket, wire.flip(), plain.clear(), nowNs, tunnelResult);
        if (tunnelResult.action() != Action.WRITE_TO_TUNNEL) {
            throw new IllegalStateException("raw handshake failed: " + tunnelResult);
        }
    }

    /** Moves one node's transmits to the other and its candidates to the other's connection. */
    private void exchange(Node from, InetSocketAddress fromSocket, Node to, String peerAtTo) {
        for (NodeTransmit t; (t = from.pollTransmit()) != null; ) {
            to.handleNetworkInput(t.destination(), fromSocket, t.payload(), plain.clear(), nowNs, nodeResult);
        }
        for (NodeEvent e; (e = from.pollEvent()) != null; ) {
            if (e instanceof NodeEvent.LocalCandidates batch) {
                for (Candidate c : batch.added()) {
                    to.addRemoteCandidate(peerAtTo, c, nowNs);
                }
            }
        }
    }

    @Benchmark
    public int nodeClientToServer() {
        if (client.encapsulate("server", packet.clear(), wire.clear(), nowNs, nodeResult) != NodeAction.WRITE_TO_NETWORK) {
            return -1;
        }
        server.handleNetworkInput(serverSocket, clientSocket, wire.flip(), plain.clear(), nowNs, nodeResult);
        return nodeResult.lengthBytes();
    }

    @Benchmark
    public int rawTunnelPair() {
        rawA.encapsulate(packet.clear(), wire.clear(), nowNs, tunnelResult);
        rawB.handleDatagram(clientSocket, wire.flip(), plain.clear(), nowNs, tunnelResult);
        return tunnelResult.lengthBytes();
    }
}
