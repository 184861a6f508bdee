package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.node.SimNet.MS;
import static zonegate.node.SimNet.S;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Arbitrary datagrams fed to a node's shared socket in every connection state (client connecting,
 * connected, idle; server connecting, connected; after the connection closed), from the peer, from a
 * stranger and from the relay, shaped as STUN checks for the connection's ufrag, as WireGuard messages
 * of every type and length, as ChannelData, and as control packets inside the real tunnel: nothing
 * escapes, outputs stay bounded, and a connected connection still carries data afterwards. Replays
 * {@code src/test/resources/zonegate/node/NodeInputFuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1} fuzzes.
 */
class NodeInputFuzzTest {
    private static final InetSocketAddress STRANGER = SimNet.address("192.0.2.200", 9999);

    enum State { CLIENT_CONNECTING, CLIENT_CONNECTED, CLIENT_IDLE, SERVER_CONNECTING, SERVER_CONNECTED, CLOSED }

    @FuzzTest(maxDuration = "30s")
    void arbitraryDatagramsNeverEscapeInAnyState(byte[] data) {
        for (State state : State.values()) {
            SimNet net = new SimNet(60);
            SimNet.Relay relay = net.relay("198.51.100.2");
            Host client = net.host("client", NodeConfig.client(), null);
            Host gateway = net.host("gateway", NodeConfig.server(), null);
            net.useRelays(client, relay);
            net.useRelays(gateway, relay);
            boolean connecting = state == State.CLIENT_CONNECTING || state == State.SERVER_CONNECTING;
            net.signalCandidates = !connecting;
            net.connect(client, gateway);
            net.runFor(connecting ? 10 * MS : 3 * S);
            if (state == State.CLIENT_IDLE) {
                net.runFor(25 * S);
            }
            if (state == State.CLOSED) {
                client.node.closeConnection("gateway", net.nowNs);
                net.runFor(10 * MS);
            }
            boolean server = state == State.SERVER_CONNECTING || state == State.SERVER_CONNECTED;
            Host target = server ? gateway : client;
            Host peer = server ? client : gateway;
            new Script(data, net, target, peer, relay.listen()).run();
            if (state == State.CLIENT_CONNECTED || state == State.SERVER_CONNECTED) {
                int before = target.tun.size();
                net.runFor(S);
                peer.sendPacket(target.name, Packets.ipv4(424242, 100));
                net.runFor(100 * MS);
                if (target.node.state(peer.name) != null && peer.node.state(target.name) != null) {
                    assertThat(target.tun.subList(before, target.tun.size())).extracting(Packets::seq).contains(424242);
                }
            }
        }
    }

    /** Interprets the fuzz input: each step is an opcode byte and its operands (zeros once exhausted). */
    static final class Script {
        private final byte[] data;
        private final SimNet net;
        private final Host target;
        private final Host peer;
        private final InetSocketAddress relay;
        private int at;

        Script(byte[] data, SimNet net, Host target, Host peer, InetSocketAddress relay) {
            this.data = data;
            this.net = net;
            this.target = target;
            this.peer = peer;
            this.relay = relay;
        }

        void run() {
            for (int step = 0; step < 48 && at < data.length; step++) {
                switch (u8() % 7) {
                    case 0 -> input(bytes(u8() * 3));
                    case 1 -> input(stunCheck());
                    case 2 -> input(wireGuardShaped());
                    case 3 -> input(channelData());
                    case 4 -> net.runFor(u8() * 41L * MS);
                    case 5 -> peer.sendPacket(target.name, controlPacket());
                    default -> target.sendPacket(peer.name, Packets.ipv4(step, 40 + u8() * 4));
                }
                target.drain();
                assertThat(target.node.connectionCount()).isLessThanOrEqualTo(1);
            }
            net.runFor(10 * MS);
        }

        private void input(byte[] datagram) {
            InetSocketAddress from = switch (u8() % 3) {
                case 0 -> peer.socket;
                case 1 -> relay;
                default -> STRANGER;
            };
            target.receive(from, ByteBuffer.wrap(datagram));
        }

        private byte[] stunCheck() {
            String ufrag = "none";
            for (var link : net.links.values()) {
                if (link.host() == peer) {
                    ufrag = link.params().localCredentials().ufrag();
                }
            }
            byte[] user = (ufrag + ":" + new String(bytes(u8() % 8), StandardCharsets.ISO_8859_1))
                    .getBytes(StandardCharsets.UTF_8);
            byte[] extra = bytes(u8() % 64);
            int attributes = 4 + ((user.length + 3) & ~3) + extra.length;
            ByteBuffer m = ByteBuffer.allocate(20 + attributes);
            m.putShort((short) (u8() % 2 == 0 ? 0x0001 : 0x0101)).putShort((short) attributes).putInt(0x2112A442)
                    .put(bytes(12)).putShort((short) 0x0006).putShort((short) user.length).put(user);
            m.position(20 + 4 + ((user.length + 3) & ~3));
            m.put(extra);
            return m.array();
        }

        private byte[] wireGuardShaped() {
            int type = 1 + u8() % 4;
            int length = switch (type) {
                case 1 -> 148;
                case 2 -> 92;
                case 3 -> 64;
                default -> 32 + u8();
            };
            byte[] b = Arrays.copyOf(bytes(length), length);
            b[0] = (byte) type;
            b[1] = b[2] = b[3] = 0;
            return b;
        }

        private byte[] channelData() {
            byte[] body = bytes(u8());
            ByteBuffer m = ByteBuffer.allocate(4 + body.length);
            m.putShort((short) (0x4000 + u8())).putShort((short) body.length).put(body);
            return m.array();
        }

        private byte[] controlPacket() {
            byte[] body = bytes(u8());
            ByteBuffer p = ByteBuffer.allocate(48 + body.length);
            p.putInt(0x6000_0000).putShort((short) (8 + body.length)).put((byte) 0xFF).put((byte) 0).put(new byte[32])
                    .put((byte) (u8() % 4 == 2 ? 3 : u8() % 2)).put(new byte[7]).put(body);
            return p.array();
        }

        private int u8() {
            return at < data.length ? data[at++] & 0xFF : 0;
        }

        private byte[] bytes(int n) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) u8();
            }
            return b;
        }
    }
}
