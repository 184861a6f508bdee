package zonegate.node;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** A simulated host: a {@link Node}, its socket, what reached its TUN device and the events it raised. */
final class Host {
    final SimNet net;
    final String name;
    final NodeConfig config;
    final InetSocketAddress socket;
    final Nat nat;
    final Node node;
    final List<byte[]> tun = new ArrayList<>();
    final List<NodeEvent> events = new ArrayList<>();
    /** Every datagram the node produced: polled transmits and data-path writes. */
    final List<NodeTransmit> sent = new ArrayList<>();
    final NodeResult result = new NodeResult();
    final ByteBuffer out = ByteBuffer.allocateDirect(2048);

    Host(SimNet net, String name, NodeConfig config, InetSocketAddress socket, Nat nat, SplittableRandom random) {
        this.net = net;
        this.name = name;
        this.config = config;
        this.socket = socket;
        this.nat = nat;
        this.node = new Node(config, SimNet.key(random), List.of(socket), wallClock(net),
                SimNet.seededSecureRandom(random.nextLong()), random.split(), net.nowNs);
    }

    private static InstantSource wallClock(SimNet net) {
        return () -> Instant.ofEpochSecond(1_700_000_000L).plusNanos(net.nowNs);
    }

    /** Sends an IP packet from this host's TUN device to {@code peerId}. */
    NodeAction sendPacket(String peerId, byte[] packet) {
        NodeAction a = node.encapsulate(peerId, ByteBuffer.wrap(packet), out.clear(), net.nowNs, result);
        if (a == NodeAction.WRITE_TO_NETWORK) {
            out.flip();
            sent.add(new NodeTransmit(result.source(), result.destination(), ByteBuffer.allocate(out.remaining())
                    .put(out.duplicate()).flip()));
            net.send(result.source(), result.destination(), out, nat);
        }
        return a;
    }

    void receive(InetSocketAddress from, ByteBuffer datagram) {
        if (node.handleNetworkInput(socket, from, datagram, out.clear(), net.nowNs, result)
                == NodeAction.WRITE_TO_TUNNEL) {
            byte[] packet = new byte[result.lengthBytes()];
            out.flip().get(packet);
            tun.add(packet);
        }
    }

    /** Sends what the node queued and records its events; true if anything came out. */
    boolean drain() {
        boolean any = false;
        for (NodeTransmit t; (t = node.pollTransmit()) != null; any = true) {
            sent.add(t);
            net.send(t.source(), t.destination(), t.payload(), nat);
        }
        for (NodeEvent e; (e = node.pollEvent()) != null; any = true) {
            events.add(e);
            if (e instanceof NodeEvent.LocalCandidates batch) {
                net.signal(this, batch);
            } else if (e instanceof NodeEvent.ConnectionFailed failed) {
                net.onFailed(this, failed);
            }
        }
        return any;
    }

    /** WireGuard handshake initiations this host sent (type 1), directly or inside ChannelData. */
    long initiationsSent() {
        return sent.stream().filter(t -> {
            ByteBuffer p = t.payload();
            int at = p.position() + ((p.get(p.position()) & 0xC0) == 0x40 ? 4 : 0);
            return p.limit() - at == 148 && p.getInt(at) == 0x01000000;
        }).count();
    }

    <T extends NodeEvent> List<T> eventsOf(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public String toString() {
        return name;
    }
}
