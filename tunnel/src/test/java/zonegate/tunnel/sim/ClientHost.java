package zonegate.tunnel.sim;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import zonegate.filter.ClientId;
import zonegate.filter.TunnelAddresses;
import zonegate.ice.Candidate;
import zonegate.node.CloseReason;
import zonegate.node.ConnectionParams;
import zonegate.node.Node;
import zonegate.node.NodeAction;
import zonegate.node.NodeConfig;
import zonegate.node.NodeEvent;
import zonegate.node.NodeResult;
import zonegate.node.NodeTransmit;
import zonegate.node.P2pMessage;
import zonegate.tunnel.ClientSpec;

/**
 * A simulated client: a plain client {@link Node} ({@link NodeConfig#client()}) whose TUN side is the
 * test: {@link #send} puts an IP packet into the tunnel to a gateway, {@link #tun} is what came back. Its
 * local candidates go to the control plane; its events (control messages, closes) are recorded.
 */
final class ClientHost implements SimClient {
    final TunnelSim net;
    final String name;
    final InetSocketAddress socket;
    final Nat nat;
    final Node node;
    final String ipv4;
    final String ipv6;
    final ClientSpec spec;
    /** Every IP packet that came out of the tunnel, in order. */
    final List<byte[]> tun = new ArrayList<>();
    final List<NodeEvent> events = new ArrayList<>();
    private final NodeResult result = new NodeResult();
    private final ByteBuffer out = ByteBuffer.allocate(2048);

    ClientHost(TunnelSim net, String name, TunnelSim.Placement placement, String ipv4, String ipv6,
            SplittableRandom random) {
        this.net = net;
        this.name = name;
        this.socket = placement.socket();
        this.nat = placement.nat();
        this.ipv4 = ipv4;
        this.ipv6 = ipv6;
        this.node = new Node(NodeConfig.client(), TunnelSim.key(random), List.of(socket), net.wallClock,
                TunnelSim.seededSecureRandom(random.nextLong()), random.split(), net.nowNs);
        this.spec = new ClientSpec(ClientId.of(name), node.publicKey(), null, TunnelAddresses.of(ipv4, ipv6));
    }

    /** Uses these relays. */
    void useRelays(TunnelSim.Relay... relays) {
        node.updateRelays(Arrays.stream(relays).map(TunnelSim.Relay::turnServer).toList(), List.of(),
                net.nowNs);
    }

    /** Sends an IP packet from the client's TUN device into its connection to {@code gateway}. */
    NodeAction send(GatewayHost gateway, byte[] packet) {
        NodeAction a = node.encapsulate(gateway.name, ByteBuffer.wrap(packet), out.clear(), net.nowNs, result);
        if (a == NodeAction.WRITE_TO_NETWORK) {
            out.flip();
            net.send(result.source(), result.destination(), out, nat);
        }
        return a;
    }

    /** Sends a peer-to-peer control message to {@code gateway}. */
    boolean sendControl(GatewayHost gateway, P2pMessage message) {
        return node.sendControl(gateway.name, message, net.nowNs);
    }

    /** The packets that came out of the tunnel since {@code mark} (a size of {@link #tun} taken before). */
    List<byte[]> tunSince(int mark) {
        return List.copyOf(tun.subList(mark, tun.size()));
    }

    <T extends NodeEvent> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** The control messages the gateway sent, of {@code type}. */
    <T extends P2pMessage> List<T> controlMessages(Class<T> type) {
        return eventsOf(NodeEvent.ControlMessage.class).stream().map(NodeEvent.ControlMessage::message)
                .filter(type::isInstance).map(type::cast).toList();
    }

    boolean closedWith(CloseReason reason) {
        return eventsOf(NodeEvent.ConnectionClosed.class).stream().anyMatch(c -> c.reason() == reason);
    }

    @Override
    public ClientSpec spec() {
        return spec;
    }

    @Override
    public void upsertGateway(GatewayHost gateway, ConnectionParams params) {
        node.upsertConnection(gateway.name, params, net.nowNs);
    }

    @Override
    public void addRemoteCandidate(GatewayHost gateway, Candidate candidate) {
        node.addRemoteCandidate(gateway.name, candidate, net.nowNs);
    }

    @Override
    public void removeRemoteCandidate(GatewayHost gateway, Candidate candidate) {
        node.removeRemoteCandidate(gateway.name, candidate, net.nowNs);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress socket() {
        return socket;
    }

    @Override
    public Nat nat() {
        return nat;
    }

    @Override
    public void receive(InetSocketAddress from, ByteBuffer datagram, long nowNs) {
        if (node.handleNetworkInput(socket, from, datagram, out.clear(), nowNs, result) == NodeAction.WRITE_TO_TUNNEL) {
            byte[] packet = new byte[result.lengthBytes()];
            out.flip().get(packet);
            tun.add(packet);
        }
    }

    @Override
    public long pollTimeout() {
        var t = node.pollTimeout();
        return t == null ? Long.MAX_VALUE : t.deadlineNs();
    }

    @Override
    public void handleTimeout(long nowNs) {
        node.handleTimeout(nowNs);
    }

    @Override
    public boolean drain(long nowNs) {
        boolean any = false;
        for (NodeTransmit t; (t = node.pollTransmit()) != null; any = true) {
            net.send(t.source(), t.destination(), t.payload(), nat);
        }
        for (NodeEvent e; (e = node.pollEvent()) != null; any = true) {
            events.add(e);
            if (e instanceof NodeEvent.LocalCandidates batch) {
                net.controlPlane.onClientCandidates(this, batch.peerId(), batch.added(), batch.removed());
            }
        }
        return any;
    }

    @Override
    public String toString() {
        return name;
    }
}
