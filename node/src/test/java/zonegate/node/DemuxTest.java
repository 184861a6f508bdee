package zonegate.node;

import static org.assertj.core.api.Assertions.assertThat;
import static zonegate.node.SimNet.MS;
import static zonegate.node.SimNet.S;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the shared socket does with datagrams that match nothing. */
@ExtendWith(NoErrorLogs.class)
class DemuxTest {
    private static final InetSocketAddress STRANGER = SimNet.address("192.0.2.7", 1234);
    private static final InetSocketAddress OTHER_STRANGER = SimNet.address("192.0.2.8", 1234);

    private static ByteBuffer bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return ByteBuffer.wrap(b);
    }

    @Test
    void aDatagramOfNoKnownFormatIsLoggedOncePerSourcePerMinute() {
        SimNet net = new SimNet(80);
        Host gateway = net.host("gateway", NodeConfig.server(), null);
        int mark = LogCapture.mark();

        for (int i = 0; i < 100; i++) {
            gateway.receive(STRANGER, bytes(0xEE, 1, 2, 3, 4, 5));
        }
        gateway.receive(OTHER_STRANGER, bytes(0xEE, 1, 2, 3));
        net.runFor(59 * S);
        gateway.receive(STRANGER, bytes(0xEE, 1, 2, 3));
        net.runFor(2 * S);
        gateway.receive(STRANGER, bytes(0xEE, 1, 2, 3));

        assertThat(LogCapture.since(mark)).filteredOn(l -> l.contains("no known format"))
                .hasSize(3).allMatch(l -> l.startsWith("DEBUG"));
        assertThat(gateway.node.count(NodeCounter.UNKNOWN_FORMAT)).isEqualTo(103);
    }

    @Test
    void stunWireGuardAndChannelDataForNobodyAreCountedAtTraceOnly() {
        SimNet net = new SimNet(81);
        Host gateway = net.host("gateway", NodeConfig.server(), null);
        int mark = LogCapture.mark();
        ByteBuffer stun = ByteBuffer.allocate(20).putShort((short) 0x0101).putShort((short) 0).putInt(0x2112A442)
                .putInt(1).putLong(2).flip();
        ByteBuffer transport = ByteBuffer.allocate(48).putInt(0x04000000).putInt(12345).flip();

        gateway.receive(STRANGER, stun);
        gateway.receive(STRANGER, transport);
        gateway.receive(STRANGER, bytes(0x40, 0x00, 0, 4, 1, 2, 3, 4));

        assertThat(gateway.node.count(NodeCounter.UNMATCHED_STUN)).isEqualTo(1);
        assertThat(gateway.node.count(NodeCounter.WIREGUARD_INBOUND)).isEqualTo(1);
        assertThat(gateway.node.count(NodeCounter.CHANNEL_DATA_NOT_FROM_RELAY)).isEqualTo(1);
        assertThat(LogCapture.since(mark)).allMatch(l -> l.startsWith("TRACE"));
    }

    @Test
    void channelDataFromOurRelayOnAChannelNotBoundIsRefusedAndCountedAtTraceOnly() {
        SimNet net = new SimNet(83);
        SimNet.Relay relay = net.relay("198.51.100.2");
        Host client = net.host("client", NodeConfig.client(), null);
        net.useRelays(client, relay);
        net.runFor(200 * MS);
        int mark = LogCapture.mark();

        client.receive(relay.listen(), bytes(0x40, 0x07, 0, 4, 1, 2, 3, 4));

        assertThat(client.result.dropReason()).isEqualTo(NodeCounter.CHANNEL_DATA_REFUSED);
        assertThat(client.node.count(NodeCounter.CHANNEL_DATA_REFUSED)).isEqualTo(1);
        assertThat(client.tun).isEmpty();
        assertThat(LogCapture.since(mark)).allMatch(l -> l.startsWith("TRACE"));
    }

    @Test
    void aLatePacketOfAClosedConnectionIsCountedAtTraceOnly() {
        SimNet net = new SimNet(82);
        Host[] h = net.connectedPair(null, null, 3 * S);
        Host client = h[0];
        Host gateway = h[1];
        client.sendPacket("gateway", Packets.ipv4(1, 100));
        NodeTransmit late = client.sent.getLast();
        net.runFor(10 * MS);
        gateway.node.closeConnection("client", net.nowNs);
        net.runFor(10 * MS);
        long dropped = gateway.node.count(NodeCounter.WIREGUARD_INBOUND);
        int mark = LogCapture.mark();

        gateway.receive(client.socket, late.payload().duplicate());

        assertThat(gateway.tun).extracting(Packets::seq).containsExactly(1);
        assertThat(gateway.node.count(NodeCounter.WIREGUARD_INBOUND)).isEqualTo(dropped + 1);
        assertThat(LogCapture.since(mark)).allMatch(l -> l.startsWith("TRACE"));
    }
}
