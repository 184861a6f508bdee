package zonegate.benchmarks.node;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
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
import zonegate.ice.SelectedPair;
import zonegate.node.ConnectionParams;
import zonegate.node.ConnectionState;
import zonegate.node.Node;
import zonegate.node.NodeAction;
import zonegate.node.NodeConfig;
import zonegate.node.NodeEvent;
import zonegate.node.NodeResult;
import zonegate.node.NodeTransmit;
import zonegate.node.TurnServer;
import zonegate.turn.client.Allocation;
import zonegate.turn.server.RelayConfig;
import zonegate.turn.server.RelayServer;
import zonegate.turn.server.RelayTransmit;
import zonegate.wireguard.PrivateKey;

/**
 * The relayed case beside {@link NodeDataPathBenchmark} (run both with the regex {@code NodeDataPath}):
 * a client node whose nominated pair goes through its TURN allocation on a real in-process
 * {@link RelayServer} (set up through it: allocation, channel, ICE, handshake; direct datagrams between
 * the two hosts are lost, so only the relayed pair works), and a server node on the far side. Measured
 * is the nodes' part only, one 1420-byte packet per operation: the client's {@code encapsulate} framing
 * ChannelData in its buffer plus the server's {@code handleNetworkInput} of what the relay forwards
 * ({@code clientToServerThroughRelay}), and the server's {@code encapsulate} plus the client's
 * {@code handleNetworkInput} of the ChannelData the relay makes of it ({@code serverToClientThroughRelay}).
 * The relay's own work (4 header bytes added or taken off) is done in place here, so {@code -prof gc}
 * shows what the node and its TURN client allocate: target nothing beyond the JCE AEAD, which
 * {@code NodeDataPathBenchmark.rawTunnelPair} shows.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NodeDataPathRelayedBenchmark {
    private static final int PACKET_BYTES = 1420;
    private static final long MS = 1_000_000L;
    private static final InstantSource WALL = () -> Instant.ofEpochSecond(1_700_000_000L);

    private record Datagram(InetSocketAddress from, InetSocketAddress to, byte[] bytes) {
    }

    private final InetSocketAddress clientSocket = new InetSocketAddress("203.0.113.11", 5000);
    private final InetSocketAddress serverSocket = new InetSocketAddress("203.0.113.12", 5000);
    private final InetAddress relayIp = InetAddress.ofLiteral("198.51.100.2");
    private final InetSocketAddress relayListen = new InetSocketAddress(relayIp, 3478);
    private final NodeResult nodeResult = new NodeResult();
    private final ArrayDeque<Datagram> network = new ArrayDeque<>();
    private Node client;
    private Node server;
    private RelayServer relay;
    private InetSocketAddress clientRelayed;
    private int serverChannel = -1;
    private long nowNs = 1_000_000_000_000L;
    private ByteBuffer packet;
    private ByteBuffer wire;
    private ByteBuffer plain;

    @Setup
    public void setUp() {
        packet = ByteBuffer.allocateDirect(PACKET_BYTES);
        packet.put(0, (byte) 0x45).put(2, (byte) (PACKET_BYTES >>> 8)).put(3, (byte) PACKET_BYTES);
        wire = ByteBuffer.allocateDirect(2048);
        plain = ByteBuffer.allocateDirect(2048);
        SecureRandom sr = new SecureRandom();
        PrivateKey clientKey = PrivateKey.generate(sr);
        PrivateKey serverKey = PrivateKey.generate(sr);
        relay = new RelayServer(RelayConfig.of("zonegate", relayIp, null, 50000, 50099)
                .withStaticUsers(Map.of("user", "password")), WALL, new SplittableRandom(7), nowNs);
        client = new Node(NodeConfig.client(), clientKey, List.of(clientSocket), WALL, sr, new SplittableRandom(1), nowNs);
        server = new Node(NodeConfig.server(), serverKey, List.of(serverSocket), WALL, sr, new SplittableRandom(2), nowNs);
        client.updateRelays(List.of(new TurnServer(relayListen, "user", "password")), List.of(), nowNs);
        run(200);
        IceCredentials clientIce = IceCredentials.random(new SplittableRandom(3));
        IceCredentials serverIce = IceCredentials.random(new SplittableRandom(4));
        client.upsertConnection("server", new ConnectionParams(serverKey.publicKey(), null, clientIce, serverIce), nowNs);
        server.upsertConnection("client", new ConnectionParams(clientKey.publicKey(), null, serverIce, clientIce), nowNs);
        run(5000);
        SelectedPair pair = client.nominatedPair("server");
        if (client.state("server") != ConnectionState.CONNECTED || server.state("client") != ConnectionState.CONNECTED
                || pair == null || !pair.localRelayed() || serverChannel < 0) {
            throw new IllegalStateException("nodes did not connect through the relay: " + client.state("server")
                    + ", " + server.state("client") + ", " + pair + ", channel " + serverChannel);
        }
        clientRelayed = pair.localAddress();
        if (clientToServerThroughRelay() != PACKET_BYTES || serverToClientThroughRelay() != PACKET_BYTES) {
            throw new IllegalStateException("packet did not cross the relay: " + nodeResult);
        }
    }

    @Benchmark
    public int clientToServerThroughRelay() {
        if (client.encapsulate("server", packet.clear(), wire.clear(), nowNs, nodeResult) != NodeAction.WRITE_TO_NETWORK) {
            return -1;
        }
        // The relay takes the ChannelData header off and sends the rest from the client's relayed address.
        server.handleNetworkInput(serverSocket, clientRelayed, wire.flip().position(Allocation.CHANNEL_HEADER_BYTES),
                plain.clear(), nowNs, nodeResult);
        return nodeResult.lengthBytes();
    }

    @Benchmark
    public int serverToClientThroughRelay() {
        int start = Allocation.CHANNEL_HEADER_BYTES;
        if (server.encapsulate("client", packet.clear(), wire.clear().position(start), nowNs, nodeResult)
                != NodeAction.WRITE_TO_NETWORK) {
            return -1;
        }
        // The relay puts the channel's ChannelData header in front of what the server sent to the relayed address.
        int n = nodeResult.lengthBytes();
        wire.putShort(0, (short) serverChannel).putShort(2, (short) n).position(0).limit(start + n);
        client.handleNetworkInput(clientSocket, relayListen, wire, plain.clear(), nowNs, nodeResult);
        return nodeResult.lengthBytes();
    }

    // ---- the set-up's network: direct datagrams between the hosts are lost

    private void run(int steps) {
        for (int step = 0; step < steps; step++) {
            nowNs += MS;
            client.handleTimeout(nowNs);
            server.handleTimeout(nowNs);
            relay.handleTimeout(nowNs);
            drain(client, clientSocket, server, "client");
            drain(server, serverSocket, client, "server");
            for (RelayTransmit t; (t = relay.pollTransmit()) != null; ) {
                network.add(new Datagram(t.fromListenSocket() ? relayListen : new InetSocketAddress(relayIp,
                        t.relayPort()), t.destination(), t.bytes()));
            }
            while (relay.pollEvent() != null) {
                // allocations made: nothing to do
            }
            for (Datagram d; (d = network.poll()) != null; ) {
                deliver(d);
            }
        }
    }

    private void drain(Node from, InetSocketAddress fromSocket, Node to, String peerAtTo) {
        for (NodeTransmit t; (t = from.pollTransmit()) != null; ) {
            byte[] bytes = new byte[t.payload().remaining()];
            t.payload().get(bytes);
            network.add(new Datagram(fromSocket, t.destination(), bytes));
        }
        for (NodeEvent e; (e = from.pollEvent()) != null; ) {
            if (e instanceof NodeEvent.LocalCandidates batch) {
                for (Candidate c : batch.added()) {
                    to.addRemoteCandidate(peerAtTo, c, nowNs);
                }
            }
        }
    }

    private void deliver(Datagram d) {
        ByteBuffer b = ByteBuffer.wrap(d.bytes());
        if (d.to().equals(relayListen)) {
            relay.handleClientDatagram(d.from(), b, nowNs);
        } else if (d.to().getAddress().equals(relayIp)) {
            relay.handlePeerDatagram(d.to().getPort(), d.from(), b, nowNs);
        } else if (d.from().getAddress().equals(relayIp)) {
            if (d.from().equals(relayListen) && d.bytes().length > Allocation.CHANNEL_HEADER_BYTES && (d.bytes()[0] & 0xC0) == 0x40) {
                serverChannel = b.getShort(0) & 0xFFFF; // only the server sends to the client's relayed address
            }
            Node to = d.to().equals(clientSocket) ? client : server;
            to.handleNetworkInput(d.to(), d.from(), b, plain.clear(), nowNs, nodeResult);
        }
    }
}
